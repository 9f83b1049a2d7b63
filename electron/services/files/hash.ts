/**
 * SHA-256, the studio's one file hasher: object keys of uploads, the hashes a review records and an
 * approval checks, archive manifests. Files and streams are read once and never held in memory whole.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';

export async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** SHA-256 of text (as UTF-8) or bytes, as lowercase hex. */
export function sha256Text(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A pass-through that hashes and counts what flows through it; `result` settles when it ends. */
export class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  private count = 0;
  readonly result: Promise<{ sha256: string; bytes: number }>;
  private settle!: (value: { sha256: string; bytes: number }) => void;

  constructor() {
    super();
    this.result = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.once('error', reject);
    });
    // Whoever awaits `result` sees the error; an unawaited one must not crash the process.
    this.result.catch(() => undefined);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.count += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.settle({ sha256: this.hash.digest('hex'), bytes: this.count });
    callback();
  }
}
