/**
 * Probing with ffprobe from the same ffmpeg.wasm core that prepares the files: the container is
 * recognised from the bytes (the input is mounted without its file name), never from the extension.
 */
import { promises as fs } from 'node:fs';
import { StudioError } from '../../../shared/errors';
import type { MediaContainer, MediaInfo } from '../../../shared/media';
import { voiceSource } from '../../../shared/requirements';
import { unreadableReason } from './ffmpeg-log';
import { startsLikeMedia } from './signature';
import { ffmpegInput, inputName, secondsArg } from './ffmpeg-input';
import type { FFmpegRunner, RunControl } from './runner';
import { headerClaimedMsOf } from './header-claim';

/** The name an input gets inside ffmpeg: no extension, so no demuxer can guess from it. */

type ProbeStream = {
  codec_type?: string;
  codec_name?: string;
  sample_rate?: string;
  channels?: number;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  start_time?: string;
  pix_fmt?: string;
  profile?: string;
  sample_aspect_ratio?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number | string }[];
};
type ProbeOutput = {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string; tags?: Record<string, string> };
};

/** Matroska and WebM share a demuxer; the EBML DocType in the first bytes tells them apart. */
async function matroskaDocType(file: string): Promise<'webm' | 'matroska'> {
  const handle = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(64);
    await handle.read(head, 0, head.length, 0);
    const at = head.indexOf(Buffer.from([0x42, 0x82]));
    if (at >= 0 && head.subarray(at + 3, at + 7).toString('latin1') === 'webm') return 'webm';
    return 'matroska';
  } finally {
    await handle.close();
  }
}

async function containerOf(file: string, probe: ProbeOutput): Promise<MediaContainer | null> {
  const names = (probe.format?.format_name ?? '').split(',');
  if (names.includes('matroska') || names.includes('webm')) return matroskaDocType(file);
  if (names.includes('mov') || names.includes('mp4')) {
    const brand = (probe.format?.tags?.major_brand ?? '').trim();
    if (brand === 'qt') return 'mov';
    if (brand === 'M4A' || brand === 'M4B') return 'm4a';
    return 'mp4';
  }
  const codec = probe.streams?.[0]?.codec_name;
  if (names.includes('jpeg_pipe') || (names.includes('image2') && codec === 'mjpeg')) return 'jpeg';
  if (names.includes('png_pipe') || (names.includes('image2') && codec === 'png')) return 'png';
  const direct: Record<string, MediaContainer> = {
    ogg: 'ogg',
    wav: 'wav',
    mp3: 'mp3',
    flac: 'flac',
    aac: 'aac',
    aiff: 'aiff',
    caf: 'caf',
    asf: 'asf',
    amr: 'amr',
  };
  for (const name of names) if (direct[name]) return direct[name];
  return null;
}

function frameRate(text: string | undefined): number | null {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? '');
  if (!match || Number(match[2]) === 0 || Number(match[1]) === 0) return null;
  return Math.round((Number(match[1]) / Number(match[2])) * 1000) / 1000;
}

/**
 * Degrees a player turns the stored picture to show it: from the display matrix, or the `rotate` tag
 * of files written by older tools (ffprobe 5.1 reports both in the same sense: a file tagged
 * `rotate=90` has a matrix it reports as 90, `rotate=270` as -90). Only whether it is a quarter turn
 * decides the shown size; ffmpeg itself applies the turn when decoding.
 */
export function rotationOf(stream: Pick<ProbeStream, 'side_data_list' | 'tags'>): 0 | 90 | 180 | 270 {
  const matrix = stream.side_data_list?.find((item) => item.side_data_type === 'Display Matrix' && item.rotation !== undefined);
  const clockwise = matrix ? Number(matrix.rotation) : Number(stream.tags?.rotate ?? 0);
  if (!Number.isFinite(clockwise)) return 0;
  const quarter = (((Math.round(clockwise / 90) % 4) + 4) % 4) as 0 | 1 | 2 | 3;
  return ([0, 90, 180, 270] as const)[quarter];
}

/** Width / height of one stored pixel: `81:256` → 0.316; unknown (`0:1`, absent) counts as square. */
export function pixelAspectOf(text: string | undefined): number {
  const match = /^(\d+):(\d+)$/.exec(text ?? '');
  if (!match || Number(match[1]) === 0 || Number(match[2]) === 0) return 1;
  return Number(match[1]) / Number(match[2]);
}

/** The picture as shown: stored size stretched by the pixel aspect, then turned by the rotation. */
export function displayedSize(coded: { width: number; height: number }, pixelAspect: number, rotation: number): { width: number; height: number } {
  const width = Math.round(coded.width * pixelAspect);
  return rotation === 90 || rotation === 270 ? { width: coded.height, height: width } : { width, height: coded.height };
}

function seconds(text: string | undefined): number | null {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * How far a file's timestamps go, ms: demuxed once (stream copy, no decoding). MediaRecorder's WebM
 * carries no duration, a take cut short by a crash has none either, and a video cut short keeps its
 * header's.
 */
async function measureDuration(runner: FFmpegRunner, file: string, control: RunControl): Promise<number | null> {
  return lastOutTime(runner, file, ['-map', '0', '-c', 'copy'], control);
}

/**
 * How long the sound really is: every audio track decoded to its end (and thrown away, so memory
 * stays flat at any length), and the furthest output time read. Headers lie: a VBR MP3 joined to
 * another keeps the first one's length header, a streaming recorder leaves a WAV's sizes as
 * placeholders, an editor leaves a stale MP4 movie duration. A damaged frame is skipped, not fatal.
 */
export async function measureDecodedAudio(
  runner: FFmpegRunner,
  file: string,
  control: RunControl,
  track: number | null = null,
  limitMs: number = defaultSoundLimitMs,
): Promise<{ ms: number; atLeast: boolean } | null> {
  // Decoding stops at the limit: past it the file is refused whatever its full length.
  const ms = await lastOutTime(runner, file, ['-vn', '-sn', '-dn', '-map', track === null ? '0:a' : `0:a:${track}`, '-t', secondsArg(limitMs)], control);
  // The last output time lands within a frame of the limit when decoding was cut there.
  return ms === null ? null : { ms, atLeast: ms >= limitMs - cutToleranceMs };
}

/** Where measuring a sound's length stops, ms: past the longest the studio takes (see voiceSource). */
export const defaultSoundLimitMs = (voiceSource.maxImportSeconds + voiceSource.measureMarginSeconds) * 1000;
/** ffmpeg trims the output at the limit to the sample; this allows for a last partial frame all the same. */
const cutToleranceMs = 150;

async function lastOutTime(runner: FFmpegRunner, file: string, mapping: string[], control: RunControl): Promise<number | null> {
  const result = await runner.run(
    {
      program: 'ffmpeg',
      args: ['-progress', 'pipe:1', ...ffmpegInput({ log: 'errors', tolerant: true }), ...mapping, '-f', 'null', '-'],
      inputs: [{ name: inputName, path: file }],
    },
    control,
  );
  const times = [...result.stdout.matchAll(/^out_time_us=(\d+)$/gm)].map((match) => Number(match[1]));
  const last = times.at(-1);
  return last !== undefined && last > 0 ? last / 1000 : null;
}

/** A track's own name: its title, or a handler name an editor set (not MP4's generic "SoundHandler"). */
function trackTitle(tags: Record<string, string> | undefined): string | null {
  const title = tags?.title?.trim() || tags?.handler_name?.trim() || '';
  return title && !/^(Sound|Video|Core Media Audio)\s*Handler$/i.test(title) ? title : null;
}

/** Why a file whose header reads is refused when no frame follows it (UnreadableMedia's reason). */
const noFrames = 'it holds no sound or picture after its header, as a copy or download that stopped early leaves a file';

/** A file ffmpeg cannot read at all; `reason` says why in plain words (see unreadableReason). */
export class UnreadableMedia extends StudioError {
  constructor(readonly reason: string) {
    super('MEDIA', `This file cannot be read: ${reason}.`);
  }
}

/** A file whose streams are known but whose picture this engine cannot decode: its message says so plainly. */

export class UndecodableMedia extends StudioError {
  constructor(message: string) {
    super('MEDIA', message);
  }
}

/**
 * `decodePicture`: also decode the first frame of a video, and refuse the file when the engine cannot.
 * `soundLimitMs`: stop measuring a sound's decoded length here, ms (default defaultSoundLimitMs); the info then says lengthAtLeast.
 * `length: 'header'`: the length the header gives (null when it gives none), neither decoded nor
 * read from the packets: for a caller that needs only the streams (a remux), or that measures the
 * length by decoding anyway (a recording measured as it arrived).
 */
/** `signal` stops the probe (rejects with CANCELLED); the engine links it to the job's own. */
export type ProbeOptions = { decodePicture?: boolean; soundLimitMs?: number; length?: 'measured' | 'header'; signal?: AbortSignal };

const codecNames: Record<string, string> = { h264: 'H.264', hevc: 'HEVC (H.265)', av1: 'AV1', vp9: 'VP9', vp8: 'VP8', prores: 'ProRes' };

/**
 * What a file holds, by content. StudioError('MEDIA') with a plain reason when it is no media, a
 * format the studio does not work with, or (with `decodePicture`) a picture the engine cannot decode.
 */
export async function probeFile(runner: FFmpegRunner, file: string, control: RunControl = {}, options: ProbeOptions = {}): Promise<MediaInfo> {
  const info = await probeCached(runner, file, control, options.length !== 'header', options.soundLimitMs ?? defaultSoundLimitMs);
  if (options.decodePicture && info.video && info.durationMs !== null) {
    const failure = await pictureDecodeFailure(runner, file, control);
    if (failure) {
      const codec = codecNames[info.video.codec] ?? info.video.codec;
      throw new UndecodableMedia(
        `The studio’s media engine cannot decode this video’s picture (${codec}). Export it from the phone or editor as H.264 MP4 and import that.`,
      );
    }
  }
  return info;
}

/**
 * Probes of files not changed since (same inode, size and modification time): measuring a
 * sound's length decodes it, and one take is probed by several steps in a row.
 */
const probed = new Map<string, { stamp: string; info: MediaInfo; measured: boolean }>();
const probedKept = 16;

async function probeCached(runner: FFmpegRunner, file: string, control: RunControl, measure: boolean, soundLimitMs: number): Promise<MediaInfo> {
  let key: string;
  let stamp: string;
  try {
    const stat = await fs.stat(file);
    // By inode, so an import renamed into the draft is not decoded again.
    key = `${stat.dev}:${stat.ino}`;
    stamp = `${stat.size}:${stat.mtimeMs}:${soundLimitMs}`;
  } catch {
    throw new StudioError('NOT_FOUND', 'The media file is missing from the draft folder.');
  }
  const known = probed.get(key);
  if (known && known.stamp === stamp && (known.measured || !measure)) return structuredClone(known.info);
  const info = await probeUncached(runner, file, control, measure, soundLimitMs);
  probed.delete(key);
  probed.set(key, { stamp, info: structuredClone(info), measured: measure });
  if (probed.size > probedKept) probed.delete(probed.keys().next().value as string);
  return info;
}

async function probeUncached(runner: FFmpegRunner, file: string, control: RunControl, measure: boolean, soundLimitMs: number): Promise<MediaInfo> {
  let bytes: number;
  try {
    bytes = (await fs.stat(file)).size;
  } catch {
    throw new StudioError('NOT_FOUND', 'The media file is missing from the draft folder.');
  }
  if (bytes === 0) throw new StudioError('MEDIA', 'The media file is empty: nothing was recorded or imported.');
  const result = await runner.run(
    {
      program: 'ffprobe',
      args: ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', `/in/${inputName}`],
      inputs: [{ name: inputName, path: file }],
    },
    control,
  );
  let probe: ProbeOutput;
  try {
    probe = JSON.parse(result.stdout || '{}') as ProbeOutput;
  } catch {
    probe = {};
  }
  if (!probe.format || !probe.streams || probe.streams.length === 0) throw new UnreadableMedia(unreadableReason(result.log, await startsLikeMedia(file)));
  const container = await containerOf(file, probe);
  if (!container) {
    throw new StudioError('MEDIA', `This file's format (${probe.format.format_name ?? 'unknown'}) is not one the studio works with.`);
  }
  const audioStreams = probe.streams.filter((stream) => stream.codec_type === 'audio');
  const audioStream = audioStreams[0];
  const videoStream = probe.streams.find((stream) => stream.codec_type === 'video' && !stream.disposition?.attached_pic);
  const still = container === 'jpeg' || container === 'png';
  const headerS = still ? null : (seconds(probe.format.duration) ?? seconds(audioStream?.duration) ?? seconds(videoStream?.duration));
  const claimedMs = await headerClaimedMsOf(file, container, headerS === null ? null : Math.round(headerS * 1000));
  let durationS = headerS;
  let lengthAtLeast = false;
  if (!still && audioStream && !videoStream && measure) {
    // A file of sound alone: its length is what decodes, whatever the header says (cheap next to a picture).
    const decoded = await measureDecodedAudio(runner, file, control, null, soundLimitMs);
    // Only the header survives of a copy cut right after it: there is no sound to take.
    if (decoded === null) throw new UnreadableMedia(noFrames);
    durationS = decoded.ms / 1000;
    lengthAtLeast = decoded.atLeast;
  }
  if (!still && measure && (durationS === null || videoStream)) {
    // A picture's length is where its packets end (copied, not decoded: cheap next to the picture's
    // other work), whatever its header says: an MP4 or WebM cut short keeps its whole movie's length.
    const measuredMs = await measureDuration(runner, file, control);
    if (measuredMs === null) throw new UnreadableMedia(noFrames);
    durationS = measuredMs / 1000;
  }
  return {
    container,
    durationMs: durationS === null ? null : Math.round(durationS * 1000),
    ...(lengthAtLeast ? { lengthAtLeast } : {}),
    headerDurationMs: claimedMs,
    soundOffsetMs: soundOffset(audioStream, videoStream),
    audioTracks: audioStreams.map((stream, index) => ({
      index,
      codec: stream.codec_name ?? 'unknown',
      sampleRate: Number(stream.sample_rate ?? 0),
      channels: stream.channels ?? 0,
      title: trackTitle(stream.tags),
    })),
    bytes,
    audio: audioStream
      ? {
          codec: audioStream.codec_name ?? 'unknown',
          sampleRate: Number(audioStream.sample_rate ?? 0),
          channels: audioStream.channels ?? 0,
        }
      : null,
    video: videoStream ? videoInfo(videoStream, still) : null,
  };
}

/** From the streams' start times (edit lists applied by the demuxer): see MediaInfo.soundOffsetMs. */
function soundOffset(audio: ProbeStream | undefined, video: ProbeStream | undefined): number | null {
  const audioStart = Number(audio?.start_time);
  const videoStart = Number(video?.start_time);
  if (!audio || !video || !Number.isFinite(audioStart) || !Number.isFinite(videoStart)) return null;
  return Math.round((audioStart - videoStart) * 1000);
}

function videoInfo(stream: ProbeStream, still: boolean): NonNullable<MediaInfo['video']> {
  const coded = { width: stream.width ?? 0, height: stream.height ?? 0 };
  const rotation = still ? 0 : rotationOf(stream);
  const pixelAspect = pixelAspectOf(stream.sample_aspect_ratio);
  const shown = displayedSize(coded, pixelAspect, rotation);
  return {
    codec: stream.codec_name ?? 'unknown',
    ...shown,
    fps: still ? null : (frameRate(stream.avg_frame_rate) ?? frameRate(stream.r_frame_rate)),
    codedWidth: coded.width,
    codedHeight: coded.height,
    rotation,
    pixelAspect,
    pixelFormat: stream.pix_fmt ?? null,
    profile: stream.profile ?? null,
  };
}

/**
 * Whether the engine can decode this file's picture: the first frame is decoded (a header can name a
 * codec the build lacks, such as AV1 here). Returns why it cannot in plain words (unreadableReason), null when it can.
 */
export async function pictureDecodeFailure(runner: FFmpegRunner, file: string, control: RunControl = {}): Promise<string | null> {
  const result = await runner.run(
    {
      program: 'ffmpeg',
      args: [...ffmpegInput({ log: 'errors' }), '-map', '0:v:0', '-frames:v', '1', '-f', 'null', '-'],
      inputs: [{ name: inputName, path: file }],
    },
    control,
  );
  const decodedNothing = result.log.some((line) => /Output file is empty|nothing was encoded|Decoder \(codec .*\) not found|Could not find codec/i.test(line));
  return result.exitCode !== 0 || decodedNothing ? unreadableReason(result.log, await startsLikeMedia(file)) : null;
}
