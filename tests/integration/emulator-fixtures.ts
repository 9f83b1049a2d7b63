/**
 * Media for the emulator's checks, made at test time with sox and ffmpeg, and a plain HTTP server
 * that hands them out as a public host would (recording what each request carried).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fixturesDir } from '../support/media-fixtures';

export const mediaCommands = ['sox', 'ffmpeg'];

function cached(name: string, make: (target: string) => void): string {
  const dir = path.join(fixturesDir, 'emulator');
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, name);
  if (!existsSync(target)) {
    const temp = `${target}.${process.pid}.tmp${path.extname(name)}`;
    make(temp);
    renameSync(temp, target);
  }
  return target;
}

const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);

/** A tone of `seconds` as 16 kHz mono WAV (32 kB/s): the checks look at format and length, not sound. */
export function toneWav(seconds: number, rate = 16000): string {
  return cached(`tone-${seconds}s-${rate}.wav`, (target) => {
    execFileSync('sox', ['-n', '-r', String(rate), '-c', '1', '-b', '16', target, 'synth', String(seconds), 'sine', '220']);
  });
}

/** The same tone in another container (by extension: mp3, flac, ogg, webm, m4a). */
export function toneAs(seconds: number, extension: string): string {
  return cached(`tone-${seconds}s.${extension}`, (target) => {
    const codec = extension === 'ogg' || extension === 'webm' ? ['-c:a', 'libopus'] : [];
    ffmpeg('-i', toneWav(seconds), ...codec, target);
  });
}

/** A WebM written as a live recorder does: no duration in its header. */
export function liveWebm(seconds: number): string {
  return cached(`live-${seconds}s.webm`, (target) => {
    ffmpeg('-i', toneWav(seconds), '-c:a', 'libopus', '-live', '1', '-f', 'webm', target);
  });
}

/** ADTS AAC: a real audio file the service does not list. */
export function adtsAac(seconds: number): string {
  return cached(`tone-${seconds}s.aac`, (target) => ffmpeg('-i', toneWav(seconds), '-c:a', 'aac', '-f', 'adts', target));
}

export function pictureJpeg(): string {
  return cached('picture-1280x720.jpg', (target) => ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=1280x720', '-frames:v', '1', target));
}

export function picturePng(): string {
  return cached('picture-320x180.png', (target) => ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=320x180', '-frames:v', '1', target));
}

/** A small speaking-video stand-in: test pattern plus tone, H.264/AAC MP4, 160×90 unless `size` says otherwise. */
export function videoMp4(seconds: number, withAudio = true, size = '160x90'): string {
  return cached(`video-${seconds}s${withAudio ? '' : '-silent'}${size === '160x90' ? '' : `-${size}`}.mp4`, (target) => {
    const audio = withAudio ? ['-f', 'lavfi', '-i', `sine=frequency=220:duration=${seconds}`] : [];
    ffmpeg(
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size}:rate=5:duration=${seconds}`,
      ...audio,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      ...(withAudio ? ['-c:a', 'aac', '-shortest'] : []),
      '-movflags',
      '+faststart',
      target,
    );
  });
}

export type Served = { body: Uint8Array; type?: string; status?: number; /** Serve 200 this many times, then 403 (an expiring URL). */ expiresAfter?: number };

export type MediaServer = {
  origin: string;
  url(name: string): string;
  /** Headers of every request, in order. */
  requests: { path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
};

/** Serves `files` by name over plain HTTP on 127.0.0.1 (the emulator admits it with allowHttpMedia). */
export async function startMediaServer(files: Record<string, Served | string>): Promise<MediaServer> {
  const requests: MediaServer['requests'] = [];
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0] ?? '');
    requests.push({ path: name, headers: req.headers });
    const entry = files[name];
    if (entry === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const served: Served = typeof entry === 'string' ? { body: readFileSync(entry) } : entry;
    const count = (hits.get(name) ?? 0) + 1;
    hits.set(name, count);
    if (served.expiresAfter !== undefined && count > served.expiresAfter) {
      res.writeHead(403, { 'Content-Type': 'application/xml' }).end('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
      return;
    }
    res.writeHead(served.status ?? 200, { 'Content-Type': served.type ?? 'application/octet-stream', 'Content-Length': String(served.body.byteLength) });
    res.end(served.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (name) => `${origin}/${encodeURIComponent(name)}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A complete, valid v1 request pointing at `voiceUrl` and `pictureUrl`. */
export function v1Request(voiceUrl: string, pictureUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    firstName: 'Sarah',
    lastName: 'Johnson',
    description: 'VP of Customer Success. Confident, warm and precise; speaks clearly and directly.',
    gender: 'female',
    ethnicity: 'Caucasian',
    externalClientId: 'sarah-johnson-001',
    voiceUrl,
    pictureUrl,
    version: 'v1',
    ...overrides,
  };
}
