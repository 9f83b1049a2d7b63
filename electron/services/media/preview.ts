/**
 * Previews: where Chromium cannot play a take's file (Apple Lossless audio, HEVC or ProRes video, a
 * High 10 picture), the review plays a copy the media engine makes for it, for sound and picture
 * alike: H.264 + AAC in MP4 for a video, Opus in WebM for sound alone. The preview is for people
 * only; checks and preparation always read the original.
 */
import type { MediaInfo } from '../../../shared/media';
import { formatDuration } from '../../../shared/audio-analysis';
import { headerDisagrees, videoRules, voiceSource } from '../../../shared/requirements';
import { type JobContext, formatSeconds, runChecked, stepControl, withPartialOutput } from './job';
import { ffmpegInput, inputName } from './ffmpeg-input';
import { probeFile } from './probe';
import { encodeArgs, planVideo } from './video-preparation';

/** The preview file names a take may have in its draft folder (removed with the take). */
export function previewNames(takeId: string): string[] {
  return [`preview-${takeId}.mp4`, `preview-${takeId}.webm`, ...Array.from({ length: voiceSource.maxTracks }, (_, track) => trackPreviewName(takeId, track))];
}

/** The short preview of one sound track of a take (see makeTrackPreviewFile). */
export function trackPreviewName(takeId: string, track: number): string {
  return `preview-${takeId}-track${track}.webm`;
}

/** How much of a track its preview plays: enough to tell speech from music or a system sound. */
export const trackPreviewMs = 8000;

/**
 * Where a track's preview starts in a take's range [fromMs, toMs): a third of the way in (past an
 * intro or the first silence), or at its start when it is shorter than a preview.
 */
export function trackPreviewStart(fromMs: number, toMs: number): number {
  const length = Math.max(0, toMs - fromMs);
  return Math.round(fromMs + Math.max(0, Math.min(length / 3, length - trackPreviewMs)));
}

/** The preview file a take gets: MP4 when it has a picture, WebM (Opus) for sound alone. */
export function previewName(takeId: string, info: MediaInfo): string {
  return previewNames(takeId)[info.video ? 0 : 1]!;
}

/** What Chromium (and so Electron) decodes, by container and codec: its media support tables. */
const playableContainers = new Set(['webm', 'mp4', 'm4a', 'mp3', 'wav', 'ogg', 'flac']);
const playableVideo = new Set(['h264', 'vp8', 'vp9', 'av1']);
const playableAudio = new Set(['opus', 'vorbis', 'aac', 'mp3', 'flac', 'pcm_u8', 'pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le']);

const codecWords: Record<string, string> = {
  hevc: 'HEVC (H.265)',
  alac: 'Apple Lossless (ALAC)',
  prores: 'ProRes',
  av1: 'AV1',
  mpeg4: 'MPEG-4 Part 2',
  amr_nb: 'AMR',
  amr_wb: 'AMR-WB',
  wmav1: 'Windows Media Audio',
  wmav2: 'Windows Media Audio',
  wmapro: 'Windows Media Audio Pro',
};
const named = (codec: string) => codecWords[codec] ?? codec;

/**
 * Why Chromium cannot play this file (for the review's note), or null when it can. A header is only
 * a hint here: the review also asks for a preview when the browser fails on a file said playable.
 */
export function unplayableReason(info: MediaInfo): string | null {
  if (!playableContainers.has(info.container)) return `the browser does not open ${info.container} files`;
  if (info.video) {
    if (!playableVideo.has(info.video.codec)) return `the browser cannot decode ${named(info.video.codec)} pictures`;
    const format = info.video.pixelFormat;
    if (info.video.codec === 'h264' && format && !(videoRules.copyablePixelFormats as readonly string[]).includes(format)) {
      return `the browser cannot decode ${format} H.264`;
    }
  }
  if (info.audio && !playableAudio.has(info.audio.codec)) return `the browser cannot decode ${named(info.audio.codec)} sound`;
  // The browser takes a file's length from its header: one that claims more or less than the sound
  // holds (a WAV or RF64 cut short, joined MP3s) would play against the wrong timeline.
  const header = info.headerDurationMs ?? null;
  if (!info.video && header !== null && info.durationMs !== null && headerDisagrees(header, info.durationMs)) {
    return `its header says ${formatDuration(header)} but its sound lasts ${formatDuration(info.durationMs)}, and the browser would go by the header`;
  }
  return null;
}

/** Small and quick: previews are watched in a review panel, never uploaded. */
export const previewEncoding = { preset: 'ultrafast', crf: 26, height: 480, audioBitrate: 128_000, opusBitrate: 96_000 } as const;

/** Makes the preview of `input` at `output`: upright, square pixels, the original's timeline from 0. */
export async function makePreviewFile(job: JobContext, input: string, output: string): Promise<{ info: MediaInfo; summary: string }> {
  const source = await probeFile(job.runner, input, { signal: job.signal });
  const durationMs = source.durationMs ?? 0;
  const args: string[] = [];
  if (source.video) {
    const shortSide = Math.min(source.video.width, source.video.height);
    const plan = planVideo({ ...source.video, codec: 'preview' }, { height: Math.min(shortSide, previewEncoding.height) });
    args.push('-map', '0:v:0', '-map', '0:a:0?', ...encodeArgs(plan, previewEncoding));
    args.push('-c:a', 'aac', '-aac_coder', 'fast', '-b:a', String(previewEncoding.audioBitrate), '-ac', '2', '-movflags', '+faststart', '-f', 'mp4');
  } else {
    args.push(
      '-map',
      '0:a:0',
      '-vn',
      '-c:a',
      'libopus',
      '-b:a',
      String(previewEncoding.opusBitrate),
      '-ac',
      String(Math.min(2, source.audio?.channels || 1)),
      '-f',
      'webm',
    );
  }
  return withPartialOutput(output, async (partial) => {
    await runChecked(
      job,
      {
        program: 'ffmpeg',
        args: [...ffmpegInput({ log: 'progress' }), '-map_metadata', '-1', ...args, '/out/preview'],
        inputs: [{ name: inputName, path: input }],
        outputs: [{ name: 'preview', path: partial }],
      },
      stepControl(job, 0.02, 0.98, durationMs),
      'make a preview',
    );
    const info = await probeFile(job.runner, partial, { signal: job.signal });
    job.onRatio?.(1);
    const picture = info.video ? `H.264 ${info.video.width}×${info.video.height}, ` : '';
    return { info, summary: `preview: ${picture}${info.audio ? info.audio.codec : 'no sound'}, ${formatSeconds(info.durationMs ?? 0)}` };
  });
}

/** Which track (its index among the file's sound tracks and its channel count) and which stretch of it, ms. */
export type TrackPreviewOptions = { track: number; channels: number; startMs: number; lengthMs: number };

/**
 * A few seconds of one audio track of `input` as Opus in WebM, for the review to play before the
 * person picks a track: the track as it is (its own channels), `lengthMs` from `startMs`.
 * StudioError('MEDIA') when the track cannot be decoded.
 */
export async function makeTrackPreviewFile(
  job: JobContext,
  input: string,
  output: string,
  options: TrackPreviewOptions,
): Promise<{ info: MediaInfo; summary: string }> {
  return withPartialOutput(output, async (partial) => {
    await runChecked(
      job,
      {
        program: 'ffmpeg',
        args: [
          ...ffmpegInput({ log: 'errors', startMs: options.startMs, lengthMs: options.lengthMs }),
          '-map',
          `0:a:${options.track}`,
          '-vn',
          '-map_metadata',
          '-1',
          // Opus takes one or two channels here; more are folded to two, fewer are never spread.
          '-ac',
          String(Math.min(2, Math.max(1, options.channels))),
          '-c:a',
          'libopus',
          '-b:a',
          String(previewEncoding.opusBitrate),
          '-f',
          'webm',
          '/out/preview',
        ],
        inputs: [{ name: inputName, path: input }],
        outputs: [{ name: 'preview', path: partial }],
      },
      { signal: job.signal },
      'make a preview of the sound track',
    );
    const info = await probeFile(job.runner, partial, { signal: job.signal });
    return { info, summary: `track ${options.track + 1} preview: ${formatSeconds(info.durationMs ?? 0)} from ${formatSeconds(options.startMs)}` };
  });
}
