/**
 * Faces in what the main process holds: a photo's 16:9 part (exactly one face, its size and place
 * against the v1 guide, its descriptor for "same person") and a video's sampled frames (the same
 * per-second record a recorded take carries, judged by the same take checks). The rules are
 * shared/faces.ts's, as on the page; this service only turns pixels into observations through the
 * face model's worker thread.
 */
import type { CheckResult } from '../../../shared/drafts';
import type { Rect } from '../../../shared/exposure';
import { type FaceRecord, FaceRecorder, type PhotoFaces, lumaChange, photoFaceChecks } from '../../../shared/faces';
import { faceQuality } from '../../../shared/requirements';
import { StudioError } from '../../../shared/errors';
import { decodePicture } from '../camera/picture';
import type { Logger } from '../log';
import type { FaceDetector, RawPicture } from './face-model';

/** A photo is looked at no larger than this across: the face of a waist-up shot is then ~150 px high, plenty for the descriptor. */
export const photoAnalysisWidth = 1280;

/** One frame of a video, upright, as raw pixels, at `timeMs` on the file's timeline. */
export type VideoFrame = RawPicture & { timeMs: number };

export type PhotoFaceResult = { checks: CheckResult[]; faces: PhotoFaces | null };

export class FaceService {
  private readonly detector: FaceDetector;
  private readonly log: Logger;

  constructor(options: { detector: FaceDetector; log: Logger }) {
    this.detector = options.detector;
    this.log = options.log;
  }

  /**
   * The face checks of a picture file and its faces, looked at in `region` (displayed pixels; null
   * for all of it: the part the avatar gets). When the model cannot run, one warning says so and
   * `faces` is null: the photo is still kept, its other checks stand.
   */
  async photoFaces(file: string, region: Rect | null): Promise<PhotoFaceResult> {
    try {
      const picture = await decodePicture(file, { region, maxWidth: photoAnalysisWidth });
      const detection = await this.detector.detect(
        { width: picture.width, height: picture.height, channels: 3, data: picture.rgb },
        { mesh: true, descriptor: true },
      );
      this.log.info('faces in a photo', { faces: detection.faces.length, ms: detection.elapsedMs });
      return {
        checks: photoFaceChecks(detection.faces, picture.width, picture.height),
        faces: { count: detection.faces.length, descriptor: detection.descriptor },
      };
    } catch (error) {
      const message = error instanceof StudioError ? error.message : String(error);
      this.log.warn('the face check of a photo could not run', { message });
      return {
        checks: [
          {
            id: 'face-one',
            label: 'One face',
            verdict: 'warn',
            reason: `The face check could not run (${message.replace(/\.$/, '')}). Check the face yourself.`,
            value: null,
          },
        ],
        faces: null,
      };
    }
  }

  /**
   * The faces of a video, second by second, from its frames in time order (a few a second, upright):
   * the record a recorded take carries (`FaceRecorder`, v2 guide), with the descriptor of the one
   * face averaged over frames `faceQuality.descriptorIntervalMs` apart. `startMs` is where the frames
   * begin on the file's timeline. Null when no frame came.
   */
  async videoFaces(frames: AsyncIterable<VideoFrame>, startMs = 0): Promise<FaceRecord | null> {
    const recorder = new FaceRecorder('v2');
    let previous: Uint8ClampedArray | null = null;
    let lastDescriptorAt = -Infinity;
    let count = 0;
    let busyMs = 0;
    for await (const frame of frames) {
      const descriptor = frame.timeMs - lastDescriptorAt >= faceQuality.descriptorIntervalMs;
      const detection = await this.detector.detect(frame, { mesh: descriptor, descriptor });
      if (descriptor && detection.descriptor) lastDescriptorAt = frame.timeMs;
      const change = previous ? lumaChange(detection.thumbnail, previous) : null;
      previous = detection.thumbnail;
      recorder.add(
        frame.timeMs - startMs,
        { faces: detection.faces, change, descriptor: detection.descriptor, elapsedMs: detection.elapsedMs },
        frame.width,
        frame.height,
      );
      count += 1;
      busyMs += detection.elapsedMs;
    }
    this.log.info('faces in a video', { frames: count, meanMs: count ? Math.round(busyMs / count) : null });
    return recorder.record();
  }

  /** Starts the face model ahead of a first photo, without waiting for it (see FaceDetector.warm). */
  warm(): void {
    this.detector.warm();
  }

  close(): Promise<void> {
    return this.detector.close();
  }
}
