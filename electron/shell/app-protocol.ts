/**
 * `app://studio`: the renderer and draft media served from a privileged standard scheme (a secure
 * context for getUserMedia, range requests for media), never from `file://`.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Protocol } from 'electron';
import { appHost, appScheme, securityHeaders } from '../security/policy';
import type { Studio } from '../studio/compose';
import { resolveRequest } from '../studio/media-routes';

export const appSchemePrivileges = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

export function handleAppProtocol(protocol: Protocol, studio: Studio, rendererDir: string): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== appHost || (request.method !== 'GET' && request.method !== 'HEAD')) {
      return new Response('Not found', { status: 404, headers: securityHeaders });
    }
    const resolved = await resolveRequest(studio, rendererDir, url.pathname, request.headers.get('range'));
    if (resolved.status === 404) return new Response('Not found', { status: 404, headers: securityHeaders });
    const headers = { ...securityHeaders, ...resolved.headers };
    if (resolved.status === 416 || request.method === 'HEAD' || resolved.end < resolved.start) {
      return new Response(null, { status: resolved.status, headers });
    }
    const body = Readable.toWeb(createReadStream(resolved.file, { start: resolved.start, end: resolved.end }));
    return new Response(body as ReadableStream, { status: resolved.status, headers });
  });
}
