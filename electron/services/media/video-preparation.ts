/**
 * A camera take in, the upload video out: H.264 + AAC in MP4 with the index at the front. An H.264
 * take is remuxed with only its sound re-encoded; the picture is re-encoded only when it must be
 * (another codec, another size, or a trim that does not start at the beginning).
 */
import { StudioError } from '../../../shared/errors';
import type { MediaTrim, PreparedFile } from '../../../shared/media';
import { type JobContext, formatSeconds, runChecked, secondsArg, stepControl, withPartialOutput } from './job';
import { inputName, probeFile } from './probe';

const outputName = 'video';

/**
 * x264 settings for re-encoding. ffmpeg.wasm has no assembly: on one thread at 720p30 it encodes
 * 0.4× real time with `veryfast`, 0.8× with `superfast`, 1.7× with `ultrafast` (whose files are 45 %
 * larger and lose CABAC and deblocking). `superfast` is the compromise (README "Media engine"); the
 * multi-threaded core runs it on every core.
 */
export const videoEncoding = { preset: 'superfast', crf: 21, audioBitrate: 128_000 } as const;

export type VideoPlan = { copyVideo: boolean; reasons: string[]; height: number; width: number };

/** Whether the picture can be copied as it is, and why not. */
export function planVideo(source: { codec: string; width: number; height: number }, options: { height?: number | null; trim?: MediaTrim | null }): VideoPlan {
  // H.264 from any container (Chromium also records it into Matroska) moves into MP4 unchanged.
  const reasons: string[] = [];
  const height = options.height ?? source.height;
  // Keep the aspect ratio; H.264 in 4:2:0 needs even dimensions.
  const width = options.height ? Math.round((source.width * height) / source.height / 2) * 2 : source.width;
  if (source.codec !== 'h264') reasons.push(`the picture is ${source.codec}, not H.264`);
  if (height !== source.height) reasons.push(`the size changes to ${width}×${height}`);
  // Stream copy can only start on a key frame, and recorders write few of them.
  if (options.trim && options.trim.startMs > 0) reasons.push('the trim starts after the beginning');
  return { copyVideo: source.codec === 'h264' && height === source.height && !(options.trim && options.trim.startMs > 0), reasons, height, width };
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

  const videoArgs = plan.copyVideo
    ? ['-c:v', 'copy']
    : [
        '-vf',
        `scale=${plan.width}:${plan.height}:flags=bicubic,format=yuv420p`,
        '-c:v',
        'libx264',
        '-preset',
        videoEncoding.preset,
        '-crf',
        String(videoEncoding.crf),
        '-profile:v',
        'high',
      ];
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
          '-hide_banner',
          '-loglevel',
          'info',
          '-stats',
          ...(startMs > 0 ? ['-ss', secondsArg(startMs)] : []),
          '-i',
          `/in/${inputName}`,
          ...(options.trim ? ['-t', secondsArg(lengthMs)] : []),
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
