/** A still (a camera frame or an imported picture) in, the v1 reference photo out: a 16:9 JPEG crop. */
import { StudioError } from '../../../shared/errors';
import type { Crop, PreparedFile } from '../../../shared/media';
import { photoRules } from '../../../shared/requirements';
import { type JobContext, runChecked, secondsArg, stepControl, withPartialOutput } from './job';
import { inputName, probeFile } from './probe';

const outputName = 'photo';
/** jpeg-js quality, about ffmpeg's -q:v 2: no visible artefacts, a fraction of a PNG's size. */
const jpegQuality = 92;

/** The largest centred 16:9 rectangle of a picture, used when no crop was chosen. */
export function centredCrop(width: number, height: number): Crop {
  const cropWidth = Math.min(width, Math.floor((height * photoRules.aspect) / 2) * 2);
  const cropHeight = Math.min(height, Math.floor(cropWidth / photoRules.aspect / 2) * 2);
  return { x: Math.floor((width - cropWidth) / 2), y: Math.floor((height - cropHeight) / 2), width: cropWidth, height: cropHeight };
}

export function checkCrop(crop: Crop, width: number, height: number): void {
  if (crop.x + crop.width > width || crop.y + crop.height > height) {
    throw new StudioError('BAD_REQUEST', `The crop reaches outside the ${width}×${height} picture.`);
  }
  const ratio = crop.width / crop.height;
  if (Math.abs(ratio / photoRules.aspect - 1) > photoRules.aspectTolerance) {
    throw new StudioError('BAD_REQUEST', `The crop is ${crop.width}×${crop.height}, not 16:9.`);
  }
}

export async function preparePhotoFile(
  job: JobContext,
  input: string,
  output: string,
  options: { crop?: Crop | null; width?: number | null; atMs?: number | null },
): Promise<PreparedFile> {
  const info = await probeFile(job.runner, input, { signal: job.signal });
  if (!info.video) throw new StudioError('MEDIA', 'This file holds no picture.');
  const crop = options.crop ?? centredCrop(info.video.width, info.video.height);
  checkCrop(crop, info.video.width, info.video.height);
  const width = Math.min(options.width ?? crop.width, crop.width);
  const height = Math.round(width / photoRules.aspect / 2) * 2;
  // A frame from a video take can serve as the still; seek to it before decoding.
  const seek = info.durationMs !== null && options.atMs ? ['-ss', secondsArg(Math.min(options.atMs, info.durationMs))] : [];
  return withPartialOutput(output, async (partial) => {
    await runChecked(
      job,
      {
        program: 'ffmpeg',
        args: [
          '-hide_banner',
          '-loglevel',
          'error',
          ...seek,
          '-i',
          `/in/${inputName}`,
          '-map',
          '0:v:0',
          '-frames:v',
          '1',
          '-vf',
          `crop=${crop.width}:${crop.height}:${crop.x}:${crop.y},scale=${width}:${height}:flags=lanczos`,
          '-pix_fmt',
          'rgba',
          '-f',
          'rawvideo',
          `/out/${outputName}`,
        ],
        inputs: [{ name: inputName, path: input }],
        // The worker turns the cropped frame into the JPEG (see WorkerOutput.jpegFromRgba).
        outputs: [{ name: outputName, path: partial, jpegFromRgba: { width, height, quality: jpegQuality } }],
      },
      stepControl(job, 0, 0.9, null),
      'crop the photo',
    );
    const prepared = await probeFile(job.runner, partial, { signal: job.signal });
    if (prepared.container !== 'jpeg' || !prepared.video) throw new StudioError('MEDIA', 'The prepared photo is not a JPEG.');
    job.onRatio?.(1);
    return {
      file: output,
      mimeType: 'image/jpeg',
      info: prepared,
      summary: `JPEG ${prepared.video.width}×${prepared.video.height}, cropped from ${crop.width}×${crop.height} at ${crop.x},${crop.y}`,
      loudnessLufs: null,
      audioBitrate: null,
    };
  });
}
