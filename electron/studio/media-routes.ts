/** Serving files to the renderer the same way from `app://studio` and from the browser host. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { httpRoutes } from '../../shared/transport';
import type { Studio } from './compose';

export const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
};

export type ResolvedFile =
  | { status: 404 }
  | { status: 416; headers: Record<string, string> }
  | { status: 200 | 206; file: string; start: number; end: number; headers: Record<string, string> };

/** Parses a single `Range: bytes=a-b` header against a file size; null means "the whole file". */
export function parseRange(header: string | undefined | null, size: number): { start: number; end: number } | 'invalid' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!match || (!match[1] && !match[2])) return null;
  const start = match[1] ? Number(match[1]) : Math.max(0, size - Number(match[2]));
  const end = match[1] && match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

async function resolveFile(file: string, rangeHeader: string | undefined | null): Promise<ResolvedFile> {
  let size: number;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return { status: 404 };
    size = stat.size;
  } catch {
    return { status: 404 };
  }
  const headers: Record<string, string> = {
    'Content-Type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-store',
  };
  const range = parseRange(rangeHeader, size);
  if (range === 'invalid') return { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` } };
  if (range) {
    return {
      status: 206,
      file,
      ...range,
      headers: { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${size}`, 'Content-Length': String(range.end - range.start + 1) },
    };
  }
  return { status: 200, file, start: 0, end: size - 1, headers: { ...headers, 'Content-Length': String(size) } };
}

/**
 * Maps a request path to a file: `/media/<draftId>/<file>` to a draft's media (ids only, checked by
 * the drafts store), anything else to the built renderer, never outside either folder.
 */
export async function resolveRequest(
  studio: Pick<Studio, 'mediaFile'>,
  staticDir: string,
  pathname: string,
  rangeHeader?: string | null,
): Promise<ResolvedFile> {
  let file: string;
  if (pathname.startsWith(httpRoutes.media)) {
    const [draftId = '', fileName = '', extra] = pathname.slice(httpRoutes.media.length).split('/');
    if (extra !== undefined) return { status: 404 };
    try {
      file = studio.mediaFile(decodeURIComponent(draftId), decodeURIComponent(fileName));
    } catch {
      return { status: 404 };
    }
  } else {
    const root = path.resolve(staticDir);
    let relative: string;
    try {
      relative = decodeURIComponent(pathname === '/' ? 'index.html' : pathname.slice(1));
    } catch {
      return { status: 404 };
    }
    file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep)) return { status: 404 };
  }
  return resolveFile(file, rangeHeader);
}
