/**
 * The browser host: the built renderer and the StudioApi over loopback HTTP, so the whole studio
 * runs in any Chromium where Electron cannot start. Bound to 127.0.0.1 only; every request needs
 * the per-launch token (header for API calls, an HttpOnly SameSite=Strict cookie set from the
 * launch URL for pages and media); requests from other origins or host names are refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type EventName, type EventPayload, events } from '../../shared/contract';
import { StudioError } from '../../shared/errors';
import { httpRoutes, tokenHeader } from '../../shared/transport';
import { decodeWire, encodeWire } from '../../shared/wire';
import { securityHeaders } from '../security/policy';
import type { Logger } from '../services/log';
import type { Studio } from '../studio/compose';
import { resolveRequest } from '../studio/media-routes';

const cookieName = 'studio_token';
const maxBodyBytes = 32 * 1024 * 1024;

export type BrowserHostOptions = {
  port?: number;
  staticDir: string;
  log: Logger;
  /** Builds the studio with the host's event sink; called once. */
  createStudio: (emit: <K extends EventName>(name: K, payload: EventPayload<K>) => void) => Promise<Studio>;
  token?: string;
};

export type BrowserHost = {
  url: string;
  origin: string;
  port: number;
  token: string;
  studio: Studio;
  close(): Promise<void>;
};

function sameSecret(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function cookieToken(req: http.IncomingMessage): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookieName) return rest.join('=');
  }
  return undefined;
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...securityHeaders, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  send(res, status, encodeWire(value), 'application/json; charset=utf-8');
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new StudioError('BAD_REQUEST', 'The request is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log;
  const streams = new Set<http.ServerResponse>();

  const emit = <K extends EventName>(name: K, payload: EventPayload<K>) => {
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) {
      log.error('dropped an event outside the contract', { name });
      return;
    }
    const frame = `event: studio\ndata: ${encodeWire({ name, payload: parsed.data })}\n\n`;
    for (const stream of streams) stream.write(frame);
  };
  const studio = await options.createStudio(emit);

  const server = http.createServer();
  // Every socket, so close() can end them: a response in flight (an event stream the page re-opened,
  // a media read Chromium paused with its buffer full, a long call) would otherwise hold the server
  // open for ever, since http.Server#close waits for each connection to end on its own.
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let closing: Promise<void> | null = null;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  /** Refuses other host names (DNS rebinding) and other origins (cross-site requests). */
  function fromOwnOrigin(req: http.IncomingMessage): boolean {
    if (req.headers.host !== `127.0.0.1:${port}`) return false;
    const requestOrigin = req.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== origin) return false;
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  }

  async function handleCall(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'Use POST.');
    if (!sameSecret(req.headers[tokenHeader] as string | undefined, token)) {
      return sendJson(res, 401, { ok: false, error: { code: 'UNAUTHORIZED', message: 'Missing or wrong studio token.' } });
    }
    let input: unknown;
    try {
      const body = await readBody(req);
      input = body ? decodeWire(body) : {};
    } catch (error) {
      const message = error instanceof StudioError ? error.message : 'The request body is not valid JSON.';
      return sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message } });
    }
    const result = await studio.dispatch(name, input);
    sendJson(res, 200, result);
  }

  function handleEvents(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!sameSecret(req.headers[tokenHeader] as string | undefined, token)) {
      return send(res, 401, 'Missing or wrong studio token.');
    }
    res.writeHead(200, {
      ...securityHeaders,
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    streams.add(res);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(res);
    });
  }

  async function handleFile(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    const resolved = await resolveRequest(studio, options.staticDir, pathname, req.headers.range);
    if (resolved.status === 404) return send(res, 404, 'Not found.');
    res.writeHead(resolved.status, { ...securityHeaders, ...resolved.headers });
    if (resolved.status === 416 || req.method === 'HEAD' || resolved.end < resolved.start) return void res.end();
    createReadStream(resolved.file, { start: resolved.start, end: resolved.end }).pipe(res);
  }

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (closing) {
      res.shouldKeepAlive = false;
      return send(res, 503, 'Twin Studio is closing.');
    }
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      if (!fromOwnOrigin(req)) return send(res, 403, 'Requests from other origins are refused.');
      if (url.pathname.startsWith(httpRoutes.call)) return handleCall(req, res, safeDecode(url.pathname.slice(httpRoutes.call.length)));
      if (url.pathname === httpRoutes.events) return handleEvents(req, res);
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed.');

      // Pages, assets and media: the launch URL's token sets a cookie the browser then sends itself.
      const queryToken = url.searchParams.get('token') ?? undefined;
      const authorised = sameSecret(queryToken, token) || sameSecret(cookieToken(req), token);
      if (!authorised) {
        return send(
          res,
          401,
          '<!doctype html><title>Twin Studio</title><p>Open the address Twin Studio printed when it started: it carries this launch’s access token.</p>',
          'text/html; charset=utf-8',
        );
      }
      if (queryToken) res.setHeader('Set-Cookie', `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      return handleFile(req, res, url.pathname);
    })().catch((error: unknown) => {
      log.error('request failed', error);
      if (!res.headersSent) send(res, 500, 'Internal error.');
      else res.end();
    });
  });

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    studio,
    /**
     * Stops taking requests, cuts every connection at once (the page reconnects to nothing and says
     * the studio has closed), then closes the studio: jobs cancelled, partial files removed, state on
     * disk kept. Calls that were cut still finish their own disk work before the studio closes it.
     * Idempotent: a second call returns the same promise.
     */
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const stream of streams) stream.end();
        streams.clear();
        for (const socket of sockets) socket.destroy();
        await stopped;
        await studio.close();
      })()),
  };
}
