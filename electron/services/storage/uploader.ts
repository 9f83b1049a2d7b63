/**
 * Uploads one file to a target: streamed from disk, with progress, retries with backoff on network
 * errors and 5xx, a freshly signed URL when one is refused (it may have expired), and for large files
 * a multipart upload whose finished parts are recorded, so a cut connection or a restart continues
 * from the last part rather than from the first byte.
 */
import { StudioError } from '../../../shared/errors';
import type { Logger } from '../log';
import { NetworkError, type PutResponse, streamPut } from './http-put';
import { isTransientStatus, mayBeExpired, refusalOfPut } from './storage-errors';
import type { PresignedPut, UploadSource, UploadTarget, UploadedPart } from './targets';
import { sleepUnlessAborted } from '../abortable-sleep';

export type RetryPolicy = { attempts: number; baseDelayMs: number; maxDelayMs: number };
export const defaultUploadRetry: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 15_000 };

/** What survives a restart: for a multipart upload, the parts the bucket already has. */
export type UploadState = { mode: 'single' } | { mode: 'multipart'; key: string; uploadId: string; partSize: number; parts: UploadedPart[] };

export type UploadOptions = {
  signal?: AbortSignal;
  /** Bytes that reached the target so far (parts already stored count) and the total. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** State from an earlier, interrupted run of the same file. */
  state?: UploadState | null;
  /** Called whenever the state changes (a part finished), so the caller can persist it. */
  saveState?: (state: UploadState | null) => Promise<void>;
};

export type UploadResult = { publicUrl: string; key: string | null; skipped: boolean; sentBytes: number };

export type UploaderOptions = {
  log: Logger;
  retry?: Partial<RetryPolicy>;
  idleTimeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
};

function sleepAbortable(ms: number, signal?: AbortSignal): Promise<void> {
  return sleepUnlessAborted(ms, signal, () => new StudioError('CANCELLED', 'Upload cancelled.'));
}

export class Uploader {
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: UploaderOptions) {
    this.retry = { ...defaultUploadRetry, ...options.retry };
    this.sleep = options.sleep ?? sleepAbortable;
    this.random = options.random ?? Math.random;
  }

  async upload(source: UploadSource, target: UploadTarget, options: UploadOptions = {}): Promise<UploadResult> {
    const log = this.options.log;
    const stored = await this.withRetries(target, 'check for an earlier upload', options.signal, async () =>
      target.alreadyStored ? target.alreadyStored(source) : null,
    );
    if (stored) {
      log.info('already in storage, not uploading again', { key: stored.key, bytes: source.size });
      options.onProgress?.(source.size, source.size);
      await options.saveState?.(null);
      return { ...stored, skipped: true, sentBytes: 0 };
    }
    const multipart = target.multipart;
    if (multipart && source.size >= multipart.threshold) return this.uploadInParts(source, target, options);
    if (options.state?.mode !== 'single') await options.saveState?.({ mode: 'single' });
    const result = await this.putWithRetries(target, source, 0, source.size, options, (signal) => target.presignPut(source, signal));
    await options.saveState?.(null);
    return { publicUrl: result.presigned.publicUrl, key: result.presigned.key, skipped: false, sentBytes: result.sent };
  }

  private async uploadInParts(source: UploadSource, target: UploadTarget, options: UploadOptions): Promise<UploadResult> {
    const multipart = target.multipart!;
    const log = this.options.log;
    let state = options.state?.mode === 'multipart' && options.state.partSize === multipart.partSize ? options.state : null;
    if (state) {
      const known = state;
      const listed = await this.withRetries(target, 'list the parts already uploaded', options.signal, () => multipart.listParts(known.key, known.uploadId));
      if (listed === null) {
        log.info('the earlier multipart upload is gone; starting again', { key: known.key });
        state = null;
      } else {
        // The bucket's list is the truth: a part recorded here but not there is sent again.
        const sizes = partSizes(source.size, known.partSize);
        const parts = listed.filter((part) => sizes[part.partNumber - 1] === part.size);
        state = { ...known, parts };
        log.info('resuming a multipart upload', { key: known.key, partsDone: parts.length, partsTotal: sizes.length });
      }
    }
    if (!state) {
      const created = await this.withRetries(target, 'start the upload', options.signal, () => multipart.create(source));
      state = { mode: 'multipart', key: created.key, uploadId: created.uploadId, partSize: multipart.partSize, parts: [] };
    }
    await options.saveState?.(state);

    const sizes = partSizes(source.size, state.partSize);
    let done = state.parts.reduce((sum, part) => sum + part.size, 0);
    let sent = 0;
    options.onProgress?.(done, source.size);
    for (let index = 0; index < sizes.length; index++) {
      const partNumber = index + 1;
      if (state.parts.some((part) => part.partNumber === partNumber)) continue;
      const size = sizes[index]!;
      const { key, uploadId } = state;
      const result = await this.putWithRetries(
        target,
        source,
        index * state.partSize,
        size,
        { ...options, onProgress: options.onProgress ? (bytes) => options.onProgress!(done + bytes, source.size) : undefined },
        () => multipart.presignPart(key, uploadId, partNumber, size),
      );
      const etag = result.response.headers.etag;
      if (typeof etag !== 'string' || !etag)
        throw new StudioError('SERVICE', `The storage accepted a part but sent no ETag, so the upload cannot be finished. Check ${target.where}.`);
      state = { ...state, parts: [...state.parts, { partNumber, etag, size }] };
      done += size;
      sent += result.sent;
      await options.saveState?.(state);
    }
    const finished = state;
    await this.withRetries(target, 'finish the upload', options.signal, () => multipart.complete(finished.key, finished.uploadId, finished.parts));
    await options.saveState?.(null);
    return { publicUrl: multipart.publicUrlOf(finished.key), key: finished.key, skipped: false, sentBytes: sent };
  }

  /** Retries a control call (not a body upload) on network trouble. */
  private async withRetries<T>(target: UploadTarget, what: string, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof StudioError) || error.code !== 'NETWORK' || attempt >= this.retry.attempts) throw error;
        this.options.log.warn(`could not ${what}, trying again`, { where: target.where, attempt, message: error.message });
        await this.sleep(this.backoffMs(attempt), signal);
      }
    }
  }

  /** One byte range, PUT to a signed URL until it is stored or the failure is not worth retrying. */
  private async putWithRetries(
    target: UploadTarget,
    source: UploadSource,
    start: number,
    length: number,
    options: UploadOptions,
    presign: (signal?: AbortSignal) => Promise<PresignedPut>,
  ): Promise<{ presigned: PresignedPut; response: PutResponse; sent: number }> {
    const log = this.options.log;
    let presigned = await this.withRetries(target, 'sign the upload', options.signal, () => presign(options.signal));
    let resigned = false;
    let lastProblem: StudioError | null = null;
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      if (presigned.expiresAt !== null && Date.now() > presigned.expiresAt - 30_000) {
        presigned = await this.withRetries(target, 'sign the upload', options.signal, () => presign(options.signal));
      }
      let sentNow = 0;
      let response: PutResponse;
      try {
        response = await streamPut({
          url: presigned.url,
          headers: presigned.headers,
          file: source.file,
          start,
          length,
          signal: options.signal,
          idleTimeoutMs: this.options.idleTimeoutMs,
          onBytes: (bytes) => {
            sentNow = bytes;
            options.onProgress?.(bytes, source.size);
          },
        });
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        lastProblem = error;
        log.warn('upload interrupted, trying again', { where: target.where, attempt, sentBytes: sentNow, reason: error.detail });
        options.onProgress?.(0, source.size);
        if (attempt < this.retry.attempts) await this.sleep(this.backoffMs(attempt), options.signal);
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        log.info('uploaded', { where: target.where, bytes: length, attempt });
        return { presigned, response, sent: length };
      }
      const refusal = refusalOfPut(response.status, response.body, target.where);
      if (!resigned && mayBeExpired(response.status, response.body)) {
        // Signed again at once: an expired URL is the common cause, and a wrong key fails again anyway.
        log.info('upload refused, signing again', { where: target.where, status: response.status });
        resigned = true;
        presigned = await this.withRetries(target, 'sign the upload', options.signal, () => presign(options.signal));
        attempt -= 1;
        continue;
      }
      if (!isTransientStatus(response.status)) throw refusal;
      lastProblem = refusal;
      log.warn('storage failed, trying again', { where: target.where, attempt, status: response.status });
      if (attempt < this.retry.attempts) await this.sleep(this.backoffMs(attempt), options.signal);
    }
    throw new StudioError(
      'NETWORK',
      `${lastProblem?.message ?? 'The upload failed.'} Gave up after ${this.retry.attempts} attempts; the parts already stored are kept, so trying again continues from there.`,
    );
  }

  private backoffMs(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }
}

/** Sizes of the parts of a file: all `partSize` but the last. */
export function partSizes(total: number, partSize: number): number[] {
  const sizes: number[] = [];
  for (let offset = 0; offset < total; offset += partSize) sizes.push(Math.min(partSize, total - offset));
  return sizes;
}
