/**
 * `upload200MB`: the studio's upload of a 200 MB file to a real S3 server (radosgw on loopback, started
 * for the run) against `curl -T` of the same file to the same server in the same run, and the process's
 * peak memory while uploading. The studio's path is the one submissions take: multipart, 8 MB parts,
 * each streamed from disk through node:http with progress counted.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { sha256File } from '../../electron/services/files/hash';
import { S3UploadTarget } from '../../electron/services/storage/targets';
import { Uploader } from '../../electron/services/storage/uploader';
import { startRadosGw } from '../../tests/support/radosgw';
import { measure, ratio, round } from './measure';
import type { Benchmark, BenchContext } from './types';

const run = promisify(execFile);
const mb = 1024 * 1024;
const size = 200 * mb;

/** 200 MB of random bytes (incompressible, like encoded media), kept in the cache between runs. */
async function input(context: BenchContext): Promise<string> {
  const file = path.join(context.cacheDir, 'upload-200mb.bin');
  if (existsSync(file) && statSync(file).size === size) return file;
  context.note('making a 200 MB input file');
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  for (let written = 0; written < size; written += mb) if (!out.write(randomBytes(mb))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
  return file;
}

export const upload200MB: Benchmark = {
  key: 'upload200MB',
  description: 'upload 200 MB to radosgw (multipart, streamed) vs curl -T, and peak RSS',
  async run(context) {
    const file = await input(context);
    const { sha256 } = await sha256File(file);
    context.note('starting radosgw (about 15 s)');
    const gw = await startRadosGw();
    try {
      const bucket = `bench-${randomBytes(4).toString('hex')}`;
      const admin = new S3Client({
        endpoint: gw.endpoint,
        region: gw.region,
        forcePathStyle: true,
        credentials: { accessKeyId: gw.accessKeyId, secretAccessKey: gw.secretAccessKey },
        requestChecksumCalculation: 'WHEN_REQUIRED',
      });
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
      const policy = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] }],
      };
      await admin.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify(policy) }));
      const config = (prefix: string) =>
        ({
          kind: 's3',
          endpoint: gw.endpoint,
          region: gw.region,
          bucket,
          keyPrefix: prefix,
          pathStyle: true,
          accessKeyId: gw.accessKeyId,
          publicBaseUrl: `${gw.endpoint}/${bucket}`,
        }) as const;

      // curl: one presigned PUT of the whole file, as a person would do it by hand.
      const curlSigned = await new S3UploadTarget(config('curl/'), gw.secretAccessKey).presignPut({
        file,
        size,
        sha256,
        contentType: 'video/mp4',
        fileName: 'bench.mp4',
      });
      context.note('curl -T');
      const curlStarted = performance.now();
      const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-T', file, '-H', 'Content-Type: video/mp4', curlSigned.url]);
      const curlMs = Math.round(performance.now() - curlStarted);
      if (stdout.trim() !== '200') throw new Error(`curl -T answered HTTP ${stdout.trim()}`);

      context.note('studio uploader');
      const baselineRss = process.memoryUsage.rss();
      const uploader = new Uploader({ log: context.quiet });
      const measured = await measure(() =>
        uploader.upload({ file, size, sha256, contentType: 'video/mp4', fileName: 'bench.mp4' }, new S3UploadTarget(config('studio/'), gw.secretAccessKey)),
      );
      if (measured.result.sentBytes !== size) throw new Error(`the uploader sent ${measured.result.sentBytes} bytes, not ${size}`);
      const check = await fetch(measured.result.publicUrl, { method: 'HEAD' });
      if (check.status !== 200 || Number(check.headers.get('content-length')) !== size)
        throw new Error(`the uploaded object reads back as HTTP ${check.status}`);
      return {
        ms: measured.ms,
        curlMs,
        ratio: ratio(measured.ms, curlMs),
        peakRssMb: measured.peakRssMb,
        rssGrowthMb: round((measured.peakRssMb * mb - baselineRss) / mb),
        mbPerSecond: round(200 / (measured.ms / 1000)),
        curlMbPerSecond: round(200 / (curlMs / 1000)),
        maxLoopDelayMs: measured.maxLoopDelayMs,
        p99LoopDelayMs: measured.p99LoopDelayMs,
        referenceMaxLoopDelayMs: measured.referenceMaxLoopDelayMs,
        referenceP99LoopDelayMs: measured.referenceP99LoopDelayMs,
        loadAverage: measured.loadAverage,
      };
    } finally {
      await gw.stop();
    }
  },
};
