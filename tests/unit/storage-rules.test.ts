/**
 * The storage rules that need no server: which public URLs the service can use, how object keys and
 * public URLs are formed, how parts are cut, how S3 refusals read, and the contract's input checks.
 */
import { describe, expect, it } from 'vitest';
import { s3TargetSchema, storageTargetSchema } from '../../shared/contract/storage';
import { sha256Text as sha256Bytes } from '../../electron/services/files/hash';
import { extensionFor, objectKey, publicUrlFor } from '../../electron/services/storage/object-key';
import { isLoopbackHost, publicUrlProblem } from '../../electron/services/storage/public-check';
import { mayBeExpired, refusalOfPut, s3ErrorCode } from '../../electron/services/storage/storage-errors';
import { presignedDeadline } from '../../electron/services/storage/targets';
import { partSizes } from '../../electron/services/storage/uploader';

describe('public URLs', () => {
  it('accepts HTTPS anywhere and http only on loopback, only when allowed', () => {
    expect(publicUrlProblem('https://cdn.example.com/a.mp3', false)).toBeNull();
    expect(publicUrlProblem('http://cdn.example.com/a.mp3', true)).toMatch(/not HTTPS/);
    expect(publicUrlProblem('http://127.0.0.1:9000/a.mp3', false)).toMatch(/not HTTPS/);
    expect(publicUrlProblem('http://127.0.0.1:9000/a.mp3', true)).toBeNull();
    expect(publicUrlProblem('http://[::1]:9000/a.mp3', true)).toBeNull();
    expect(publicUrlProblem('ftp://example.com/a.mp3', true)).toMatch(/https/);
    expect(publicUrlProblem('not a url', true)).toMatch(/not a valid address/);
    expect(isLoopbackHost('127.8.9.1')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
  });
});

describe('object keys', () => {
  it('names an object by its content hash and type, under the prefix', () => {
    const sha = sha256Bytes('hello');
    expect(sha).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(objectKey('twins/', sha, 'audio/mpeg', 'prepared-voice.mp3')).toBe(`twins/${sha}.mp3`);
    expect(objectKey('', sha, 'video/mp4; codecs=avc1')).toBe(`${sha}.mp4`);
    expect(extensionFor('application/x-unknown', 'file.flac')).toBe('flac');
    expect(extensionFor('application/x-unknown')).toBe('bin');
  });

  it('builds public URLs with one slash and encoded segments', () => {
    expect(publicUrlFor('https://cdn.example.com/media/', 'a b/c.mp3')).toBe('https://cdn.example.com/media/a%20b/c.mp3');
    expect(publicUrlFor('https://cdn.example.com', 'k.jpg')).toBe('https://cdn.example.com/k.jpg');
  });

  it('cuts a file into parts of the part size, the last one shorter', () => {
    expect(partSizes(20, 8)).toEqual([8, 8, 4]);
    expect(partSizes(16, 8)).toEqual([8, 8]);
    expect(partSizes(0, 8)).toEqual([]);
  });

  it('reads the deadline of a SigV4 presigned URL', () => {
    const url = 'https://s3.example.com/b/k?X-Amz-Date=20260102T030405Z&X-Amz-Expires=900&X-Amz-Signature=abc';
    expect(presignedDeadline(url)).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) + 900_000);
    expect(presignedDeadline('https://example.com/upload?sig=1')).toBeNull();
  });
});

describe('S3 refusals', () => {
  const body = (code: string) => `<?xml version="1.0"?><Error><Code>${code}</Code><Message>m</Message></Error>`;

  it('says what to change for each refusal', () => {
    expect(s3ErrorCode(body('NoSuchBucket'))).toBe('NoSuchBucket');
    expect(refusalOfPut(403, body('SignatureDoesNotMatch'), 'bucket "b"')).toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/secret access key/),
    });
    expect(refusalOfPut(403, body('InvalidAccessKeyId'), 'bucket "b"')).toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/access key id/),
    });
    expect(refusalOfPut(404, body('NoSuchBucket'), 'bucket "b"')).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/does not exist/) });
    expect(refusalOfPut(403, body('RequestTimeTooSkewed'), 'bucket "b"').message).toMatch(/clock/);
    expect(refusalOfPut(503, '', 'bucket "b"').code).toBe('NETWORK');
    expect(refusalOfPut(400, body('InvalidArgument'), 'bucket "b"')).toMatchObject({ code: 'SERVICE', message: expect.stringMatching(/InvalidArgument: m/) });
  });

  it('signs again after any 403 (an expired URL is refused as AccessDenied, often without saying so)', () => {
    expect(mayBeExpired(403, body('AccessDenied'))).toBe(true);
    expect(mayBeExpired(403, '')).toBe(true);
    expect(mayBeExpired(400, body('ExpiredToken'))).toBe(true);
    expect(mayBeExpired(500, '')).toBe(false);
  });
});

describe('storage settings contract', () => {
  const s3 = {
    kind: 's3',
    endpoint: null,
    region: 'eu-central-1',
    bucket: 'media-bucket',
    keyPrefix: 'twin-studio',
    pathStyle: false,
    accessKeyId: 'AKIAEXAMPLE',
    publicBaseUrl: 'https://cdn.example.com',
  };

  it('normalises the key prefix and refuses path tricks and bad bucket names', () => {
    expect(s3TargetSchema.parse(s3).keyPrefix).toBe('twin-studio/');
    expect(s3TargetSchema.parse({ ...s3, keyPrefix: '' }).keyPrefix).toBe('');
    expect(s3TargetSchema.safeParse({ ...s3, keyPrefix: '../etc' }).success).toBe(false);
    expect(s3TargetSchema.safeParse({ ...s3, keyPrefix: 'a//b' }).success).toBe(false);
    expect(s3TargetSchema.parse({ ...s3, keyPrefix: 'a/b' }).keyPrefix).toBe('a/b/');
    expect(s3TargetSchema.safeParse({ ...s3, bucket: 'Media_Bucket' }).success).toBe(false);
    expect(s3TargetSchema.safeParse({ ...s3, region: 'EU Central' }).success).toBe(false);
    expect(storageTargetSchema.safeParse({ kind: 'presign', url: 'https://api.example.com/presign' }).success).toBe(true);
    expect(storageTargetSchema.safeParse({ kind: 'ftp', url: 'x' }).success).toBe(false);
  });
});
