/**
 * The test-side handle on the run's shared radosgw: asks the global setup's coordinator for it, or,
 * where the setup did not run (another config), starts one for this file and stops it afterwards.
 * Each test then makes its own bucket, so tests never see each other's objects.
 */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketPolicyCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, inject } from 'vitest';
import { type RadosGw, type RadosGwInfo, startRadosGw } from './radosgw';

let own: Promise<RadosGw> | null = null;

// Registered while the test file is collected, so it runs once after the file's tests.
afterAll(async () => {
  if (own) await (await own.catch(() => null))?.stop();
});

export async function useRadosGw(): Promise<RadosGwInfo> {
  let coordinator: string | undefined;
  try {
    coordinator = inject('radosgwCoordinator');
  } catch {
    coordinator = undefined;
  }
  if (coordinator) {
    const response = await fetch(`${coordinator}/ensure`, { method: 'POST', signal: AbortSignal.timeout(120_000) });
    if (!response.ok) throw new Error(await response.text());
    return (await response.json()) as RadosGwInfo;
  }
  own ??= startRadosGw();
  return own;
}

export function adminClient(gw: RadosGwInfo): S3Client {
  return new S3Client({
    endpoint: gw.endpoint,
    region: gw.region,
    forcePathStyle: true,
    credentials: { accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A new bucket; `publicRead` gives it the policy a public media bucket has (anonymous GetObject). */
export async function makeBucket(gw: RadosGwInfo, options: { publicRead: boolean }): Promise<string> {
  const bucket = `t-${randomBytes(6).toString('hex')}`;
  const s3 = adminClient(gw);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (options.publicRead) await setPublicRead(gw, bucket, true);
  return bucket;
}

export async function setPublicRead(gw: RadosGwInfo, bucket: string, publicRead: boolean): Promise<void> {
  const s3 = adminClient(gw);
  if (!publicRead) {
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    return;
  }
  const policy = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }],
  };
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
}
