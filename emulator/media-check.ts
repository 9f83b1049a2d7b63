/**
 * How the emulator fetches and checks a twin's media, as the service does during generation:
 * anonymously (no key, no cookies), over HTTPS, by content rather than by file name or header,
 * within the size and duration limits. No native ffmpeg: container magic bytes, then music-metadata.
 */
import { isIP } from 'node:net';
import { parseBuffer } from 'music-metadata';
import { twinRequestRules, videoRules, voiceRules } from '../shared/requirements';

export type MediaKind = 'voice' | 'picture' | 'video';

export type Container = 'wav' | 'mp3' | 'flac' | 'ogg' | 'webm' | 'mp4' | 'jpeg' | 'png' | 'webp';

const acceptedContainers: Record<MediaKind, readonly Container[]> = {
  // m4a and mp4 are both ISO-BMFF ("ftyp") files; the service's list names both.
  voice: ['wav', 'mp3', 'flac', 'ogg', 'webm', 'mp4'],
  picture: ['jpeg', 'png', 'webp'],
  video: ['mp4', 'webm'],
};

const maxBytes: Record<MediaKind, number> = {
  voice: voiceRules.maxBytes,
  picture: twinRequestRules.pictureMaxBytes,
  video: twinRequestRules.videoMaxBytes,
};

export type MediaCheck =
  | { ok: true; kind: MediaKind; container: Container; bytes: number; durationSeconds: number | null; hasAudio: boolean }
  | { ok: false; kind: MediaKind; reason: string };

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

/** What the first bytes say the file is, whatever its name or Content-Type claim. */
export function sniffContainer(bytes: Uint8Array): Container | null {
  if (bytes.length < 12) return null;
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WAVE') return 'wav';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 4) === 'fLaC') return 'flac';
  if (ascii(bytes, 0, 4) === 'OggS') return 'ogg';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  if (ascii(bytes, 4, 4) === 'ftyp') return 'mp4';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && ascii(bytes, 1, 3) === 'PNG') return 'png';
  if (ascii(bytes, 0, 3) === 'ID3') return 'mp3';
  // An MPEG audio frame: 11 sync bits, and a layer (bits 1–2) that is not 0, which would be ADTS AAC.
  if (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0 && (((bytes[1] ?? 0) >> 1) & 3) !== 0) return 'mp3';
  return null;
}

/** The movie header's duration of an ISO-BMFF file: music-metadata reports none for video-only files. */
export function mp4MovieSeconds(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const findBox = (start: number, end: number, type: string): [number, number] | null => {
    let offset = start;
    while (offset + 8 <= end) {
      let size = view.getUint32(offset);
      let header = 8;
      if (size === 1 && offset + 16 <= end) {
        size = Number(view.getBigUint64(offset + 8));
        header = 16;
      } else if (size === 0) size = end - offset;
      if (size < header) return null;
      if (ascii(bytes, offset + 4, 4) === type) return [offset + header, Math.min(end, offset + size)];
      offset += size;
    }
    return null;
  };
  const moov = findBox(0, bytes.length, 'moov');
  const mvhd = moov && findBox(moov[0], moov[1], 'mvhd');
  if (!mvhd) return null;
  const [at] = mvhd;
  const version = bytes[at] ?? 0;
  const timescale = version === 1 ? view.getUint32(at + 20) : view.getUint32(at + 12);
  const duration = version === 1 ? Number(view.getBigUint64(at + 24)) : view.getUint32(at + 16);
  return timescale > 0 && duration > 0 ? duration / timescale : null;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Why the service would refuse this URL outright, or null. `allowHttp` admits http: on loopback only. */
export function mediaUrlProblem(raw: string, allowHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must be public: credentials in the URL are not allowed';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && allowHttp && isLoopbackHost(url.hostname)) return null;
  return 'must be a public HTTPS URL';
}

export type FetchMediaOptions = { allowHttp: boolean; timeoutMs: number };

async function readCapped(response: Response, cap: number): Promise<Uint8Array | 'too-large'> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > cap) return 'too-large';
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return new Uint8Array(0);
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > cap) return 'too-large';
    chunks.push(chunk);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return all;
}

/** Checks bytes already fetched: format by content, size, duration. */
export async function checkMediaBytes(kind: MediaKind, bytes: Uint8Array, needsAudio = false): Promise<MediaCheck> {
  const fail = (reason: string): MediaCheck => ({ ok: false, kind, reason });
  const limit = maxBytes[kind];
  if (bytes.byteLength > limit) return fail(`is larger than ${Math.round(limit / 1024 / 1024)} MB`);
  if (bytes.byteLength === 0) return fail('is empty');
  const container = sniffContainer(bytes);
  if (!container || !acceptedContainers[kind].includes(container)) {
    return fail(`is not an accepted ${kind} format (found ${container ?? 'unknown content'}; accepted: ${acceptedContainers[kind].join(', ')})`);
  }
  if (kind === 'picture') return { ok: true, kind, container, bytes: bytes.byteLength, durationSeconds: null, hasAudio: false };

  let metadata: Awaited<ReturnType<typeof parseBuffer>>;
  try {
    metadata = await parseBuffer(bytes, undefined, { duration: true, skipCovers: true });
  } catch {
    return fail('cannot be decoded');
  }
  let durationSeconds = metadata.format.duration ?? null;
  // The format's own hasAudio/hasVideo flags guess from the container brand; the tracks are facts.
  const tracks = metadata.format.trackInfo ?? [];
  const hasAudio = metadata.format.sampleRate !== undefined || tracks.some((track) => track.audio !== undefined);
  const hasVideo = tracks.some((track) => track.video !== undefined || /avc|hvc|hev|vp0?[89]|av01|mp4v/i.test(track.codecName ?? ''));
  if (container === 'mp4' && (durationSeconds === null || kind === 'video')) durationSeconds = mp4MovieSeconds(bytes) ?? durationSeconds;
  if (durationSeconds === null || !Number.isFinite(durationSeconds)) {
    return fail('has no readable duration (a live-recorded WebM without a duration header? remux it first)');
  }
  const rules = kind === 'voice' ? voiceRules : videoRules;
  if (durationSeconds < rules.minSeconds) return fail(`is ${durationSeconds.toFixed(1)} s long; at least ${rules.minSeconds} s are needed`);
  if (durationSeconds > rules.maxSeconds) return fail(`is ${durationSeconds.toFixed(1)} s long; at most ${rules.maxSeconds} s are allowed`);
  if (kind === 'voice' && !hasAudio) return fail('has no audio');
  if (kind === 'video' && !hasVideo) return fail('has no video track');
  if (kind === 'video' && needsAudio && !hasAudio) return fail('has no audio track, and no voiceUrl was given to supply the voice');
  return { ok: true, kind, container, bytes: bytes.byteLength, durationSeconds, hasAudio };
}

/** Fetches a media URL as the service would (anonymously, following redirects) and checks it. */
export async function fetchAndCheckMedia(kind: MediaKind, url: string, options: FetchMediaOptions, needsAudio = false): Promise<MediaCheck> {
  const fail = (reason: string): MediaCheck => ({ ok: false, kind, reason });
  const urlProblem = mediaUrlProblem(url, options.allowHttp);
  if (urlProblem) return fail(urlProblem);
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'follow',
      credentials: 'omit',
      headers: { 'User-Agent': 'napster-emulator media fetch' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer in ${options.timeoutMs / 1000} s`
        : (cause?.code ?? cause?.message ?? 'network error');
    return fail(`could not be fetched (${why})`);
  }
  const finalProblem = response.url ? mediaUrlProblem(response.url, options.allowHttp) : null;
  if (finalProblem) {
    await response.body?.cancel();
    return fail(`redirects to a URL that ${finalProblem}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return fail(`answered HTTP ${response.status} to an anonymous request (private, expired or behind a login?)`);
  }
  let bytes: Uint8Array | 'too-large';
  try {
    bytes = await readCapped(response, maxBytes[kind]);
  } catch {
    return fail('broke off while downloading');
  }
  if (bytes === 'too-large') return fail(`is larger than ${Math.round(maxBytes[kind] / 1024 / 1024)} MB`);
  return checkMediaBytes(kind, bytes, needsAudio);
}
