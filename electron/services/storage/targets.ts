/**
 * Upload targets: where a file goes and where it is then publicly readable. An S3-compatible bucket
 * is signed here with the AWS SDK v3 presigner (content type and length signed); a presign endpoint
 * is the user's own backend, asked for each file.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { checkCredentialUrl } from '../../../shared/credential-url';
import { type PresignTarget, type S3Target, presignAnswerSchema } from '../../../shared/contract/storage';
import { StudioError } from '../../../shared/errors';
import { redact } from '../log';
import { NetworkError } from './http-put';
import { objectKey, publicUrlFor } from './object-key';
import { publicUrlProblem } from './public-check';
import { isTransientStatus, refusalOfSdk } from './storage-errors';

export type UploadSource = {
  file: string;
  size: number;
  sha256: string;
  contentType: string;
  /** The name the file had on disk; presign endpoints may use it. */
  fileName: string;
};

export type PresignedPut = {
  url: string;
  headers: Record<string, string>;
  publicUrl: string;
  key: string | null;
  /** Milliseconds since the epoch; null when the target does not say. */
  expiresAt: number | null;
};

export type UploadedPart = { partNumber: number; etag: string; size: number };

/** Multipart uploads: parts that reached the bucket survive a cut connection or a restart. */
export interface MultipartSupport {
  readonly partSize: number;
  /** Files at least this large go in parts. */
  readonly threshold: number;
  create(source: UploadSource): Promise<{ key: string; uploadId: string }>;
  presignPart(key: string, uploadId: string, partNumber: number, size: number): Promise<PresignedPut>;
  /** Parts the bucket holds for this upload; null when the upload is unknown (completed or aborted). */
  listParts(key: string, uploadId: string): Promise<UploadedPart[] | null>;
  complete(key: string, uploadId: string, parts: UploadedPart[]): Promise<void>;
  abort(key: string, uploadId: string): Promise<void>;
  publicUrlOf(key: string): string;
}

export interface UploadTarget {
  /** For messages: "bucket media at https://…", "the presign endpoint https://…". */
  readonly where: string;
  presignPut(source: UploadSource, signal?: AbortSignal): Promise<PresignedPut>;
  /** When the object is already in the bucket with this size: its public URL and key. */
  alreadyStored?(source: UploadSource): Promise<{ publicUrl: string; key: string } | null>;
  readonly multipart?: MultipartSupport;
  /** Removes an object (the round-trip test cleans up after itself where it can). */
  remove?(key: string): Promise<void>;
}

export type S3TargetOptions = {
  /** How long a presigned URL lives; short, because it is used at once and signed again on expiry. */
  expiresInSeconds?: number;
  partSize?: number;
  multipartThreshold?: number;
};

const defaultPartSize = 8 * 1024 * 1024;

export class S3UploadTarget implements UploadTarget {
  readonly where: string;
  readonly multipart: MultipartSupport;
  private readonly client: S3Client;
  private readonly expiresIn: number;

  constructor(
    private readonly config: S3Target,
    secretAccessKey: string,
    options: S3TargetOptions = {},
  ) {
    if (config.endpoint !== null) {
      // The SDK client below is the only way this target talks to the bucket: refusing here means no
      // signed request (HEAD, multipart, delete) ever leaves for a plain-http host.
      const checked = checkCredentialUrl(config.endpoint, 'storage');
      if (!checked.ok) throw new StudioError('BAD_REQUEST', checked.reason, { fields: { 'target.endpoint': checked.reason } });
    }
    this.where = `bucket "${config.bucket}"${config.endpoint ? ` at ${config.endpoint}` : ` (AWS ${config.region})`}`;
    this.expiresIn = options.expiresInSeconds ?? 15 * 60;
    this.client = new S3Client({
      endpoint: config.endpoint ?? undefined,
      region: config.region,
      forcePathStyle: config.pathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey },
      // SDK v3 otherwise signs a CRC32 of an empty body into presigned PUTs, which real S3, R2 and MinIO reject.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 30_000 },
    });
    const partSize = Math.max(5 * 1024 * 1024, options.partSize ?? defaultPartSize);
    this.multipart = this.multipartSupport(partSize, options.multipartThreshold ?? 2 * partSize);
  }

  async presignPut(source: UploadSource): Promise<PresignedPut> {
    const key = this.keyOf(source);
    const command = new PutObjectCommand({ Bucket: this.config.bucket, Key: key, ContentType: source.contentType, ContentLength: source.size });
    return {
      url: await this.sign(command, true),
      headers: { 'Content-Type': source.contentType },
      publicUrl: this.publicUrl(key),
      key,
      expiresAt: this.deadline(),
    };
  }

  async alreadyStored(source: UploadSource): Promise<{ publicUrl: string; key: string } | null> {
    const key = this.keyOf(source);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: key }));
      return head.ContentLength === source.size ? { key, publicUrl: this.publicUrl(key) } : null;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // 403: a key may write without being allowed to read, and a HEAD carries no error code to tell
      // a wrong key from that. The upload itself then says what is wrong.
      if (status === 404 || status === 403) return null;
      throw refusalOfSdk(error, this.where);
    }
  }

  async remove(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
    } catch (error) {
      throw refusalOfSdk(error, this.where);
    }
  }

  private keyOf(source: UploadSource): string {
    return objectKey(this.config.keyPrefix, source.sha256, source.contentType, source.fileName);
  }

  private publicUrl(key: string): string {
    return publicUrlFor(this.config.publicBaseUrl, key);
  }

  private deadline(): number {
    return Date.now() + this.expiresIn * 1000;
  }

  /** Content length (and type, for whole objects) are signed: the server refuses any other body. */
  private sign(command: PutObjectCommand | UploadPartCommand, withType: boolean): Promise<string> {
    const options = { expiresIn: this.expiresIn, signableHeaders: new Set(withType ? ['content-type', 'content-length'] : ['content-length']) };
    return command instanceof PutObjectCommand ? getSignedUrl(this.client, command, options) : getSignedUrl(this.client, command, options);
  }

  private multipartSupport(partSize: number, threshold: number): MultipartSupport {
    const { client, where } = this;
    const bucket = this.config.bucket;
    return {
      partSize,
      threshold,
      create: async (source) => {
        const key = this.keyOf(source);
        try {
          const answer = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: source.contentType }));
          if (!answer.UploadId) throw new StudioError('SERVICE', `The storage did not start a multipart upload at ${where}.`);
          return { key, uploadId: answer.UploadId };
        } catch (error) {
          throw refusalOfSdk(error, where);
        }
      },
      presignPart: async (key, uploadId, partNumber, size) => {
        const url = await this.sign(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, ContentLength: size }),
          false,
        );
        return { url, headers: {}, publicUrl: this.publicUrl(key), key, expiresAt: this.deadline() };
      },
      listParts: async (key, uploadId) => {
        const parts: UploadedPart[] = [];
        let marker: string | undefined;
        try {
          for (;;) {
            const page = await client.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }));
            for (const part of page.Parts ?? []) {
              if (part.PartNumber && part.ETag && part.Size !== undefined) parts.push({ partNumber: part.PartNumber, etag: part.ETag, size: part.Size });
            }
            if (!page.IsTruncated || !page.NextPartNumberMarker) break;
            marker = page.NextPartNumberMarker;
          }
          return parts;
        } catch (error) {
          if ((error as { name?: string }).name === 'NoSuchUpload') return null;
          throw refusalOfSdk(error, where);
        }
      },
      complete: async (key, uploadId, parts) => {
        const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
        try {
          await client.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key: key,
              UploadId: uploadId,
              MultipartUpload: { Parts: sorted.map((part) => ({ PartNumber: part.partNumber, ETag: part.etag })) },
            }),
          );
        } catch (error) {
          throw refusalOfSdk(error, where);
        }
      },
      publicUrlOf: (key) => this.publicUrl(key),
      abort: async (key, uploadId) => {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
      },
    };
  }
}

export type PresignEndpointOptions = {
  /**
   * Whether the upload URLs the endpoint hands out may be http: on loopback (sandbox, tests). The
   * endpoint itself follows the credential rule (shared/credential-url.ts) whatever this says.
   */
  allowHttpLoopback: boolean;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

const forbiddenHeaders = new Set([
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
  'authorization',
  'cookie',
  'expect',
  'upgrade',
  'te',
  'trailer',
]);

/** `X-Amz-Date` + `X-Amz-Expires` of a SigV4 presigned URL, as a deadline; null for other URLs. */
export function presignedDeadline(url: string): number | null {
  const params = new URL(url).searchParams;
  const date = params.get('X-Amz-Date');
  const expires = Number(params.get('X-Amz-Expires'));
  const match = date && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!match || !Number.isFinite(expires) || expires <= 0) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) + expires * 1000;
}

export class PresignEndpointTarget implements UploadTarget {
  readonly where: string;
  private readonly fetchImpl: typeof fetch;
  /** The endpoint as checked: the very string fetched, so nothing can change between check and send. */
  private readonly endpoint: string;

  constructor(
    config: PresignTarget,
    private readonly token: string | null,
    private readonly options: PresignEndpointOptions,
  ) {
    // The token goes with every request: refused here, before this target can send anything.
    const checked = checkCredentialUrl(config.url, 'presign');
    if (!checked.ok) throw new StudioError('BAD_REQUEST', checked.reason, { fields: { 'target.url': checked.reason } });
    this.endpoint = checked.value.href;
    this.where = `the presign endpoint ${config.url}`;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async presignPut(source: UploadSource, signal?: AbortSignal): Promise<PresignedPut> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 20_000);
    let response: Response;
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({ fileName: source.fileName, contentType: source.contentType, size: source.size, sha256: source.sha256 }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        redirect: 'error',
      });
    } catch (error) {
      if (signal?.aborted) throw new StudioError('CANCELLED', 'Upload cancelled.');
      throw new NetworkError(
        `${this.where} could not be reached${timeout.aborted ? ' in time' : ''}. Check the address under Settings → Storage and that the backend is running.`,
        String(error),
      );
    }
    const text = await response.text().catch(() => '');
    if (response.status === 401 || response.status === 403) {
      throw new StudioError('UNAUTHORIZED', `${this.where} refused the token (HTTP ${response.status}). Enter the right token under Settings → Storage.`);
    }
    if (isTransientStatus(response.status)) {
      throw new NetworkError(`${this.where} had a problem (HTTP ${response.status}).`, `HTTP ${response.status}`);
    }
    if (!response.ok) {
      throw new StudioError(
        'SERVICE',
        `${this.where} refused to sign the upload (HTTP ${response.status}): ${redact(text.slice(0, 200)) || 'no reason given'}.`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = presignAnswerSchema.safeParse(json);
    if (!parsed.success) {
      throw new StudioError('SERVICE', `${this.where} answered in an unexpected shape: it must answer {"uploadUrl", "publicUrl", "headers"?}.`);
    }
    const answer = parsed.data;
    // A signed upload URL is as good as a key for its object: the credential rule first (its reason
    // is the one that matters), then loopback http only where this target allows it.
    const signed = checkCredentialUrl(answer.uploadUrl, 'upload');
    if (!signed.ok) throw new StudioError('SERVICE', `${this.where} gave an upload address the studio will not use. ${signed.reason}`);
    const uploadProblem = publicUrlProblem(answer.uploadUrl, this.options.allowHttpLoopback, 'The upload URL it gave');
    if (uploadProblem) throw new StudioError('SERVICE', `${this.where}: ${uploadProblem}`);
    // Lower-case names: the backend's `content-type` must replace ours, not travel beside it.
    const headers: Record<string, string> = { 'content-type': source.contentType };
    for (const [name, value] of Object.entries(answer.headers ?? {})) {
      if (forbiddenHeaders.has(name.toLowerCase())) continue;
      headers[name.toLowerCase()] = value;
    }
    return { url: answer.uploadUrl, headers, publicUrl: answer.publicUrl, key: null, expiresAt: presignedDeadline(answer.uploadUrl) };
  }
}
