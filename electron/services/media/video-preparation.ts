/**
 * A camera take in, the upload video out: H.264 + AAC in MP4 with the index at the front. A picture
 * every player reads (8-bit 4:2:0 H.264, upright, square pixels, at the target size) is copied with
 * only the sound re-encoded; anything else (another codec, High 10 or 4:4:4, a phone's rotation,
 * non-square pixels, odd or oversized dimensions, a trim that does not start at 0) is re-encoded.
 */
import { StudioError } from '../../../shared/errors';
import type { MediaContainer, MediaTrim, PreparedFile, VideoInfo } from '../../../shared/media';
import { videoRules } from '../../../shared/requirements';
import { type JobContext, formatSeconds, runChecked, stepControl, withPartialOutput } from './job';
import { ffmpegInput, inputName } from './ffmpeg-input';
import { probeFile } from './probe';

const outputName = 'video';

/**
 * x264 settings for re-encoding. ffmpeg.wasm has no assembly: on one thread at 720p30 it encodes
 * 0.4× real time with `veryfast`, 0.8× with `superfast`, 1.7× with `ultrafast` (whose files are 45 %
 * larger and lose CABAC and deblocking). `superfast` is the compromise (README "Media engine"); the
 * multi-threaded core runs it on every core.
 */
export const videoEncoding = { preset: 'superfast', crf: 21, audioBitrate: 128_000 } as const;

export type VideoPlan = {
  copyVideo: boolean;
  /** Why the picture is re-encoded, in words for the summary; empty when it is copied. */
  reasons: string[];
  /** The upload picture's size: upright, square pixels, both sides even. */
  width: number;
  height: number;
  /** Constant frame rate of a re-encoded picture; null when copied. */
  fps: number | null;
};

/** What planVideo reads of the source's picture (see MediaInfo's video; absent fields count as unremarkable). */
export type VideoSource = Pick<VideoInfo, 'codec' | 'width' | 'height'> &
  Partial<Pick<VideoInfo, 'fps' | 'rotation' | 'pixelAspect' | 'pixelFormat' | 'profile'>>;

const even = (value: number) => Math.max(2, Math.floor(value / 2) * 2);

/** H.264 profiles ordinary decoders (browsers, phones, the service's tools) may not play. */
const unusualProfile = /High 10|High 4:2:2|High 4:4:4|CAVLC 4:4:4/i;

/**
 * Whether the picture can be copied as it is, at what size it is uploaded, and why not. The size is
 * the DISPLAYED one (after rotation and pixel aspect), so a portrait phone clip stays portrait.
 * Copied: H.264, 8-bit 4:2:0 (videoRules.copyablePixelFormats), no rotation to apply, square pixels,
 * even sides, short side at most videoRules.maxCopyHeight (or `height` when asked), and a trim that
 * starts at 0. Anything else is re-encoded upright with square pixels at `height` (the short side)
 * or at the rules' default height (videoRules.defaultHeight, 720), never enlarged, at most
 * videoRules.maxEncodeFps frames a second.
 */
export function planVideo(source: VideoSource, options: { height?: number | null; trim?: MediaTrim | null }): VideoPlan {
  const reasons: string[] = [];
  const shortSide = Math.min(source.width, source.height);
  const rotation = source.rotation ?? 0;
  const pixelAspect = source.pixelAspect ?? 1;
  const pixelFormat = source.pixelFormat ?? null;
  if (source.codec !== 'h264') reasons.push(`the picture is ${source.codec}, not H.264`);
  else if (pixelFormat && !(videoRules.copyablePixelFormats as readonly string[]).includes(pixelFormat)) {
    reasons.push(`its pixels are ${pixelFormat}${source.profile ? ` (${source.profile})` : ''}, not the 8-bit 4:2:0 every player reads`);
  } else if (source.profile && unusualProfile.test(source.profile)) reasons.push(`its profile is ${source.profile}, which many players cannot decode`);
  if (rotation !== 0) reasons.push(`it is stored turned (${rotation}° rotation to apply)`);
  if (Math.abs(pixelAspect - 1) > 0.005) reasons.push('its pixels are not square');
  // Stream copy can only start on a key frame, and recorders write few of them.
  if (options.trim && options.trim.startMs > 0) reasons.push('the trim starts after the beginning');
  const kept = options.height ?? (reasons.length === 0 && shortSide <= videoRules.maxCopyHeight ? shortSide : Math.min(shortSide, videoRules.defaultHeight));
  const target = even(kept);
  // The long side keeps the shown aspect ratio, to the nearest even number.
  const longSide = Math.max(2, Math.round((Math.max(source.width, source.height) * target) / Math.max(1, shortSide) / 2) * 2);
  const portrait = source.height > source.width;
  const width = portrait ? target : longSide;
  const height = portrait ? longSide : target;
  if (width !== source.width || height !== source.height) {
    reasons.push(
      source.width % 2 || source.height % 2
        ? `its size ${source.width}×${source.height} is odd and becomes ${width}×${height}`
        : `the size changes from ${source.width}×${source.height} to ${width}×${height}`,
    );
  }
  const copyVideo = reasons.length === 0;
  const fps = copyVideo ? null : Math.min(source.fps ?? videoRules.maxEncodeFps, videoRules.maxEncodeFps);
  return { copyVideo, reasons, width, height, fps };
}

/**
 * The container a video import is kept in, by content: MP4 and WebM as they are, QuickTime and
 * Matroska moved into MP4 (the service lists MP4 and WebM). Null: not a video the studio takes.
 */
export function storedVideoContainer(container: MediaContainer): 'mp4' | 'webm' | null {
  if (container === 'webm') return 'webm';
  if (container === 'mp4' || container === 'mov' || container === 'matroska') return 'mp4';
  return null;
}

/** The x264 and filter arguments that re-encode a picture upright, with square pixels, at `plan`'s size. */
export function encodeArgs(plan: Pick<VideoPlan, 'width' | 'height' | 'fps'>, encoding: { preset: string; crf: number }): string[] {
  // ffmpeg applies the rotation while decoding (autorotate), so the frames reaching the filter are
  // already upright: scale to the displayed size and say the pixels are square.
  const filters = [`scale=${plan.width}:${plan.height}:flags=bicubic`, 'setsar=1', ...(plan.fps ? [`fps=${plan.fps}`] : []), 'format=yuv420p'];
  return ['-vf', filters.join(','), '-c:v', 'libx264', '-preset', encoding.preset, '-crf', String(encoding.crf), '-profile:v', 'high'];
}

export async function prepareVideoFile(
  job: JobContext,
  input: string,
  output: string,
  options: { height?: number | null; trim?: MediaTrim | null },
): Promise<PreparedFile & { copiedVideo: boolean }> {
  const info = await probeFile(job.runner, input, { signal: job.signal });
  if (!info.video || info.durationMs === null) throw new StudioError('MEDIA', 'This take has no picture.');
  const plan = planVideo(info.video, options);
  const startMs = Math.min(options.trim?.startMs ?? 0, info.durationMs);
  const endMs = Math.min(options.trim?.endMs ?? info.durationMs, info.durationMs);
  if (endMs <= startMs) throw new StudioError('BAD_REQUEST', 'The trim range lies outside the take.');
  const lengthMs = endMs - startMs;

  const videoArgs = plan.copyVideo ? ['-c:v', 'copy'] : encodeArgs(plan, videoEncoding);
  // The fast AAC coder takes a third less time than the default and is transparent for speech at this rate.
  const audioArgs = info.audio ? ['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', String(videoEncoding.audioBitrate)] : ['-an'];
  // Only a picture re-encode gains from threads; a remux or the sound alone stays on the single-thread core.
  const encodeJob = plan.copyVideo ? job : { ...job, runner: job.encoder ?? job.runner };
  return withPartialOutput(output, async (partial) => {
    await runChecked(
      encodeJob,
      {
        program: 'ffmpeg',
        args: [
          ...ffmpegInput({ log: 'progress', startMs, lengthMs: options.trim ? lengthMs : undefined }),
          '-map',
          '0:v:0',
          '-map',
          '0:a:0?',
          '-map_metadata',
          '-1',
          ...videoArgs,
          ...audioArgs,
          '-movflags',
          '+faststart',
          '-f',
          'mp4',
          `/out/${outputName}`,
        ],
        inputs: [{ name: inputName, path: input }],
        outputs: [{ name: outputName, path: partial }],
      },
      stepControl(job, 0.02, 0.97, lengthMs),
      plan.copyVideo ? 'remux the video' : 'encode the video',
    );
    const prepared = await probeFile(job.runner, partial, { signal: job.signal });
    if (prepared.container !== 'mp4' || prepared.video?.codec !== 'h264' || (info.audio && prepared.audio?.codec !== 'aac')) {
      throw new StudioError('MEDIA', `The prepared video came out as ${prepared.container} with ${prepared.video?.codec ?? 'no picture'}.`);
    }
    const picture = prepared.video;
    if (!plan.copyVideo && (picture.width !== plan.width || picture.height !== plan.height || picture.rotation || picture.pixelAspect !== 1)) {
      throw new StudioError(
        'MEDIA',
        `The prepared video came out ${picture.width}×${picture.height}${picture.rotation ? ` turned ${picture.rotation}°` : ''}, not the upright ${plan.width}×${plan.height} planned.`,
      );
    }
    job.onRatio?.(1);
    return {
      file: output,
      mimeType: 'video/mp4',
      info: prepared,
      summary: plan.copyVideo
        ? `picture copied (H.264 ${prepared.video.width}×${prepared.video.height}), sound re-encoded to AAC, ${formatSeconds(prepared.durationMs ?? 0)}`
        : `picture re-encoded to H.264 ${prepared.video.width}×${prepared.video.height} because ${plan.reasons.join(' and ')}, ${formatSeconds(prepared.durationMs ?? 0)}`,
      loudnessLufs: null,
      audioBitrate: info.audio ? videoEncoding.audioBitrate : null,
      copiedVideo: plan.copyVideo,
    };
  });
}
