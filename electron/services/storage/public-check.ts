/**
 * The anonymous check of an uploaded file's public URL, made as the service will make it hours later:
 * no credentials, no cookies, HTTPS, status 200, the same length and content type as what was sent.
 * A URL that fails here would fail generation later, after the twin was already requested.
 */
import { isIP } from 'node:net';
import { StudioError } from '../../../shared/errors';

export type PublicCheckOptions = {
  expectedBytes: number;
  expectedType: string;
  /** http: on 127.0.0.1/::1/localhost is accepted (sandbox and tests); never anything else. */
  allowHttpLoopback: boolean;
  timeoutMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
};

export type PublicCheck = { url: string; status: number; bytes: number; contentType: string };

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

const signedUrlParams = ['X-Amz-Signature', 'X-Amz-Expires', 'Signature', 'Expires', 'X-Goog-Signature', 'sig', 'se'];

/** Why a URL cannot be handed to the service (or to an upload), or null when it can. */
export function publicUrlProblem(url: string, allowHttpLoopback: boolean, what = 'The public URL'): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${what} "${url}" is not a valid address.`;
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && allowHttpLoopback && isLoopbackHost(parsed.hostname)) return null;
  if (parsed.protocol === 'http:') {
    return `${what} ${parsed.origin} is not HTTPS. The service fetches media only over HTTPS: use the https:// address of the bucket or of a CDN in front of it.`;
  }
  return `${what} must be an https:// address.`;
}

function mediaType(value: string | null): string {
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Throws a StudioError saying what to change; returns what was seen when every check passes. */
export async function checkPublicUrl(url: string, options: PublicCheckOptions): Promise<PublicCheck> {
  const problem = publicUrlProblem(url, options.allowHttpLoopback);
  if (problem) throw new StudioError('BAD_REQUEST', problem);
  const params = new URL(url).searchParams;
  if (signedUrlParams.some((name) => params.has(name))) {
    throw new StudioError(
      'BAD_REQUEST',
      `The public URL is a signed URL that expires. The service fetches media during generation, possibly hours later: use a public-read bucket or a CDN address instead.`,
    );
  }
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 20_000);
  let response: Response;
  try {
    // No credentials of any kind: the service will not have any either.
    response = await (options.fetch ?? fetch)(url, {
      method: 'GET',
      redirect: 'manual',
      credentials: 'omit',
      headers: { Accept: '*/*' },
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
  } catch {
    if (options.signal?.aborted) throw new StudioError('CANCELLED', 'Cancelled.');
    throw new StudioError(
      'NETWORK',
      `The public URL ${new URL(url).origin} could not be reached${timeout.aborted ? ' in time' : ''}. Check the public base URL under Settings → Storage.`,
    );
  }
  // Only the headers matter; the body is not downloaded.
  await response.body?.cancel().catch(() => undefined);
  const status = response.status;
  if (status === 401 || status === 403) {
    throw new StudioError(
      'FORBIDDEN',
      `The file uploaded, but its public URL answered HTTP ${status} to an anonymous request: the bucket does not allow public read. Give the bucket (or its prefix) a public-read policy, or put a CDN in front of it and set the CDN's address as the public base URL.`,
    );
  }
  if (status === 404) {
    throw new StudioError(
      'NOT_FOUND',
      `The file uploaded, but its public URL answered 404: the public base URL does not point at this bucket and prefix. Check it under Settings → Storage.`,
    );
  }
  if (status >= 300 && status < 400) {
    throw new StudioError('BAD_REQUEST', `The public URL redirects (HTTP ${status}). Use the final address as the public base URL.`);
  }
  if (status !== 200) {
    throw new StudioError('SERVICE', `The public URL answered HTTP ${status} instead of 200. The service would fail to fetch it.`);
  }
  const bytes = Number(response.headers.get('content-length'));
  if (!Number.isFinite(bytes) || bytes !== options.expectedBytes) {
    throw new StudioError(
      'SERVICE',
      `The public URL serves ${Number.isFinite(bytes) ? `${bytes} bytes` : 'a body of unknown length'}, not the ${options.expectedBytes} bytes uploaded. A CDN may be serving an old or transformed copy.`,
    );
  }
  const contentType = mediaType(response.headers.get('content-type'));
  if (contentType !== mediaType(options.expectedType)) {
    throw new StudioError(
      'SERVICE',
      `The public URL serves the file as "${contentType || 'no type'}" instead of "${mediaType(options.expectedType)}". The service decides by type: check the bucket's or CDN's content-type settings.`,
    );
  }
  return { url, status, bytes, contentType };
}
