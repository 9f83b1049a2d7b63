/**
 * The storage settings' round trip against radosgw, as the Settings screen runs it: a working bucket,
 * a bucket without public read, a wrong secret, an unreachable endpoint, a public URL that is not
 * HTTPS, and a presign endpoint (the user's own backend) with and without the right token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Target } from '../../shared/contract/storage';
import { createMemorySecretStore } from '../../electron/services/keychain/secret-store';
import { createLogger } from '../../electron/services/log';
import { S3UploadTarget } from '../../electron/services/storage/targets';
import { StorageService, storageSecretAccounts } from '../../electron/services/storage/storage-service';
import { type RadosGwInfo, radosgwMissing } from '../support/radosgw';
import { adminClient, makeBucket, useRadosGw } from '../support/radosgw-shared';

const missing = radosgwMissing('storage tests against radosgw');
const log = createLogger('test', () => undefined);
const quick = { retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } };

let gw: RadosGwInfo;
const dirs: string[] = [];

function service(options: { allowHttpLoopback?: boolean } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-storage-'));
  dirs.push(dataDir);
  const secrets = createMemorySecretStore();
  const changes: unknown[] = [];
  const storage = new StorageService({
    dataDir,
    secrets,
    log,
    allowHttpLoopback: options.allowHttpLoopback ?? true,
    uploader: quick,
    onChange: (status) => changes.push(status),
  });
  return { storage, secrets, changes, dataDir };
}

function s3Target(bucket: string, overrides: Partial<S3Target> = {}): S3Target {
  return {
    kind: 's3',
    endpoint: gw.endpoint,
    region: gw.region,
    bucket,
    keyPrefix: 'twin-studio/',
    pathStyle: true,
    accessKeyId: gw.accessKeyId,
    publicBaseUrl: `${gw.endpoint}/${bucket}`,
    ...overrides,
  };
}

describe.skipIf(missing)('storage settings and round trip', () => {
  beforeAll(async () => {
    gw = await useRadosGw();
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the secret in the keychain, shows only its ending, and passes the round trip', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const { storage, secrets, changes, dataDir } = service();
    const status = await storage.save(s3Target(bucket), gw.secretAccessKey);
    expect(status.secret).toEqual({ configured: true, endsWith: gw.secretAccessKey.slice(-4) });
    expect(await secrets.get(storageSecretAccounts.s3)).toBe(gw.secretAccessKey);
    const { readFile } = await import('node:fs/promises');
    const onDisk = await readFile(path.join(dataDir, 'storage.json'), 'utf8');
    expect(onDisk).not.toContain(gw.secretAccessKey);
    expect(JSON.stringify(status)).not.toContain(gw.secretAccessKey);

    const test = await storage.test();
    expect(test.ok).toBe(true);
    expect(test.steps.map((step) => [step.id, step.ok])).toEqual([
      ['sign', true],
      ['upload', true],
      ['public', true],
      ['cleanup', true],
    ]);
    expect(test.publicUrl).toMatch(new RegExp(`^${gw.endpoint}/${bucket}/twin-studio/[0-9a-f]{64}\\.txt$`));
    // Cleaned up after itself.
    const key = new URL(test.publicUrl!).pathname.split('/').slice(2).join('/');
    await expect(adminClient(gw).send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect((await storage.status()).lastTest?.ok).toBe(true);
    expect(changes.length).toBeGreaterThanOrEqual(2);

    // Saving again without a secret keeps the stored one.
    await storage.save(s3Target(bucket, { keyPrefix: 'other' }), undefined);
    expect((await storage.status()).target).toMatchObject({ keyPrefix: 'other/' });
    expect(await secrets.get(storageSecretAccounts.s3)).toBe(gw.secretAccessKey);
  });

  it('says a bucket without public read is the problem', async () => {
    const bucket = await makeBucket(gw, { publicRead: false });
    const { storage } = service();
    await storage.save(s3Target(bucket), gw.secretAccessKey);
    const test = await storage.test();
    expect(test.ok).toBe(false);
    expect(test.steps.map((step) => [step.id, step.ok])).toEqual([
      ['sign', true],
      ['upload', true],
      ['public', false],
      ['cleanup', true],
    ]);
    expect(test.message).toMatch(/does not allow public read/);
  });

  it('says a wrong secret key is the problem', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const { storage } = service();
    await storage.save(s3Target(bucket), 'wrong-secret-access-key-0000');
    const test = await storage.test();
    expect(test.ok).toBe(false);
    expect(test.steps.at(-1)).toMatchObject({ id: 'upload', ok: false });
    expect(test.message).toMatch(/secret access key/);
    expect(test.message).not.toContain('wrong-secret-access-key-0000');
  });

  it('says an unreachable endpoint cannot be reached', async () => {
    const { storage } = service();
    // A port nothing listens on.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await storage.save(s3Target('nowhere', { endpoint: `http://127.0.0.1:${port}`, publicBaseUrl: `http://127.0.0.1:${port}/nowhere` }), 'some-secret-key-123');
    const test = await storage.test();
    expect(test.ok).toBe(false);
    expect(test.steps.at(-1)).toMatchObject({ id: 'upload', ok: false });
    expect(test.message).toMatch(/could not be reached/);
  });

  it('refuses a public base URL that is not HTTPS (outside the sandbox and tests)', async () => {
    const { storage } = service({ allowHttpLoopback: false });
    await expect(storage.save(s3Target('media', { publicBaseUrl: 'http://media.example.com/media' }), 'some-secret-key-123')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      fields: { 'target.publicBaseUrl': expect.stringMatching(/not HTTPS/) },
    });
    // Loopback http is refused too when not allowed.
    await expect(storage.save(s3Target('media'), 'some-secret-key-123')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      storage.save(s3Target('media', { publicBaseUrl: 'https://cdn.example.com/x?X-Amz-Signature=1' }), 'some-secret-key-123'),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect((await storage.status()).target).toBeNull();
    await expect(storage.target()).rejects.toMatchObject({ code: 'NOT_AVAILABLE', message: expect.stringMatching(/Settings → Storage/) });
  });

  it('uses a presign endpoint with its token, and says when the token is wrong', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const signer = new S3UploadTarget(s3Target(bucket), gw.secretAccessKey);
    const seen: unknown[] = [];
    // The user's backend: checks the token, signs with its own credentials.
    const backend = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.headers.authorization !== 'Bearer backend-token-123456') {
          res.writeHead(401).end('{"error":"bad token"}');
          return;
        }
        const request = JSON.parse(body) as { fileName: string; contentType: string; size: number; sha256: string };
        seen.push(request);
        void signer.presignPut({ ...request, file: '' }).then((signed) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ uploadUrl: signed.url, headers: signed.headers, publicUrl: signed.publicUrl }));
        });
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/presign`;
    try {
      const { storage, secrets } = service();
      await storage.save({ kind: 'presign', url }, 'backend-token-123456');
      expect(await secrets.get(storageSecretAccounts.presign)).toBe('backend-token-123456');
      const test = await storage.test();
      expect(test.ok).toBe(true);
      expect(test.steps.find((step) => step.id === 'cleanup')?.message).toMatch(/cannot remove/);
      expect(seen[0]).toMatchObject({ contentType: 'text/plain', size: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

      await storage.save({ kind: 'presign', url }, 'not-the-backend-token');
      const refused = await storage.test();
      expect(refused.ok).toBe(false);
      expect(refused.steps.at(-1)).toMatchObject({ id: 'sign', ok: false });
      expect(refused.message).toMatch(/refused the token/);

      // Switching to S3 drops the endpoint's token from the keychain.
      await storage.save(s3Target(bucket), gw.secretAccessKey);
      expect(await secrets.get(storageSecretAccounts.presign)).toBeNull();
    } finally {
      await new Promise<void>((resolve) => backend.close(() => resolve()));
    }
  });
});
