/**
 * The one recording hook under its hardest cases, on the voice step in a real Chromium with the fake
 * microphone: a take whose recorder refuses to start after the studio has begun it says why and
 * leaves nothing behind; a new take started the moment a slow save gives the Record button back
 * (what the operator's T does) records, and the save before it never overwrites its state.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import type { Draft } from '../../shared/drafts';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
let draftId: string;
const violations: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath, 'espeak-ng', 'sox'], 'The take recorder e2e tests');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  host = await startStudioHost();
  browser = await launchChromium({ audio: speechWav(30) });
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1100 });
  watchPageProblems(page, violations);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

function readDraft(): Draft {
  return JSON.parse(readFileSync(path.join(host.dataDir, 'drafts', draftId, 'draft.json'), 'utf8')) as Draft;
}

const status = () => page.getByTestId('recorder-status');
const recorder = () => page.locator('section.recorder');
const record = () => page.getByRole('button', { name: 'Record', exact: true });
/** The browser host's `takes/finish` call (its name is sent percent-encoded). */
const isFinish = (url: URL) => decodeURIComponent(url.pathname).endsWith('/api/call/takes/finish');

test('a take whose recorder will not start says why, and the take the studio began is removed', async () => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New draft' }).click();
  await page.getByRole('link', { name: /^Voice:/ }).click();
  await expect(page.getByRole('heading', { name: 'Voice', level: 2 })).toBeVisible();
  draftId = /#\/draft\/([^/]+)\//.exec(page.url())![1]!;
  await page.getByRole('button', { name: 'Turn on microphone' }).click();
  await expect(status()).toHaveText('Listening · not recording');

  // The studio begins the take; then the browser's recorder refuses to start, once.
  await page.evaluate(() => {
    const start = MediaRecorder.prototype.start;
    MediaRecorder.prototype.start = function refuseOnce(this: MediaRecorder) {
      MediaRecorder.prototype.start = start;
      throw new DOMException('The recorder could not start (made to fail by the test).', 'NotSupportedError');
    };
  });
  await record().click();
  const alert = page.getByRole('alert').filter({ hasText: 'Recording problem' });
  await expect(alert).toContainText('The recorder could not start (made to fail by the test).');
  await expect(status()).toHaveText('Listening · not recording');
  await expect(recorder()).toHaveAttribute('data-phase', 'monitoring');
  await expect.poll(() => readDraft().voice.takes.length).toBe(0);
  await page.screenshot({ path: path.join(shots, 'take-recorder-01-start-refused.png') });

  // The next press records.
  await record().click();
  await expect(recorder()).toHaveAttribute('data-phase', 'recording');
  await expect(alert).toHaveCount(0);
  await page.waitForTimeout(2500);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(recorder()).toHaveAttribute('data-phase', 'monitoring', { timeout: 60_000 });
  await expect.poll(() => readDraft().voice.takes.map((take) => take.state)).toEqual(['complete']);
});

test('a take started the moment a slow save gives Record back records, and the save does not touch it', async () => {
  test.setTimeout(120_000);
  await record().click();
  await expect(recorder()).toHaveAttribute('data-phase', 'recording');
  await page.waitForTimeout(3000);
  const first = readDraft().voice.takes[1]!;
  // The save answers two seconds late: everything after it runs while the next take starts.
  await page.route(isFinish, async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await route.fulfill({ response });
  });
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(recorder()).toHaveAttribute('data-phase', 'saving');
  // Clicked as soon as it is enabled, like the operator's T.
  await record().click({ timeout: 60_000 });
  await expect(recorder()).toHaveAttribute('data-phase', 'recording');
  await page.unroute(isFinish);

  await expect.poll(() => readDraft().voice.takes.length).toBe(3);
  const second = readDraft().voice.takes[2]!;
  expect(readDraft().voice.takes[1]).toMatchObject({ id: first.id, state: 'complete' });
  expect(second.state).toBe('recording');
  // Chunks of the new take reach the disk, and the screen says it is recording.
  await expect.poll(() => statSync(path.join(host.dataDir, 'drafts', draftId, second.fileName)).size, { timeout: 10_000 }).toBeGreaterThan(8_000);
  await expect(status()).toContainText('Recording');
  await expect(page.locator(`[data-take="${second.id}"]`).filter({ hasText: 'Recording…' })).toHaveCount(1);
  await page.waitForTimeout(1500);
  await expect(recorder()).toHaveAttribute('data-phase', 'recording');
  await page.screenshot({ path: path.join(shots, 'take-recorder-02-next-take.png') });

  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(recorder()).toHaveAttribute('data-phase', 'monitoring', { timeout: 60_000 });
  await expect.poll(() => readDraft().voice.takes.map((take) => take.state)).toEqual(['complete', 'complete', 'complete']);
});

test('no Content-Security-Policy violation or page error happened along the way', () => {
  expect(violations).toEqual([]);
});
