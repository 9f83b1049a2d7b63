/**
 * Frames of a video sampled for checks that look at the picture (light, faces): decoded upright by
 * the media engine, scaled small, a few a second, a segment at a time so memory stays bounded at
 * any length and a probe of another file never waits behind a whole video.
 */
import { StudioError } from '../../../shared/errors';
import type { MediaInfo } from '../../../shared/media';
import { type JobContext, runChecked, secondsArg } from './job';
import { inputName, probeFile } from './probe';

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
};

/** Decoded bytes held at once: one segment's frames (about 150 frames of 160×90 RGBA). */
export const maxSegmentBytes = 8 * 1024 * 1024;

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
  const perSegment = Math.max(1, Math.floor(maxSegmentBytes / (width * height * channels)));
  const segments: FramePlan['segments'] = [];
  for (let first = 0; first < total; first += perSegment) {
    segments.push({ startMs: startMs + first * intervalMs, count: Math.min(perSegment, total - first) });
  }
  return { width, height, channels, intervalMs, segments };
}

/**
 * Decodes one segment: seeks to its start, keeps `count` frames at the plan's rate. ffmpeg turns the
 * picture upright while decoding (autorotate), then it is scaled to the plan's size with square pixels.
 * Fewer frames come back when the video ends first.
 */
export async function decodeFrameSegment(job: JobContext, file: string, plan: FramePlan, segment: FramePlan['segments'][number]): Promise<SampledFrame[]> {
  const rate = 1000 / plan.intervalMs;
  const filters = [`fps=${rate}`, `scale=${plan.width}:${plan.height}:flags=area`, 'setsar=1'];
  const result = await runChecked(
    job,
    {
      program: 'ffmpeg',
      args: [
        '-hide_banner',
        '-loglevel',
        'error',
        '-err_detect',
        'ignore_err',
        ...(segment.startMs > 0 ? ['-ss', secondsArg(segment.startMs)] : []),
        '-i',
        `/in/${inputName}`,
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
      outputs: [{ name: 'frames', path: null }],
    },
    { signal: job.signal },
    'decode the picture',
  );
  const bytes = result.data.frames ?? new Uint8Array(0);
  const frameBytes = plan.width * plan.height * plan.channels;
  const frames: SampledFrame[] = [];
  for (let index = 0; (index + 1) * frameBytes <= bytes.byteLength && index < segment.count; index++) {
    frames.push({
      timeMs: Math.round(segment.startMs + index * plan.intervalMs),
      width: plan.width,
      height: plan.height,
      channels: plan.channels,
      data: bytes.subarray(index * frameBytes, (index + 1) * frameBytes),
    });
  }
  return frames;
}

/** Runs one piece of work as its own media engine job (so other quick calls can go between segments). */
export type JobScheduler = <T>(what: string, work: (job: JobContext) => Promise<T>, signal?: AbortSignal) => Promise<T>;

/**
 * Samples a video's frames: `framesPerSecond` frames a second from `startMs` to `endMs`, each as a
 * SampledFrame, in time order. At most one segment's frames (maxSegmentBytes) are decoded at a time;
 * the next segment is decoded when the caller asks for frames past the current one.
 *
 * Errors (thrown from the iteration): StudioError('MEDIA') when the file holds no picture or the
 * engine cannot decode it, 'BAD_REQUEST' for an empty range or a rate outside (0, 30], 'CANCELLED'
 * when `signal` fires, 'TIMEOUT' when one segment takes longer than the engine's job limit.
 */
export async function* sampleFrames(schedule: JobScheduler, file: string, options: FrameSampleOptions = {}): AsyncGenerator<SampledFrame> {
  const info = await schedule('Reading the video', (job) => probeFile(job.runner, file, { signal: job.signal }), options.signal);
  const plan = planFrames(info, options);
  for (const segment of plan.segments) {
    if (options.signal?.aborted) throw new StudioError('CANCELLED', 'Looking at the picture was cancelled.');
    const frames = await schedule('Looking at the picture', (job) => decodeFrameSegment(job, file, plan, segment), options.signal);
    yield* frames;
    if (frames.length < segment.count) return;
  }
}
