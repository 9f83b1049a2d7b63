/**
 * Frames of a video sampled for checks that look at the picture (light, faces): decoded upright by
 * the media engine, scaled small, a few a second, a segment of the video at a time (each written
 * to a scratch file and handed out one frame at a time), so memory stays flat at any length and a
 * probe of another file waits at most one segment.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import type { MediaInfo } from '../../../shared/media';
import { type JobContext, runChecked } from './job';
import { ffmpegInput, inputName } from './ffmpeg-input';
import { probeFile } from './probe';

/**
 * One sampled frame. `data` holds `width × height` pixels row by row, top row first, 4 bytes each
 * (R, G, B, A; A is always 255) for `'rgba'` or 3 (R, G, B) for `'rgb'`: full-range 8-bit sRGB, as a
 * canvas's ImageData. The picture is upright (the file's rotation applied) with square pixels, so
 * `width / height` is the shown aspect. `timeMs` is the frame's place on the file's own timeline
 * (ms from its start), to within one sampling interval.
 */
export type SampledFrame = { timeMs: number; width: number; height: number; channels: 3 | 4; data: Uint8Array };

export type FrameSampleOptions = {
  /** Frames a second to sample (default 2; at most 30). */
  framesPerSecond?: number;
  /** Width of the sampled frames in pixels (default 160, at most the picture's own width); the height follows the shown aspect, rounded to even. */
  width?: number;
  /** The range to sample, ms on the file's timeline (default: all of it). */
  startMs?: number;
  endMs?: number;
  /** 'rgba' (default) or 'rgb'. */
  pixels?: 'rgba' | 'rgb';
  /** Stops the sampling: the iteration then throws StudioError('CANCELLED'). */
  signal?: AbortSignal;
  /** Where a segment's decoded frames wait on disk (default: the OS temp folder). */
  scratchDir?: string;
};

/**
 * Video decoded by one ffmpeg run. Each run seeks to its start, which decodes from the key frame
 * before it (up to 8 s of a phone's HEVC): measured on a 60 s 720p HEVC clip, six runs took 49 s
 * and one 28 s. Two minutes keeps that cost small while other quick jobs wait at most one run.
 */
export const segmentMs = 120_000;

/** Scratch files of a sampling, named so they can be told apart (and swept after a crash). */
export const framesScratchPrefix = '.frames-';

export type FramePlan = {
  width: number;
  height: number;
  channels: 3 | 4;
  intervalMs: number;
  /** Frame times, ms, split into segments decoded by one ffmpeg run each. */
  segments: { startMs: number; count: number }[];
};

const even = (value: number) => Math.max(2, Math.round(value / 2) * 2);

/** Sizes and segments of a sampling; StudioError('MEDIA') for no picture, 'BAD_REQUEST' for an empty range or a bad rate. */
export function planFrames(info: Pick<MediaInfo, 'video' | 'durationMs'>, options: FrameSampleOptions = {}): FramePlan {
  const video = info.video;
  if (!video || !video.width || !video.height) throw new StudioError('MEDIA', 'This file holds no picture to look at.');
  const rate = options.framesPerSecond ?? 2;
  if (!(rate > 0 && rate <= 30)) throw new StudioError('BAD_REQUEST', 'Frames are sampled between once a minute and 30 times a second.');
  // The shown size (after rotation and pixel aspect) sets the aspect: frames come out upright and square-pixelled.
  const width = even(Math.min(options.width ?? 160, video.width));
  const height = even((width * video.height) / video.width);
  const channels = options.pixels === 'rgb' ? 3 : 4;
  const durationMs = info.durationMs ?? 0;
  const startMs = Math.max(0, options.startMs ?? 0);
  const endMs = Math.min(durationMs, options.endMs ?? durationMs);
  if (!(endMs > startMs)) throw new StudioError('BAD_REQUEST', 'The range to sample lies outside the video.');
  const intervalMs = 1000 / rate;
  const total = Math.max(1, Math.ceil((endMs - startMs) / intervalMs - 1e-6));
  const perSegment = Math.max(1, Math.round(segmentMs / intervalMs));
  const segments: FramePlan['segments'] = [];
  for (let first = 0; first < total; first += perSegment) {
    segments.push({ startMs: startMs + first * intervalMs, count: Math.min(perSegment, total - first) });
  }
  return { width, height, channels, intervalMs, segments };
}

/**
 * Decodes one segment into `scratch` (raw frames, one after another): seeks to its start, keeps
 * `count` frames at the plan's rate. ffmpeg turns the picture upright while decoding (autorotate),
 * then it is scaled to the plan's size with square pixels. Fewer frames are written when the video
 * ends first.
 */
export async function decodeFrameSegment(
  job: JobContext,
  file: string,
  plan: FramePlan,
  segment: FramePlan['segments'][number],
  scratch: string,
): Promise<void> {
  const rate = 1000 / plan.intervalMs;
  const filters = [`fps=${rate}`, `scale=${plan.width}:${plan.height}:flags=area`, 'setsar=1'];
  await runChecked(
    job,
    {
      program: 'ffmpeg',
      args: [
        ...ffmpegInput({ log: 'errors', tolerant: true, startMs: segment.startMs }),
        '-map',
        '0:v:0',
        '-an',
        '-sn',
        '-dn',
        '-vf',
        filters.join(','),
        '-frames:v',
        String(segment.count),
        '-pix_fmt',
        plan.channels === 4 ? 'rgba' : 'rgb24',
        '-f',
        'rawvideo',
        '/out/frames',
      ],
      inputs: [{ name: inputName, path: file }],
      // Written to disk as decoded: the frames never sit in the worker's memory.
      outputs: [{ name: 'frames', path: scratch }],
    },
    { signal: job.signal },
    'decode the picture',
  );
}

/** Runs one piece of work as its own media engine job (so other quick calls can go between segments). */
export type JobScheduler = <T>(what: string, work: (job: JobContext) => Promise<T>, signal?: AbortSignal) => Promise<T>;

/**
 * Samples a video's frames: `framesPerSecond` frames a second from `startMs` to `endMs`, each as a
 * SampledFrame, in time order. A segment (segmentMs of video) is decoded to a scratch file when the
 * caller asks for its first frame, and read back one frame at a time; the file is removed once read,
 * or when the caller stops early. Memory holds the frames the caller keeps, nothing more.
 *
 * Errors (thrown from the iteration): StudioError('MEDIA') when the file holds no picture or the
 * engine cannot decode it, 'BAD_REQUEST' for an empty range or a rate outside (0, 30], 'CANCELLED'
 * when `signal` fires, 'TIMEOUT' when one segment takes longer than the engine's job limit.
 */
export async function* sampleFrames(schedule: JobScheduler, file: string, options: FrameSampleOptions = {}): AsyncGenerator<SampledFrame> {
  const info = await schedule('Reading the video', (job) => probeFile(job.runner, file, { signal: job.signal }), options.signal);
  const plan = planFrames(info, options);
  const frameBytes = plan.width * plan.height * plan.channels;
  const stopIfCancelled = () => {
    if (options.signal?.aborted) throw new StudioError('CANCELLED', 'Looking at the picture was cancelled.');
  };
  for (const segment of plan.segments) {
    stopIfCancelled();
    const scratch = path.join(options.scratchDir ?? os.tmpdir(), `${framesScratchPrefix}${randomBytes(6).toString('hex')}.raw`);
    try {
      await schedule('Looking at the picture', (job) => decodeFrameSegment(job, file, plan, segment, scratch), options.signal);
      const handle = await fs.open(scratch, 'r');
      let index = 0;
      try {
        for (; index < segment.count; index++) {
          stopIfCancelled();
          const data = new Uint8Array(frameBytes);
          const { bytesRead } = await handle.read(data, 0, frameBytes, index * frameBytes);
          if (bytesRead < frameBytes) break;
          yield { timeMs: Math.round(segment.startMs + index * plan.intervalMs), width: plan.width, height: plan.height, channels: plan.channels, data };
        }
      } finally {
        await handle.close();
      }
      // The video ended before this segment did.
      if (index < segment.count) return;
    } finally {
      await fs.rm(scratch, { force: true });
    }
  }
}
