/**
 * Sandbox mode through the StudioApi, as `--sandbox` runs it: the emulator and the loopback media
 * host start with the studio, its own data folder and an in-memory key keep it apart from real work,
 * the storage round trip passes, the media host refuses tampered and expired upload URLs like S3, and
 * an approved draft becomes a ready twin and an agent without any network.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallName, EventName } from '../../shared/contract';
import { createLogger } from '../../electron/services/log';
import { startMediaHost } from '../../electron/services/sandbox/media-host';
import { readNextLaunch } from '../../electron/services/sandbox/sandbox';
import { sha256File } from '../../electron/services/files/hash';
import { PresignEndpointTarget } from '../../electron/services/storage/targets';
import { streamPut } from '../../electron/services/storage/http-put';
import { type Studio, createStudio } from '../../electron/studio/compose';
import { mediaCommands, pictureJpeg, toneWav } from './emulator-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { approvedDraft } from '../support/submission-stack';

const missing = missingPrerequisite(mediaCommands, 'sandbox test media');
const log = createLogger('test', () => undefined);

let dataDir: string;
let studio: Studio;
const events: { name: EventName; payload: unknown }[] = [];

async function call<T = unknown>(name: CallName, input: unknown = {}): Promise<T> {
  const result = await studio.dispatch(name, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value as T;
}

describe.skipIf(missing)('sandbox mode', () => {
  beforeAll(async () => {
    process.env.TWIN_STUDIO_SANDBOX_GENERATION_SECONDS = '1';
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-sandbox-'));
    studio = await createStudio({
      host: 'browser',
      dataDir,
      version: '0.0.0-test',
      sandbox: true,
      log,
      emit: (name, payload) => events.push({ name, payload }),
    });
  });
  afterAll(async () => {
    await studio?.close();
    delete process.env.TWIN_STUDIO_SANDBOX_GENERATION_SECONDS;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs apart from real work: its own folder, a generated key in memory, local storage', async () => {
    const status = await call<{ active: boolean; emulatorUrl: string; mediaHostUrl: string }>('sandbox/status');
    expect(status).toMatchObject({
      active: true,
      emulatorUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      mediaHostUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    const info = await call<{ dataDir: string }>('system/info');
    expect(info.dataDir).toBe(path.join(dataDir, 'sandbox'));
    expect(await call('apiKey/status')).toMatchObject({ configured: true });
    const storage = await call<{ sandbox: boolean; target: { kind: string } }>('storage/status');
    expect(storage).toMatchObject({ sandbox: true, target: { kind: 'presign' } });
    await expect(call('storage/save', { target: { kind: 'presign', url: 'https://example.com/presign' }, secret: 'a-token-123456' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/sandbox/),
    });
    expect((await call<{ sandbox: boolean }>('twins/list', {})).sandbox).toBe(true);

    const test = await call<{ ok: boolean; steps: { id: string; ok: boolean }[] }>('storage/test');
    expect(test.ok).toBe(true);

    // The switch only changes the next launch; this one stays a sandbox.
    await call('sandbox/setNextLaunch', { mode: 'sandbox' });
    expect(await readNextLaunch(dataDir)).toBe('sandbox');
    await call('sandbox/setNextLaunch', { mode: 'service' });
    expect(await readNextLaunch(dataDir)).toBe('service');
  });

  it('goes from an approved draft to a ready twin and an agent', async () => {
    const draft = await approvedDraft(studio.drafts, { voiceWav: toneWav(70), photoJpeg: pictureJpeg() });
    const queued = await call<{ state: string; sandbox: boolean }>('submission/start', { draftId: draft.id });
    expect(queued).toMatchObject({ state: 'queued', sandbox: true });
    // Generation takes 1 s here; readyToUse follows the sandbox's 15 s step.
    const deadline = Date.now() + 60_000;
    let submission: { state: string; twin: { id: string; status: string } | null; error: unknown } | null = null;
    while (Date.now() < deadline) {
      submission = await call('submission/get', { draftId: draft.id });
      if (submission?.state === 'done' || submission?.state === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(submission?.error ?? null).toBeNull();
    expect(submission?.state).toBe('done');
    const twinId = submission!.twin!.id;
    expect(events.some((event) => event.name === 'submission/changed')).toBe(true);
    expect(events.some((event) => event.name === 'twins/ready' && (event.payload as { id: string }).id === twinId)).toBe(true);

    const page = await call<{ items: { id: string; status: string; hasPreview: boolean }[] }>('twins/list', {});
    expect(page.items.find((item) => item.id === twinId)).toMatchObject({ hasPreview: true });
    // The preview comes through the main process, from the sandbox's own media host.
    const preview = await call<{ contentType: string; bytes: Uint8Array }>('twins/media', { id: twinId, kind: 'preview' });
    expect(preview.contentType).toBe('image/jpeg');
    expect(preview.bytes.byteLength).toBe(statSync(studio.mediaFile(draft.id, 'prepared-photo.jpg')).size);

    const agent = await call<{ id: string; companionId: string }>('twins/createAgent', { companionId: twinId, name: 'Sandbox agent', temperature: 0.7 });
    expect(agent).toMatchObject({ companionId: twinId, id: expect.stringMatching(/\S/) });
    // Stored under content-hash keys (beside the storage test's small text file).
    const hosted = readdirSync(path.join(dataDir, 'sandbox', 'hosted-media'));
    expect(hosted).toContain(`${(await sha256File(studio.mediaFile(draft.id, 'prepared-voice.wav'))).sha256}.wav`);
    expect(hosted).toContain(`${(await sha256File(studio.mediaFile(draft.id, 'prepared-photo.jpg'))).sha256}.jpg`);
  }, 90_000);
});

describe('sandbox media host', () => {
  it('refuses tampered, resized and expired upload URLs, and serves stored files anonymously', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-mediahost-'));
    let clock = Date.now();
    const host = await startMediaHost({ dir: path.join(dir, 'hosted'), log, expiresInSeconds: 60, now: () => clock });
    try {
      const file = path.join(dir, 'file.bin');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, Buffer.alloc(1000, 7));
      const source = { file, size: 1000, sha256: (await sha256File(file)).sha256, contentType: 'audio/wav', fileName: 'file.wav' };
      const target = new PresignEndpointTarget({ kind: 'presign', url: host.presignUrl }, host.token, { allowHttpLoopback: true });
      const signed = await target.presignPut(source);
      const put = (url: string, headers = signed.headers, length = source.size) => streamPut({ url, headers, file, start: 0, length });

      expect((await put(signed.url.replace(/sig=([0-9a-f])/, (_all, c: string) => `sig=${c === 'a' ? 'b' : 'a'}`))).status).toBe(403);
      expect((await put(signed.url.replace(/size=1000/, 'size=999'), signed.headers, 999)).status).toBe(403);
      expect((await put(signed.url, { 'Content-Type': 'text/html' })).status).toBe(403);
      expect((await fetch(signed.publicUrl)).status).toBe(404);

      const ok = await put(signed.url);
      expect(ok.status).toBe(200);
      const read = await fetch(signed.publicUrl);
      expect(read.status).toBe(200);
      expect(read.headers.get('content-type')).toBe('audio/wav');
      expect((await read.arrayBuffer()).byteLength).toBe(1000);

      clock += 61_000;
      expect((await put(signed.url)).status).toBe(403);
      await expect(
        new PresignEndpointTarget({ kind: 'presign', url: host.presignUrl }, 'wrong-token', { allowHttpLoopback: true }).presignPut(source),
      ).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
