/**
 * The sandbox's storage: a loopback presign endpoint and a public media host beside it, behaving like
 * a real bucket behind a backend. POST /presign (Bearer token) answers `{uploadUrl, headers, publicUrl}`;
 * the upload URL is HMAC-signed over key, content type, length and expiry, and a PUT that differs in any
 * of them is refused with 403, as S3 would; GET /media/<key> serves the file to anyone, with its type.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { presignRequestSchema } from '../../../shared/contract/storage';
import type { Logger } from '../log';
import { extensionFor } from '../storage/object-key';

export type MediaHost = {
  url: string;
  presignUrl: string;
  token: string;
  /** Files under `<dir>`; each `<key>` has a `<key>.type` beside it holding its content type. */
  dir: string;
  close(): Promise<void>;
};

export type MediaHostOptions = {
  dir: string;
  log: Logger;
  token?: string;
  port?: number;
  /** How long an upload URL is valid. */
  expiresInSeconds?: number;
  now?: () => number;
};

const keyPattern = /^[0-9a-f]{64}\.[a-z0-9]{1,5}$/;

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export async function startMediaHost(options: MediaHostOptions): Promise<MediaHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const signingKey = randomBytes(32);
  const now = options.now ?? Date.now;
  const expiresIn = options.expiresInSeconds ?? 15 * 60;
  const log = options.log;
  await fs.mkdir(options.dir, { recursive: true });
  let origin = '';

  const signature = (key: string, type: string, size: number, expires: number) =>
    createHmac('sha256', signingKey).update(`${key}\n${type}\n${size}\n${expires}`).digest('hex');

  const send = (res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(body);
  };

  async function presign(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!same(req.headers.authorization ?? '', `Bearer ${token}`)) return send(res, 401, '{"error":"token"}', 'application/json');
    let body = '';
    for await (const chunk of req) {
      body += (chunk as Buffer).toString();
      if (body.length > 64 * 1024) return send(res, 413, 'too large');
    }
    let parsed;
    try {
      parsed = presignRequestSchema.safeParse(JSON.parse(body));
    } catch {
      return send(res, 400, '{"error":"json"}', 'application/json');
    }
    if (!parsed.success) return send(res, 400, '{"error":"fields"}', 'application/json');
    const { sha256, contentType, size, fileName } = parsed.data;
    const key = `${sha256}.${extensionFor(contentType, fileName)}`;
    const expires = Math.floor(now() / 1000) + expiresIn;
    const params = new URLSearchParams({ type: contentType, size: String(size), expires: String(expires), sig: signature(key, contentType, size, expires) });
    send(
      res,
      200,
      JSON.stringify({ uploadUrl: `${origin}/upload/${key}?${params}`, headers: { 'Content-Type': contentType }, publicUrl: `${origin}/media/${key}` }),
      'application/json',
    );
  }

  async function upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL, key: string): Promise<void> {
    const type = url.searchParams.get('type') ?? '';
    const size = Number(url.searchParams.get('size'));
    const expires = Number(url.searchParams.get('expires'));
    const sig = url.searchParams.get('sig') ?? '';
    const denied = (code: string) => send(res, 403, `<Error><Code>${code}</Code></Error>`, 'application/xml');
    if (!same(sig, signature(key, type, size, expires))) return denied('SignatureDoesNotMatch');
    if (now() / 1000 > expires) return denied('AccessDenied');
    if ((req.headers['content-type'] ?? '') !== type || Number(req.headers['content-length']) !== size) return denied('SignatureDoesNotMatch');
    const target = path.join(options.dir, key);
    const partial = `${target}.${randomBytes(4).toString('hex')}.partial`;
    let received = 0;
    try {
      await pipeline(
        req,
        async function* (source) {
          for await (const chunk of source) {
            received += (chunk as Buffer).length;
            yield chunk;
          }
        },
        createWriteStream(partial),
      );
    } catch {
      await fs.rm(partial, { force: true });
      return; // the client went away; nothing to answer
    }
    if (received !== size) {
      await fs.rm(partial, { force: true });
      return send(res, 400, '<Error><Code>IncompleteBody</Code></Error>', 'application/xml');
    }
    await fs.writeFile(`${target}.type`, type);
    await fs.rename(partial, target);
    log.info('stored', { key, bytes: size });
    res.writeHead(200, { ETag: `"${key.slice(0, 32)}"` });
    res.end();
  }

  async function serve(req: http.IncomingMessage, res: http.ServerResponse, key: string): Promise<void> {
    const file = path.join(options.dir, key);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat) return send(res, 404, 'not found');
    const type = await fs.readFile(`${file}.type`, 'utf8').catch(() => 'application/octet-stream');
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(stat.size), 'Cache-Control': 'public, max-age=31536000, immutable' });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const [area = '', key = '', extra] = url.pathname.split('/').filter(Boolean);
    void (async () => {
      if (area === 'presign' && !key && req.method === 'POST') return presign(req, res);
      if (area === 'upload' && keyPattern.test(key) && extra === undefined && req.method === 'PUT') return upload(req, res, url, key);
      if (area === 'media' && keyPattern.test(key) && extra === undefined && (req.method === 'GET' || req.method === 'HEAD')) return serve(req, res, key);
      send(res, 404, 'not found');
    })().catch((error: unknown) => {
      log.error('media host request failed', error);
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    presignUrl: `${origin}/presign`,
    token,
    dir: options.dir,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
