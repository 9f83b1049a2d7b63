/**
 * The API key and the service's lists through the StudioApi, as the renderer reaches them: the OS
 * keychain (real gnome-keyring), the emulator as the service, and a search of every answer, event,
 * log line and file the studio wrote for the key.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { createLogger } from '../../electron/services/log';
import { type Studio, createStudio } from '../../electron/studio/compose';
import { type PrivateKeyring, keyringMissing, startPrivateKeyring } from '../support/keyring';

const missing = keyringMissing('The API key settings tests');
const key = `nap_live_${randomBytes(20).toString('hex')}`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe.skipIf(missing !== null)('API key and service lists through the StudioApi', () => {
  let keyring: PrivateKeyring;
  let emulator: RunningEmulator;
  let studio: Studio;
  let dataDir: string;
  const answers: unknown[] = [];
  const events: unknown[] = [];
  const logLines: string[] = [];

  const call = async (name: string, input: unknown = {}) => {
    const result = await studio.dispatch(name, input);
    answers.push(result);
    return result;
  };
  const value = async <T>(name: string, input: unknown = {}): Promise<T> => {
    const result = await call(name, input);
    if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
    return result.value as T;
  };

  beforeAll(async () => {
    keyring = await startPrivateKeyring();
    process.env.DBUS_SESSION_BUS_ADDRESS = keyring.address;
    emulator = await startEmulator({ apiKey: key, rateLimit: null });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-settings-'));
    studio = await createStudio({
      host: 'browser',
      dataDir,
      version: '0.0.0-test',
      emit: (name, payload) => events.push({ name, payload }),
      log: createLogger('studio', (line) => logLines.push(line)),
      settingsOverrides: { apiBaseUrl: emulator.url },
    });
  });

  afterAll(async () => {
    await studio?.close();
    await emulator?.close();
    await keyring?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('no key yet: status says so, the test explains, ethnicities ask for the key', async () => {
    expect(await value('apiKey/status')).toEqual({ configured: false, endsWith: null, keychain: { available: true, message: null } });
    expect(await value('apiKey/test')).toMatchObject({ ok: false, message: expect.stringContaining('No API key is set') });
    const ethnicities = await call('service/ethnicities');
    expect(ethnicities).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.stringContaining('Settings') } });
  });

  test('a malformed key is refused before it reaches the keychain', async () => {
    expect(await call('apiKey/set', { key: 'has spaces in it' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('apiKey/set', { key: 'short' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await keyring.secretTool('search', '--all', 'service', 'Twin Studio')).toBe('');
  });

  test('set: the key goes to the keychain; the answer and the event tell only its ending', async () => {
    const status = await value('apiKey/set', { key: `  ${key}\n` });
    expect(status).toEqual({ configured: true, endsWith: key.slice(-4), keychain: { available: true, message: null } });
    expect(events).toContainEqual({ name: 'apiKey/changed', payload: status });
    expect(await keyring.secretTool('lookup', 'service', 'Twin Studio', 'username', 'napster-api-key')).toBe(key);
  });

  test('test: the service accepts the stored key', async () => {
    expect(await value('apiKey/test')).toMatchObject({ ok: true, message: 'The service accepted the key.' });
  });

  test('ethnicities: fetched once, then served from the cache with its time, and offline', async () => {
    const first = await value<{ values: string[]; fetchedAt: string; source: string }>('service/ethnicities');
    expect(first).toMatchObject({ source: 'service', notice: null });
    expect(first.values).toContain('Caucasian');
    const again = await value('service/ethnicities');
    expect(again).toEqual({ ...first, source: 'cache', notice: null });
    const cacheFile = JSON.parse(readFileSync(path.join(dataDir, 'cache', 'ethnicities.json'), 'utf8'));
    expect(cacheFile.entries[emulator.url]).toEqual({ values: first.values, fetchedAt: first.fetchedAt });

    // As many failures as the client makes attempts.
    emulator.fault({ path: '/public/companions/ethnicities', status: 503, times: 4 });
    const offline = await value<{ notice: string }>('service/ethnicities', { refresh: true });
    expect(offline).toMatchObject({ values: first.values, fetchedAt: first.fetchedAt, source: 'cache' });
    expect(offline.notice).toContain('could not be refreshed');
  });

  test('replace with a revoked key: the test says so plainly', async () => {
    const revoked = `nap_live_${randomBytes(20).toString('hex')}`;
    expect(await value('apiKey/set', { key: revoked })).toMatchObject({ configured: true, endsWith: revoked.slice(-4) });
    const tested = await value<{ ok: boolean; message: string }>('apiKey/test');
    expect(tested.ok).toBe(false);
    expect(tested.message).toMatch(/wrong, expired or revoked/);
    expect(await value('apiKey/set', { key })).toMatchObject({ endsWith: key.slice(-4) });
  });

  test('remove: gone from the keychain', async () => {
    expect(await value('apiKey/remove')).toMatchObject({ configured: false, endsWith: null });
    await expect(keyring.secretTool('lookup', 'service', 'Twin Studio', 'username', 'napster-api-key')).rejects.toMatchObject({ code: 1 });
  });

  test('the key is in no answer, event, log line or file the studio wrote', async () => {
    expect(answers.length).toBeGreaterThan(10);
    expect(logLines.length).toBeGreaterThan(0);
    const files = filesUnder(dataDir);
    expect(files.some((file) => file.endsWith('ethnicities.json'))).toBe(true);
    const haystacks: [string, string][] = [
      ['answers', JSON.stringify(answers)],
      ['events', JSON.stringify(events)],
      ['log', logLines.join('\n')],
      ...files.map((file): [string, string] => [file, readFileSync(file).toString('latin1')]),
    ];
    for (const [where, text] of haystacks) {
      expect(text.includes(key), where).toBe(false);
      // Not even a long piece of it.
      expect(text.includes(key.slice(8, 28)), where).toBe(false);
    }
  });
});
