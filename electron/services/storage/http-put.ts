/**
 * One streamed HTTP PUT of a file range through node:http(s): the file is read from disk as the socket
 * takes it (memory does not grow with the file), and every chunk handed on is counted, because
 * Node's fetch reports no upload progress.
 */
import { createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkCredentialUrl } from '../../../shared/credential-url';
import { StudioError } from '../../../shared/errors';

export type PutRequest = {
  url: string;
  headers: Record<string, string>;
  file: string;
  /** Byte range of the file to send: [start, start + length). */
  start: number;
  length: number;
  signal?: AbortSignal;
  /** The request fails when the connection is silent this long (no bytes either way). */
  idleTimeoutMs?: number;
  onBytes?: (sentInThisRequest: number) => void;
};

export type PutResponse = {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The first 64 KB of the answer: enough for an S3 error document. */
  body: string;
};

/** The connection broke or never opened: worth trying again. */
export class NetworkError extends StudioError {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super('NETWORK', message);
    this.name = 'NetworkError';
  }
}

const maxBodyBytes = 64 * 1024;
const readChunkBytes = 256 * 1024;

/**
 * PUTs the range and resolves with the answer, whatever its status. Rejects with NetworkError when the
 * connection fails (worth a retry), CANCELLED when aborted, and BAD_REQUEST, before any connection is
 * opened, when the URL fails the credential rule (a signed URL is as good as the key for its object).
 */
export function streamPut(request: PutRequest): Promise<PutResponse> {
  const checked = checkCredentialUrl(request.url, 'upload');
  if (!checked.ok) return Promise.reject(new StudioError('BAD_REQUEST', checked.reason));
  const url = new URL(checked.value.href);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<PutResponse>((resolve, reject) => {
    if (request.signal?.aborted) return reject(new StudioError('CANCELLED', 'Upload cancelled.'));
    let answered = false;
    let finished = false;
    const finish = (error: Error | null, response?: PutResponse) => {
      if (finished) return;
      finished = true;
      request.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(response!);
    };
    const req = transport.request(url, {
      method: 'PUT',
      headers: { ...request.headers, 'Content-Length': String(request.length) },
      // A fresh connection per request: a connection broken mid-upload must not be reused.
      agent: false,
    });
    const onAbort = () => req.destroy(new StudioError('CANCELLED', 'Upload cancelled.'));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    req.setTimeout(request.idleTimeoutMs ?? 60_000, () => req.destroy(Object.assign(new Error('no progress on the connection'), { code: 'ETIMEDOUT' })));

    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < maxBodyBytes) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () =>
        finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8').slice(0, maxBodyBytes) }),
      );
      res.on('error', (error) => finish(networkError(error)));
    });
    req.on('error', (error) => {
      if (answered) return;
      finish(error instanceof StudioError ? error : networkError(error));
    });

    if (request.length === 0) {
      req.end();
      return;
    }
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sent += chunk.length;
        request.onBytes?.(sent);
        callback(null, chunk);
      },
    });
    const source = createReadStream(request.file, {
      start: request.start,
      end: request.start + request.length - 1,
      highWaterMark: readChunkBytes,
    });
    pipeline(source, counter, req).catch((error: unknown) => {
      // A server may answer (403, 413…) before the body is sent and close: its answer wins.
      if (answered) return;
      req.destroy();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') finish(new StudioError('NOT_FOUND', 'The file to upload is gone from the draft folder.'));
      else finish(error instanceof StudioError ? error : networkError(error));
    });
  });
}

function networkError(error: unknown): NetworkError {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  const reason =
    code === 'ECONNREFUSED'
      ? 'the connection was refused'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name does not resolve'
        : code === 'ETIMEDOUT'
          ? 'the connection went silent'
          : code === 'ECONNRESET' || code === 'EPIPE'
            ? 'the connection was cut'
            : `the connection failed (${code})`;
  return new NetworkError(`The storage could not be reached: ${reason}.`, code);
}
