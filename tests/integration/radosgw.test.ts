/** The radosgw harness itself: a real S3 server that refuses what real S3 refuses. */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import { radosgwMissing } from '../support/radosgw';
import { adminClient, makeBucket, useRadosGw } from '../support/radosgw-shared';

const missing = radosgwMissing('radosgw harness tests');

describe.skipIf(missing)('radosgw harness', () => {
  it('serves signed requests, refuses unsigned writes and serves public reads anonymously', async () => {
    const gw = await useRadosGw();
    const bucket = await makeBucket(gw, { publicRead: true });
    const s3 = adminClient(gw);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'hello.txt', Body: 'hello', ContentType: 'text/plain' }));
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'hello.txt' }));
    expect(await object.Body!.transformToString()).toBe('hello');

    const anonymous = await fetch(`${gw.endpoint}/${bucket}/hello.txt`);
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).toBe('hello');

    const unsigned = await fetch(`${gw.endpoint}/${bucket}/other.txt`, { method: 'PUT', body: 'x' });
    expect(unsigned.status).toBe(403);
  });

  it('checks the signature of a presigned PUT', async () => {
    const gw = await useRadosGw();
    const bucket = await makeBucket(gw, { publicRead: false });
    const url = await getSignedUrl(adminClient(gw), new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', ContentType: 'text/plain', ContentLength: 2 }), {
      expiresIn: 60,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    const forged = url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`);
    expect((await fetch(forged, { method: 'PUT', body: 'ok', headers: { 'Content-Type': 'text/plain' } })).status).toBe(403);
    expect((await fetch(url, { method: 'PUT', body: 'ok', headers: { 'Content-Type': 'text/plain' } })).status).toBe(200);
    // The bucket has no public-read policy: an anonymous read is refused.
    expect((await fetch(`${gw.endpoint}/${bucket}/a.txt`)).status).toBe(403);
  });
});
