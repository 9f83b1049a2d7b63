/**
 * No credential over plain HTTP, proved on the wire. A TCP listener stands on an address of this
 * machine that is not loopback (its network interface; without one, 0.0.0.0, which Linux and macOS
 * connect to this machine) and counts every connection. Each sender that carries a credential (the
 * Napster client with `X-Api-Key`, the S3 target's signed requests, the presign endpoint with its
 * token, the streamed PUT of a signed URL) is handed `http://` + that address, past the schemas that
 * refuse it where it is entered (a stub settings store, a storage.json written by hand, targets built
 * directly), and must refuse before sending: the listener sees no connection. The same senders given
 * `https://` + the same address do connect (the TLS handshake then fails), so it is the guard that
 * keeps the request home, not an address that cannot be reached.
 *
 * Then the command line: `--api-base-url http://…` exits non-zero with one plain line, and the same
 * flag with an https address starts the host.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StudioHandlers } from '../../shared/contract';
import type { StorageStatus, StorageTest } from '../../shared/contract/storage';
import type { WireResult } from '../../shared/errors';
import { type Settings, settingsSchema } from '../../shared/settings';
import { createMemorySecretStore } from '../../electron/services/keychain/secret-store';
import { createLogger } from '../../electron/services/log';
import { NapsterClient } from '../../electron/services/napster/client';
import { createServiceLink } from '../../electron/services/napster';
import { SettingsStore } from '../../electron/services/settings/settings-store';
import { systemHandlers } from '../../electron/services/settings/system-handlers';
import { streamPut } from '../../electron/services/storage/http-put';
import { storageHandlers } from '../../electron/services/storage/storage-handlers';
import { StorageService, storageSecretAccounts } from '../../electron/services/storage/storage-service';
import { PresignEndpointTarget, S3UploadTarget, type UploadTarget } from '../../electron/services/storage/targets';
import { Uploader } from '../../electron/services/storage/uploader';
import { createDispatcher } from '../../electron/studio/dispatch';
import { repoRoot, startStudioHost } from '../support/studio-host';

const log = createLogger('test', () => undefined);
const once = { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } };
const plainHttp =
  /must start with https:\/\/ — over plain http .* readable by anyone\. \(http:\/\/ is allowed only for this computer: localhost, 127\.0\.0\.1\.\)/;

/** A non-loopback address of this machine, and where to bind so a connection to it arrives. */
function nonLoopbackAddress(): { host: string; bind: string } {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === 'IPv4' && !address.internal) return { host: address.address, bind: address.address };
  }
  // Only `lo` here: a connection to 0.0.0.0 reaches this machine's listeners on Linux and macOS.
  return { host: '0.0.0.0', bind: '127.0.0.1' };
}

type Listener = { host: string; port: number; origin(scheme: 'http' | 'https'): string; connections: number; close(): Promise<void> };

/** Counts connections and drops each at once: no request can be answered, only noticed. */
async function countingListener(): Promise<Listener> {
  const { host, bind } = nonLoopbackAddress();
  const server = net.createServer((socket) => {
    listener.connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, bind, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const listener: Listener = {
    host,
    port,
    origin: (scheme) => `${scheme}://${host}:${port}`,
    connections: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return listener;
}

let listener: Listener;
const dirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function uploadSource() {
  const dir = tempDir('twin-studio-credential-');
  const file = path.join(dir, 'voice.mp3');
  writeFileSync(file, Buffer.alloc(2048, 7));
  return { file, size: 2048, sha256: 'a'.repeat(64), contentType: 'audio/mpeg', fileName: 'voice.mp3' };
}

function s3Target(endpoint: string) {
  return {
    kind: 's3' as const,
    endpoint,
    region: 'us-east-1',
    bucket: 'media',
    keyPrefix: 'twin-studio/',
    pathStyle: true,
    accessKeyId: 'AKIAEXAMPLEEXAMPLE',
    publicBaseUrl: 'https://cdn.example.com/media',
  };
}

async function failureOf(work: Promise<unknown>): Promise<{ code?: string; message: string; fields?: Record<string, string> }> {
  try {
    await work;
  } catch (error) {
    return error as { code?: string; message: string; fields?: Record<string, string> };
  }
  throw new Error('expected a refusal, got a success');
}

beforeAll(async () => {
  listener = await countingListener();
});

afterAll(async () => {
  await listener?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  listener.connections = 0;
});

describe('the listener is reachable: https to the same address connects', () => {
  it('the Napster client connects over https', async () => {
    const client = new NapsterClient({ baseUrl: () => listener.origin('https'), apiKey: () => 'nap_live_control_key_123456', log, ...once });
    await expect(client.ethnicities({ timeoutMs: 5000 })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(listener.connections).toBeGreaterThanOrEqual(1);
  });

  it('the S3 target, the presign endpoint and the streamed PUT connect over https', async () => {
    const source = uploadSource();
    const s3 = new S3UploadTarget(s3Target(listener.origin('https')), 'secret-access-key-example');
    await expect(s3.alreadyStored(source)).rejects.toMatchObject({ code: 'NETWORK' });
    const afterS3 = listener.connections;
    expect(afterS3).toBeGreaterThanOrEqual(1);

    const presign = new PresignEndpointTarget({ kind: 'presign', url: `${listener.origin('https')}/presign` }, 'presign-token-123456', {
      allowHttpLoopback: false,
    });
    await expect(presign.presignPut(source)).rejects.toMatchObject({ code: 'NETWORK' });
    const afterPresign = listener.connections;
    expect(afterPresign).toBeGreaterThan(afterS3);

    await expect(
      streamPut({ url: `${listener.origin('https')}/media/key?X-Amz-Signature=abc`, headers: {}, file: source.file, start: 0, length: source.size }),
    ).rejects.toMatchObject({
      code: 'NETWORK',
    });
    expect(listener.connections).toBeGreaterThan(afterPresign);
  });
});

describe('the API key never goes to a plain-http address', () => {
  it('the client refuses every call before sending, and before reading the key', async () => {
    let keyRead = false;
    const client = new NapsterClient({
      baseUrl: () => listener.origin('http'),
      apiKey: () => {
        keyRead = true;
        return 'nap_live_never_sent_123456';
      },
      log,
      ...once,
    });
    for (const call of [() => client.ethnicities(), () => client.listTwins(), () => client.getCompanion('comp_123')]) {
      const failure = await failureOf(call());
      expect(failure.code).toBe('BAD_REQUEST');
      expect(failure.message).toMatch(/^The API address must start with https:\/\//);
      expect(failure.message).toMatch(plainHttp);
    }
    expect(keyRead).toBe(false);
    expect(listener.connections).toBe(0);
  });

  it('"Test key" with a stored address that skipped the schema: refused with the reason, nothing sent', async () => {
    const dataDir = tempDir('twin-studio-credential-');
    // A settings store whose value never went through the schema (a file edited by hand, an old version).
    const stored: Settings = { ...settingsSchema.parse({}), apiBaseUrl: listener.origin('http') };
    const link = createServiceLink({
      dataDir,
      settings: { get: async () => stored },
      log,
      onApiKeyChange: () => undefined,
      secretStore: createMemorySecretStore(),
      client: once,
    });
    await link.apiKey.set('nap_live_stored_key_1234567890');
    const dispatch = createDispatcher(link.handlers as unknown as StudioHandlers, log);

    const test = (await dispatch('apiKey/test', {})) as WireResult<{ ok: boolean; message: string }>;
    expect(test).toMatchObject({ ok: true, value: { ok: false, message: expect.stringMatching(plainHttp) } });
    const ethnicities = await dispatch('service/ethnicities', { refresh: true });
    expect(ethnicities).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(plainHttp) } });
    expect(listener.connections).toBe(0);
  });

  it('Settings refuses the address where it is entered, and a settings file holding one is not used', async () => {
    const dataDir = tempDir('twin-studio-credential-');
    const settings = new SettingsStore(dataDir, log);
    const dispatch = createDispatcher(
      systemHandlers({ host: 'browser', version: '0.0.0-test', dataDir, settings, requestMediaAccess: async () => true }) as unknown as StudioHandlers,
      log,
    );
    const refused = await dispatch('settings/update', { patch: { apiBaseUrl: listener.origin('http') } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', fields: { 'patch.apiBaseUrl': expect.stringMatching(plainHttp) } } });
    expect(existsSync(path.join(dataDir, 'settings.json'))).toBe(false);
    expect(await dispatch('settings/update', { patch: { apiBaseUrl: 'http://127.0.0.1:8787' } })).toMatchObject({
      ok: true,
      value: { apiBaseUrl: 'http://127.0.0.1:8787' },
    });

    const edited = tempDir('twin-studio-credential-');
    writeFileSync(path.join(edited, 'settings.json'), JSON.stringify({ apiBaseUrl: listener.origin('http'), apiVersion: null }));
    expect((await new SettingsStore(edited, log).get()).apiBaseUrl).not.toBe(listener.origin('http'));
  });
});

describe('storage credentials never go to a plain-http address', () => {
  function storageSetup() {
    const dataDir = tempDir('twin-studio-credential-');
    const secrets = createMemorySecretStore();
    const storage = new StorageService({ dataDir, secrets, log, allowHttpLoopback: false, uploader: once });
    const dispatch = createDispatcher(storageHandlers(storage) as unknown as StudioHandlers, log);
    return { dataDir, secrets, storage, dispatch };
  }

  it('Settings → Storage refuses a plain-http S3 endpoint and presign endpoint at their fields; nothing is kept', async () => {
    const { dataDir, secrets, dispatch } = storageSetup();
    const s3 = await dispatch('storage/save', { target: s3Target(listener.origin('http')), secret: 'secret-access-key-example' });
    expect(s3).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', fields: { 'target.endpoint': expect.stringMatching(/^The storage endpoint must start with https:\/\//) } },
    });
    const presign = await dispatch('storage/save', { target: { kind: 'presign', url: `${listener.origin('http')}/presign` }, secret: 'presign-token-123456' });
    expect(presign).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', fields: { 'target.url': expect.stringMatching(/^The presign endpoint must start with https:\/\//) } },
    });
    expect(existsSync(path.join(dataDir, 'storage.json'))).toBe(false);
    expect(await secrets.get(storageSecretAccounts.s3)).toBeNull();
    expect(await secrets.get(storageSecretAccounts.presign)).toBeNull();
    expect(listener.connections).toBe(0);
  });

  it('a storage.json written by hand with a plain-http S3 endpoint: the reason is shown, the test and uploads refuse, nothing is sent', async () => {
    const { dataDir, secrets, storage, dispatch } = storageSetup();
    await secrets.set(storageSecretAccounts.s3, 'secret-access-key-example');
    writeFileSync(path.join(dataDir, 'storage.json'), JSON.stringify({ target: s3Target(listener.origin('http')), lastTest: null }));

    const status = (await dispatch('storage/status', {})) as WireResult<StorageStatus>;
    expect(status).toMatchObject({
      ok: true,
      value: { target: null, savedProblem: expect.stringMatching(/^The storage endpoint must start with https:\/\//) },
    });
    const test = (await dispatch('storage/test', {})) as WireResult<StorageTest>;
    expect(test).toMatchObject({
      ok: true,
      value: { ok: false, steps: [{ id: 'sign', ok: false, message: expect.stringMatching(/The storage endpoint must start with https:\/\//) }] },
    });
    await expect(storage.target()).rejects.toMatchObject({
      code: 'NOT_AVAILABLE',
      message: expect.stringMatching(/The storage endpoint must start with https:\/\//),
    });
    // The file is left as it was, so the reason stays on the screen until the person saves anew.
    expect((await storage.status()).savedProblem).toMatch(/storage endpoint/);
    expect(listener.connections).toBe(0);
  });

  it('a storage.json written by hand with a plain-http presign endpoint: refused the same way', async () => {
    const { dataDir, secrets, storage } = storageSetup();
    await secrets.set(storageSecretAccounts.presign, 'presign-token-123456');
    writeFileSync(
      path.join(dataDir, 'storage.json'),
      JSON.stringify({ target: { kind: 'presign', url: `${listener.origin('http')}/presign` }, lastTest: null }),
    );
    expect((await storage.status()).savedProblem).toMatch(/^The presign endpoint must start with https:\/\/ .*its token/);
    const test = await storage.test();
    expect(test.steps).toEqual([expect.objectContaining({ id: 'sign', ok: false, message: expect.stringMatching(/presign endpoint must start with https/) })]);
    expect(listener.connections).toBe(0);
  });

  it('the senders refuse on their own, handed a target that skipped every schema', async () => {
    const source = uploadSource();
    const s3 = await failureOf((async () => new S3UploadTarget(s3Target(listener.origin('http')), 'secret-access-key-example'))());
    expect(s3).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^The storage endpoint must start with https:\/\//) });
    const presign = await failureOf(
      (async () =>
        new PresignEndpointTarget({ kind: 'presign', url: `${listener.origin('http')}/presign` }, 'presign-token-123456', { allowHttpLoopback: true }))(),
    );
    expect(presign).toMatchObject({ code: 'BAD_REQUEST', fields: { 'target.url': expect.stringMatching(/^The presign endpoint must start with https:\/\//) } });

    // A signed upload URL is a credential too: the uploader's PUT refuses it, and does not retry.
    const signed = `${listener.origin('http')}/media/twin-studio/key.mp3?X-Amz-Signature=abc&X-Amz-Expires=900`;
    let signings = 0;
    const target: UploadTarget = {
      where: 'a hand-made target',
      presignPut: async () => {
        signings += 1;
        return { url: signed, headers: {}, publicUrl: 'https://cdn.example.com/key.mp3', key: 'key.mp3', expiresAt: null };
      },
    };
    const upload = await failureOf(new Uploader({ log, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } }).upload(source, target));
    expect(upload).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^The upload address must start with https:\/\//) });
    expect(signings).toBe(1);
    expect(listener.connections).toBe(0);
  });

  it('a presign endpoint on this computer that hands out a plain-http upload address elsewhere is refused', async () => {
    const backend = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ uploadUrl: `${listener.origin('http')}/media/key?X-Amz-Signature=abc`, publicUrl: 'https://cdn.example.com/key' }));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    try {
      // Loopback http is fine for the endpoint itself (its token stays on this computer).
      const target = new PresignEndpointTarget(
        { kind: 'presign', url: `http://127.0.0.1:${(backend.address() as AddressInfo).port}/presign` },
        'presign-token-123456',
        { allowHttpLoopback: false },
      );
      const failure = await failureOf(new Uploader({ log, ...once }).upload(uploadSource(), target));
      expect(failure).toMatchObject({
        code: 'SERVICE',
        message: expect.stringMatching(/gave an upload address the studio will not use\. The upload address must start with https:\/\//),
      });
    } finally {
      await new Promise<void>((resolve) => backend.close(() => resolve()));
    }
    expect(listener.connections).toBe(0);
  });
});

describe('--api-base-url on the command line', () => {
  let staticDir: string;

  beforeAll(() => {
    // A renderer stand-in, so the only thing wrong in the refused runs is the address.
    staticDir = tempDir('twin-studio-static-');
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Twin Studio</title>');
  });

  function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'electron/browser-host/cli.ts', ...args], { cwd: repoRoot, timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
      });
    });
  }

  it('exits non-zero with one plain line for a plain-http address, before anything starts', async () => {
    const dataDir = path.join(tempDir('twin-studio-cli-'), 'data');
    for (const [url, expected] of [
      [listener.origin('http'), plainHttp],
      ['http://127.0.0.1@evil.example', /must not contain a user name or password/],
      ['ftp://api.example.com', /must start with https:\/\/ \(it starts with ftp:\)/],
    ] as const) {
      const run = await runCli(['--api-base-url', url, '--data-dir', dataDir, '--static-dir', staticDir, '--port', '0']);
      expect(run.code, url).toBe(2);
      expect(run.stdout, url).toBe('');
      const lines = run.stderr.split('\n').filter(Boolean);
      expect(lines, url).toHaveLength(1);
      expect(lines[0]).toMatch(/^--api-base-url: The API address /);
      expect(lines[0]).toMatch(expected);
      expect(lines[0]).not.toMatch(/Error|at |\{/);
    }
    expect(existsSync(dataDir)).toBe(false);
    expect(listener.connections).toBe(0);
  }, 120_000);

  it('starts with an https address (the same host), so the refusal above is the address alone', async () => {
    const dataDir = tempDir('twin-studio-cli-');
    mkdirSync(dataDir, { recursive: true });
    const host = await startStudioHost({ dataDir, args: ['--api-base-url', listener.origin('https'), '--static-dir', staticDir] });
    try {
      expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    } finally {
      await host.stop();
    }
  }, 90_000);
});
