/**
 * The same smoke path in the real Electron shell. Electron's binary cannot be downloaded on the
 * machines this project is built on, so here the spec reports that it was skipped and why; it runs
 * wherever `npm ci` could fetch the binary.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper shared with `npm start`.
import { findElectronBinary } from '../../scripts/electron-binary.mjs';
import { mainV8Flags } from '../../scripts/main-process-flags.mjs';
import { repoRoot } from '../support/studio-host';

const binary = findElectronBinary() as { path: string | null; reason: string | null };

test('the desktop app opens its secured window and answers over IPC', async () => {
  if (binary.path === null) console.log(`Electron spec skipped: ${binary.reason}.`);
  test.skip(binary.path === null, `Electron spec skipped: ${binary.reason}. The browser-host specs cover the same path.`);
  const userData = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-electron-'));
  const app = await electron.launch({
    executablePath: binary.path!,
    args: [`--js-flags=${mainV8Flags.join(' ')}`, path.join(repoRoot, 'dist', 'electron', 'main.cjs'), `--user-data-dir=${userData}`],
    cwd: repoRoot,
  });
  try {
    const studio = await app.firstWindow();
    await expect(studio.getByRole('heading', { name: 'Create a digital twin' })).toBeVisible();
    expect(studio.url()).toBe('app://studio/index.html');
    const page = await studio.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      bridge: Object.keys((globalThis as unknown as Record<string, Record<string, unknown>>).studioBridge ?? {}).sort(),
    }));
    expect(page).toEqual({ require: 'undefined', process: 'undefined', bridge: ['call', 'on'] });
    await studio.getByRole('button', { name: 'New draft' }).click();
    await expect(studio.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
    const bad = await studio.evaluate(() =>
      (globalThis as unknown as { studioBridge: { call: (n: string, i: unknown) => Promise<unknown> } }).studioBridge.call('drafts/get', { id: '../x' }),
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    await studio.evaluate(() => {
      globalThis.location.href = 'https://example.com/';
    });
    await studio.waitForTimeout(500);
    expect(studio.url()).toMatch(/^app:\/\/studio\//);
  } finally {
    await app.close();
  }
});
