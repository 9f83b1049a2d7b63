/**
 * Uploads against a real S3 server that checks signatures (radosgw on loopback): tampered and expired
 * URLs are refused, a 50 MB upload keeps memory flat, an upload cut at 50% resumes and completes, 5xx
 * answers are retried, and the same content is never uploaded twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Target } from '../../shared/contract/storage';
import { createLogger } from '../../electron/services/log';
import { streamPut } from '../../electron/services/storage/http-put';
import { sha256File } from '../../electron/services/files/hash';
import { S3UploadTarget, type UploadSource, type UploadTarget } from '../../electron/services/storage/targets';
import { type UploadState, Uploader } from '../../electron/services/storage/uploader';
import { radosgwMissing } from '../support/radosgw';
import { type RadosGwInfo } from '../support/radosgw';
import { makeBucket, useRadosGw } from '../support/radosgw-shared';
import { type UploadProxy, startUploadProxy } from '../support/upload-proxy';

const missing = radosgwMissing('upload tests against radosgw');
const log = createLogger('test', () => undefined);
const mb = 1024 * 1024;
const fast = { log, retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 100 } };

let gw: RadosGwInfo;
let dir: string;
let proxy: UploadProxy;

/** A file of random bytes, written in 1 MB chunks (the test itself must not hold it in memory). */
async function randomFile(name: string, bytes: number): Promise<UploadSource> {
  const file = path.join(dir, name);
  const out = createWriteStream(file);
  for (let written = 0; written < bytes; written += mb) {
    if (!out.write(randomBytes(Math.min(mb, bytes - written)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { file, size: bytes, sha256: (await sha256File(file)).sha256, contentType: 'video/mp4', fileName: name };
}

function s3Config(bucket: string, endpoint = gw.endpoint): S3Target {
  return {
    kind: 's3',
    endpoint,
    region: gw.region,
    bucket,
    keyPrefix: 'media/',
    pathStyle: true,
    accessKeyId: gw.accessKeyId,
    publicBaseUrl: `${gw.endpoint}/${bucket}`,
  };
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The most memory `run` keeps alive at once, in MB above what was alive before it: V8 heap plus
 * buffers, sampled every 25 ms right after a full collection. RSS alone swings by tens of MB with
 * when the collector happens to run (6–29 MB for the same 50 MB upload); what is still reachable
 * after a collection is what the upload itself holds, so holding the file would show as ≥ 50 MB.
 */
async function peakLiveMb<T>(run: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  const live = () => {
    collectGarbage();
    const usage = process.memoryUsage();
    return usage.heapUsed + usage.external;
  };
  const baseline = live();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, live())), 25);
  try {
    const result = await run();
    return { result, peakMb: (peak - baseline) / mb };
  } finally {
    clearInterval(sampler);
  }
}

/** SHA-256 of what an anonymous reader gets from the public URL. */
async function publicSha(url: string): Promise<{ status: number; sha: string; type: string | null }> {
  const response = await fetch(url);
  const hash = createHash('sha256');
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) hash.update(chunk);
  return { status: response.status, sha: hash.digest('hex'), type: response.headers.get('content-type') };
}

describe.skipIf(missing)('uploads to radosgw', () => {
  beforeAll(async () => {
    gw = await useRadosGw();
    dir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-upload-'));
    proxy = await startUploadProxy(gw.endpoint);
  });
  afterAll(async () => {
    await proxy?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a tampered URL, a different body length and a different content type', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const source = await randomFile('small.mp4', 4096);
    const target = new S3UploadTarget(s3Config(bucket), gw.secretAccessKey);
    const signed = await target.presignPut(source);
    const put = (url: string, headers: Record<string, string>, length = source.size) => streamPut({ url, headers, file: source.file, start: 0, length });

    const otherKey = signed.url.replace(/\/media\/[0-9a-f]{64}/, `/media/${'0'.repeat(64)}`);
    expect(otherKey).not.toBe(signed.url);
    expect((await put(otherKey, signed.headers)).status).toBe(403);
    const forged = signed.url.replace(/X-Amz-Signature=([0-9a-f])/, (_all, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`);
    expect((await put(forged, signed.headers)).status).toBe(403);
    const longer = new URL(signed.url);
    longer.searchParams.set('X-Amz-Expires', '604800');
    expect((await put(longer.toString(), signed.headers)).status).toBe(403);
    expect((await put(signed.url, signed.headers, source.size - 1)).status).toBe(403);
    expect((await put(signed.url, { 'Content-Type': 'text/html' })).status).toBe(403);

    const good = await put(signed.url, signed.headers);
    expect(good.status).toBe(200);
    const read = await publicSha(signed.publicUrl);
    expect(read).toEqual({ status: 200, sha: source.sha256, type: 'video/mp4' });
  });

  it('refuses an expired URL, and the uploader signs a fresh one and completes', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const source = await randomFile('expiring.mp4', 64 * 1024);
    const shortLived = new S3UploadTarget(s3Config(bucket), gw.secretAccessKey, { expiresInSeconds: 1 });
    const stale = await shortLived.presignPut(source);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const refused = await streamPut({ url: stale.url, headers: stale.headers, file: source.file, start: 0, length: source.size });
    expect(refused.status).toBe(403);

    // The first URL the uploader gets is the stale one; it must notice the refusal and sign again.
    let signings = 0;
    const fresh = new S3UploadTarget(s3Config(bucket), gw.secretAccessKey);
    const target: UploadTarget = {
      where: fresh.where,
      presignPut: async (file) => (++signings === 1 ? { ...stale, expiresAt: null } : fresh.presignPut(file)),
    };
    const result = await new Uploader(fast).upload(source, target);
    expect(signings).toBe(2);
    expect(result.skipped).toBe(false);
    expect((await publicSha(result.publicUrl)).sha).toBe(source.sha256);
  });

  it('reports a wrong secret key as such, without retrying forever', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const source = await randomFile('wrong-key.mp4', 1024);
    const target = new S3UploadTarget(s3Config(bucket), 'not-the-secret-key-at-all');
    const started = Date.now();
    await expect(new Uploader(fast).upload(source, target)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/secret access key/),
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('uploads 50 MB with flat memory, in parts, and reads back the same bytes', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const source = await randomFile('fifty.mp4', 50 * mb);
    const target = new S3UploadTarget(s3Config(bucket), gw.secretAccessKey);
    const progress: number[] = [];
    const { result, peakMb } = await peakLiveMb(() => new Uploader(fast).upload(source, target, { onProgress: (sent) => progress.push(sent) }));
    console.log(`50 MB upload: at most ${peakMb.toFixed(1)} MB kept alive at once`);
    // Parts are 8 MB, streamed from disk in 256 kB reads: measured 0–8 MB alive (connection and TLS
    // buffers); holding the file, or every part, would keep 50 MB alive.
    expect(peakMb).toBeLessThan(20);
    expect(result.sentBytes).toBe(source.size);
    expect((await publicSha(result.publicUrl)).sha).toBe(source.sha256);
    expect(progress.length).toBeGreaterThan(50);
    expect(progress.at(-1)).toBe(source.size);
  });

  it('uploads 50 MB in one PUT with flat memory too', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const source = await randomFile('fifty-single.mp4', 50 * mb);
    const target = new S3UploadTarget(s3Config(bucket), gw.secretAccessKey, { multipartThreshold: Number.MAX_SAFE_INTEGER });
    const { result, peakMb } = await peakLiveMb(() => new Uploader(fast).upload(source, target));
    console.log(`50 MB single PUT: at most ${peakMb.toFixed(1)} MB kept alive at once`);
    expect(peakMb).toBeLessThan(20);
    expect((await publicSha(result.publicUrl)).sha).toBe(source.sha256);
  });

  it('resumes an upload stopped at 50% (as by quitting) from the parts already stored', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const source = await randomFile('resume.mp4', 50 * mb);
    const target = new S3UploadTarget(s3Config(bucket), gw.secretAccessKey);
    let saved: UploadState | null = null;
    const quit = new AbortController();
    const first = new Uploader(fast).upload(source, target, {
      signal: quit.signal,
      onProgress: (sent, total) => sent >= total / 2 && quit.abort(),
      saveState: async (state) => {
        saved = state;
      },
    });
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    const state = saved as UploadState | null;
    expect(state?.mode).toBe('multipart');
    const partsBefore = state?.mode === 'multipart' ? state.parts.length : 0;
    expect(partsBefore).toBeGreaterThanOrEqual(2);

    // A new uploader (a new launch) with the saved state: only the missing parts travel.
    const result = await new Uploader(fast).upload(source, target, { state, saveState: async (next) => void (saved = next) });
    expect(result.sentBytes).toBeLessThanOrEqual(source.size - partsBefore * 8 * mb);
    expect(result.sentBytes).toBeLessThan(source.size * 0.55);
    expect(saved).toBeNull();
    expect((await publicSha(result.publicUrl)).sha).toBe(source.sha256);
  });

  it('survives a connection cut at 50% and a 503, retrying with backoff', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const source = await randomFile('cut.mp4', 20 * mb);
    // Signed for the proxy's address: the proxy passes bytes through unchanged, so radosgw verifies them.
    const target = new S3UploadTarget({ ...s3Config(bucket, proxy.endpoint), publicBaseUrl: `${gw.endpoint}/${bucket}` }, gw.secretAccessKey);
    const before = proxy.bytesForwarded();
    proxy.fault({ kind: 'unavailable' });
    proxy.fault({ kind: 'cut', afterBytes: before + source.size / 2 });
    const result = await new Uploader(fast).upload(source, target);
    expect(proxy.faultsFired()).toBeGreaterThanOrEqual(2);
    expect((await publicSha(result.publicUrl)).sha).toBe(source.sha256);

    // One PUT (no parts): a cut restarts the file, and it still completes.
    const single = await randomFile('cut-single.mp4', 6 * mb);
    const singleTarget = new S3UploadTarget({ ...s3Config(bucket, proxy.endpoint), publicBaseUrl: `${gw.endpoint}/${bucket}` }, gw.secretAccessKey, {
      multipartThreshold: Number.MAX_SAFE_INTEGER,
    });
    const fired = proxy.faultsFired();
    proxy.fault({ kind: 'cut', afterBytes: proxy.bytesForwarded() + single.size / 2 });
    const singleResult = await new Uploader(fast).upload(single, singleTarget);
    expect(proxy.faultsFired()).toBe(fired + 1);
    expect((await publicSha(singleResult.publicUrl)).sha).toBe(single.sha256);
  });

  it('does not upload the same content twice: keys are content hashes', async () => {
    const bucket = await makeBucket(gw, { publicRead: true });
    const source = await randomFile('twice.mp4', 256 * 1024);
    const target = new S3UploadTarget(s3Config(bucket), gw.secretAccessKey);
    const first = await new Uploader(fast).upload(source, target);
    const second = await new Uploader(fast).upload({ ...source, fileName: 'renamed.mp4' }, target);
    expect(first.skipped).toBe(false);
    expect(second).toMatchObject({ skipped: true, publicUrl: first.publicUrl, sentBytes: 0 });
    expect(first.key).toBe(`media/${source.sha256}.mp4`);
    const other = await randomFile('other.mp4', 256 * 1024);
    expect((await new Uploader(fast).upload(other, target)).key).not.toBe(first.key);
  });
});
