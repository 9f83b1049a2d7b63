/**
 * A still (a stored photo, an imported picture, or a frame of a video take) in, the v1 reference
 * photo out: an upright 16:9 JPEG crop, transparency on neutral grey, sRGB, scaled to at most
 * photoRules.preparedMaxWidth and within the service's picture size. Pictures go through sharp
 * (camera/picture.ts); only a video frame needs ffmpeg, which hands it over as a PNG.
 */
import { promises as fs } from 'node:fs';
import { photoCrop } from '../../../shared/camera';
import { StudioError } from '../../../shared/errors';
import type { Crop, MediaInfo, PreparedFile, VideoInfo } from '../../../shared/media';
import { photoRules, twinRequestRules } from '../../../shared/requirements';
import { type PictureInfo, decodePicture, pictureReadFailure, readPictureInfo, uprightPipeline } from '../camera/picture';
import { type JobContext, runChecked, stepControl, withPartialOutput } from './job';
import { ffmpegInput, inputName } from './ffmpeg-input';
import { probeFile } from './probe';

const frameName = 'frame';

/** The largest centred 16:9 rectangle of a picture, used when no crop was chosen (shared/camera.ts photoCrop). */
export function centredCrop(width: number, height: number): Crop {
  return photoCrop(width, height);
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

/** Whether sharp reads the file as a picture; false for anything else (a video take). */
async function pictureInfoOrNull(input: string): Promise<PictureInfo | null> {
  try {
    return await readPictureInfo(input);
  } catch (error) {
    if (error instanceof StudioError && /not a picture the studio can use/.test(error.message)) return null;
    throw error;
  }
}

/** The frame of a video at `atMs` as a PNG (ffmpeg applies the stream's rotation, so it is upright). */
async function extractFrame(job: JobContext, input: string, output: string, atMs: number | null | undefined): Promise<void> {
  const info = await probeFile(job.runner, input, { signal: job.signal });
  if (!info.video) throw new StudioError('MEDIA', 'This file holds no picture.');
  const startMs = info.durationMs !== null && atMs ? Math.min(atMs, info.durationMs) : 0;
  await runChecked(
    job,
    {
      program: 'ffmpeg',
      args: [...ffmpegInput({ log: 'errors', startMs }), '-map', '0:v:0', '-frames:v', '1', '-c:v', 'png', '-f', 'image2', `/out/${frameName}`],
      inputs: [{ name: inputName, path: input }],
      outputs: [{ name: frameName, path: output }],
    },
    stepControl(job, 0, 0.5, null),
    'take a frame from the video',
  );
}

/** The prepared photo's height at `width`: 16:9, even. */
const preparedHeight = (width: number) => Math.round(width / photoRules.aspect / 2) * 2;

/** Encodes the crop at `width` and quality; returns the file's size in bytes. */
async function encode(source: string, partial: string, crop: Crop, width: number, quality: number, format: PictureInfo['format']): Promise<number> {
  const height = preparedHeight(width);
  try {
    const written = await uprightPipeline(source)
      .extract({ left: crop.x, top: crop.y, width: crop.width, height: crop.height })
      .resize({ width, height, fit: 'fill', kernel: 'lanczos3' })
      .jpeg({ quality, chromaSubsampling: '4:2:0' })
      .toFile(partial);
    return written.size;
  } catch (error) {
    throw pictureReadFailure(error, format);
  }
}

/**
 * The prepared JPEG read back by sharp, which wrote it: it must be a JPEG of the planned size whose
 * every scan decodes (a 1/8-scale decode, which libjpeg does from the DCT, still reads all of the
 * entropy-coded data). Its MediaInfo as a probe would give it (codec `mjpeg`, no duration).
 * StudioError('MEDIA') otherwise. ffprobe is not asked: its JPEG demuxer once called a valid
 * high-entropy JPEG damaged.
 */
async function checkPreparedJpeg(file: string, planned: { width: number; height: number }): Promise<MediaInfo & { video: VideoInfo }> {
  const info = await readPictureInfo(file);
  if (info.format !== 'jpeg' || info.width !== planned.width || info.height !== planned.height) {
    throw new StudioError(
      'MEDIA',
      `The prepared photo came out as a ${info.width}×${info.height} ${info.format.toUpperCase()}, not the ${planned.width}×${planned.height} JPEG planned.`,
    );
  }
  await decodePicture(file, { maxWidth: Math.ceil(planned.width / 8) });
  const { size } = await fs.stat(file);
  return { container: 'jpeg', durationMs: null, bytes: size, audio: null, video: { codec: 'mjpeg', width: info.width, height: info.height, fps: null } };
}

/**
 * Prepares the reference photo from `input` (a picture of any format picture.ts reads, or a video
 * take: then its frame at `atMs`) into `output`: the `crop` (in upright pixels; the largest centred
 * 16:9 box when none) as a JPEG at most `width` (default photoRules.preparedMaxWidth) wide and at
 * most twinRequestRules.pictureMaxBytes, encoded again at lower qualities, then smaller, if needed.
 * Errors: BAD_REQUEST for a crop outside the picture or not 16:9; MEDIA with a plain reason for a
 * file that is neither a readable picture nor a video with a picture.
 */
export async function preparePhotoFile(
  job: JobContext,
  input: string,
  output: string,
  options: { crop?: Crop | null; width?: number | null; atMs?: number | null },
): Promise<PreparedFile> {
  return withPartialOutput(output, async (partial) => {
    const frame = `${partial}.frame.png`;
    try {
      let source = input;
      let info = await pictureInfoOrNull(input);
      if (!info) {
        await extractFrame(job, input, frame, options.atMs);
        source = frame;
        info = await readPictureInfo(frame);
      }
      job.signal?.throwIfAborted();
      const crop = options.crop ?? centredCrop(info.width, info.height);
      checkCrop(crop, info.width, info.height);
      let width = Math.min(options.width ?? photoRules.preparedMaxWidth, photoRules.preparedMaxWidth, crop.width);
      const attempts = [photoRules.preparedJpegQuality, ...photoRules.fallbackJpegQualities];
      let quality = attempts[0]!;
      let bytes = await encode(source, partial, crop, width, quality, info.format);
      // A noisy UHD picture can pass the service's size at quality 90; if not, give up quality first, then pixels.
      for (let attempt = 1; bytes > twinRequestRules.pictureMaxBytes && (attempt < attempts.length || width > photoRules.minWidth); attempt++) {
        job.signal?.throwIfAborted();
        if (attempt < attempts.length) quality = attempts[attempt]!;
        else width = Math.max(photoRules.minWidth, Math.round((width * 0.8) / 2) * 2);
        bytes = await encode(source, partial, crop, width, quality, info.format);
      }
      if (bytes > twinRequestRules.pictureMaxBytes) throw new StudioError('MEDIA', 'The photo could not be made small enough for the service.');
      job.onRatio?.(0.9);
      const prepared = await checkPreparedJpeg(partial, { width, height: preparedHeight(width) });
      job.onRatio?.(1);
      const turned = info.orientation !== 1 ? ', turned upright' : '';
      return {
        file: output,
        mimeType: 'image/jpeg',
        info: prepared,
        summary: `JPEG ${prepared.video.width}×${prepared.video.height} (quality ${quality}), cropped from ${crop.width}×${crop.height} at ${crop.x},${crop.y}${turned}`,
        loudnessLufs: null,
        audioBitrate: null,
      };
    } finally {
      await fs.rm(frame, { force: true });
    }
  });
}
