/**
 * The camera step in the main process: photos arrive in pieces into a staging file (or are taken as
 * a still from a video take), are judged by their content (format, upright size, the 16:9 part
 * preparation keeps, light without transparent areas, the face in that part) and then
 * join the draft; and the v2 choices (appearance from the video or a photo, voice from the video).
 * Video takes themselves are streamed, repaired, checked (with the light measured live, or from the
 * frames of an imported file), trimmed and drawn as peaks by the takes service.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatBytes } from '../../../shared/audio-analysis';
import { appearanceOf, importedPhotoProblem, photoCrop, photoResolutionCheck, photoShapeCheck, photoTransparencyCheck } from '../../../shared/camera';
import type { CheckResult, Draft, Photo, V2Appearance } from '../../../shared/drafts';
import { StudioError } from '../../../shared/errors';
import { type Rect, analyseExposure, exposureChecks } from '../../../shared/exposure';
import { photoRules } from '../../../shared/requirements';
import { type DraftStore, newId } from '../drafts/draft-store';
import { fileSystemError } from '../files/atomic-write';
import { ChunkSink, sweepStaleChunks } from '../files/chunk-sink';
import type { Logger } from '../log';
import type { FaceService, PhotoFaceResult } from '../faces/face-service';
import type { MediaEngine } from '../media/engine';
import { type MeasuredPicture, type PictureFormat, measurePicture, pictureReadFailure, uprightPipeline } from './picture';

export type CameraServiceOptions = {
  drafts: DraftStore;
  /** preparePhoto for a still from a video take. */
  engine: Pick<MediaEngine, 'preparePhoto'>;
  /** Finds the face in a photo's 16:9 part (exactly one, its size and place, its descriptor); without it photos have no face checks. */
  faces?: Pick<FaceService, 'photoFaces' | 'warm'>;
  log: Logger;
};

type Upload = {
  draftId: string;
  photoId: string;
  source: 'camera' | 'imported';
  originalName: string | null;
  sink: ChunkSink;
};

const stagingPrefix = '.photo-';

/** The extension a picture is stored under; null: stored converted to PNG (Chromium shows no TIFF). */
const storedExtension: Record<PictureFormat, string | null> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', tiff: null };

/**
 * A photo's checks, measured on what preparation keeps: the resolution of its 16:9 part, its shape
 * (an import is cropped, so another shape warns with the crop; a camera shot must already be 16:9),
 * its light inside that part without transparent pixels, and a word on transparency if it has any.
 */
function photoChecks(picture: MeasuredPicture, imported: boolean): CheckResult[] {
  const crop = imported ? photoCrop(picture.width, picture.height) : { x: 0, y: 0, width: picture.width, height: picture.height };
  const scale = picture.luma.width / picture.width;
  const region = { x: crop.x * scale, y: crop.y * scale, width: crop.width * scale, height: crop.height * scale };
  const transparency = photoTransparencyCheck(picture.transparentShare);
  return [
    photoResolutionCheck(crop.width, crop.height),
    photoShapeCheck(picture.width, picture.height, { croppedWhenPrepared: imported }),
    ...exposureChecks(analyseExposure(picture.luma, region)),
    ...(transparency ? [transparency] : []),
  ];
}

export class CameraService {
  private readonly drafts: DraftStore;
  private readonly engine: Pick<MediaEngine, 'preparePhoto'>;
  private readonly faces: Pick<FaceService, 'photoFaces' | 'warm'> | null;
  private readonly log: Logger;
  private readonly uploads = new Map<string, Upload>();

  constructor(options: CameraServiceOptions) {
    this.drafts = options.drafts;
    this.engine = options.engine;
    this.faces = options.faces ?? null;
    this.log = options.log;
  }

  // ---- photos ----------------------------------------------------------------------------------

  async beginPhoto(input: { draftId: string; source: 'camera' | 'imported'; mimeType: string; originalName?: string; expectedBytes: number }): Promise<string> {
    const draft = await this.drafts.get(input.draftId);
    if (input.expectedBytes > photoRules.maxFileBytes) {
      throw new StudioError(
        'MEDIA',
        `This picture is ${formatBytes(input.expectedBytes)}; the studio keeps pictures up to ${formatBytes(photoRules.maxFileBytes)}. Save it smaller first.`,
      );
    }
    const photoId = newId('t');
    const sink = await ChunkSink.open(path.join(this.drafts.folder(draft.id), `${stagingPrefix}${photoId}.part`), {
      what: 'the picture',
      maxBytes: photoRules.maxFileBytes,
      expectedBytes: input.expectedBytes,
    });
    this.uploads.set(photoId, { draftId: draft.id, photoId, source: input.source, originalName: input.originalName ?? null, sink });
    return photoId;
  }

  appendPhoto(draftId: string, photoId: string, seq: number, bytes: Uint8Array): Promise<{ nextSeq: number; bytes: number }> {
    return this.upload(draftId, photoId).sink.append(seq, bytes);
  }

  /** Judges the picture by its bytes; a refused one is removed and nothing else in the draft changes. */
  async finishPhoto(draftId: string, photoId: string): Promise<Photo> {
    const upload = this.upload(draftId, photoId);
    this.uploads.delete(photoId);
    await upload.sink.close();
    try {
      if (upload.sink.bytes === 0) throw new StudioError('MEDIA', 'The file is empty.');
      if (!upload.sink.complete) throw new StudioError('MEDIA', 'The picture arrived incomplete. Take or import it again.');
      let stored = upload.sink.file;
      let picture = await measurePicture(stored);
      if (upload.source === 'imported') {
        const problem = importedPhotoProblem(picture.width, picture.height);
        if (problem) throw new StudioError('MEDIA', problem);
      }
      const extension = storedExtension[picture.format];
      if (extension === null) {
        // Chromium cannot show a TIFF: it is kept as an upright PNG of the same pixels, judged as stored.
        stored = `${upload.sink.file}.png`;
        await uprightPipeline(upload.sink.file, { flatten: false })
          .png()
          .toFile(stored)
          .catch((error: unknown) => {
            throw pictureReadFailure(error, picture.format);
          });
        await fs.rm(upload.sink.file, { force: true });
        picture = await measurePicture(stored);
      }
      const imported = upload.source === 'imported';
      const crop = photoCrop(picture.width, picture.height);
      const faces = await this.photoFaces(stored, imported ? crop : null);
      const photo: Photo = {
        id: photoId,
        source: upload.source,
        fileName: `photo-${photoId}.${extension ?? 'png'}`,
        createdAt: new Date().toISOString(),
        ...(imported ? { width: crop.width, height: crop.height } : { width: picture.width, height: picture.height }),
        // A camera shot under the minimum is kept (it is what the camera gives) and fails here, visibly.
        checks: [...photoChecks(picture, imported), ...faces.checks],
        ...(faces.faces ? { faces: faces.faces } : {}),
        originalName: upload.originalName,
        original: imported ? { width: picture.width, height: picture.height, orientation: picture.orientation, format: picture.format } : null,
      };
      const final = this.drafts.mediaFile(draftId, photo.fileName);
      try {
        await fs.rename(stored, final);
      } catch (error) {
        throw fileSystemError(error, 'store the photo');
      }
      try {
        await this.drafts.update(draftId, (draft) => ({ ...draft, camera: { ...draft.camera, photos: [...draft.camera.photos, photo] } }));
      } catch (error) {
        await fs.rm(final, { force: true });
        throw error;
      }
      this.log.info('photo stored', {
        draftId,
        photoId,
        source: upload.source,
        width: picture.width,
        height: picture.height,
        format: picture.format,
        orientation: picture.orientation,
      });
      return photo;
    } catch (error) {
      this.log.info('photo refused', { draftId, photoId, source: upload.source, reason: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      await fs.rm(upload.sink.file, { force: true });
      await fs.rm(`${upload.sink.file}.png`, { force: true });
    }
  }

  /**
   * A still from a video take (the chosen one unless named) at `atMs` (default: the middle of its
   * trimmed range), cropped to the largest centred 16:9 box, judged like a camera shot and stored as
   * a photo of the draft. A small frame is kept and fails its resolution check, visibly, as a camera
   * shot would. Not chosen: the person decides whether to use it.
   * Errors: NOT_FOUND (no such take, or no chosen one), CONFLICT (still recording), BAD_REQUEST
   * (`atMs` past the end), MEDIA (ffmpeg could not read a frame).
   */
  async photoFromVideo(draftId: string, takeId?: string, atMs?: number): Promise<Photo> {
    const draft = await this.drafts.get(draftId);
    const id = takeId ?? draft.camera.chosenVideoTakeId;
    if (!id) throw new StudioError('NOT_FOUND', 'This draft has no chosen video take to take a still from.');
    const take = draft.camera.videoTakes.find((item) => item.id === id);
    if (!take) throw new StudioError('NOT_FOUND', 'This video take no longer exists.');
    if (take.state === 'recording') throw new StudioError('CONFLICT', 'This take is still being recorded.');
    const start = take.trim?.startMs ?? 0;
    const end = take.trim?.endMs ?? take.durationMs ?? start;
    const at = atMs ?? Math.round((start + end) / 2);
    if (take.durationMs !== null && at > take.durationMs) {
      throw new StudioError('BAD_REQUEST', `The take lasts ${Math.round(take.durationMs / 1000)} s; choose a moment within it.`);
    }
    const photoId = newId('t');
    // Made under the staging name, so a crash leaves only what removeStaleUploads clears at the next start.
    const staging = path.join(this.drafts.folder(draftId), `${stagingPrefix}${photoId}.part`);
    try {
      await this.engine.preparePhoto(this.drafts.mediaFile(draftId, take.fileName), staging, { atMs: at, label: 'Taking a still from the video' });
      const picture = await measurePicture(staging);
      const faces = await this.photoFaces(staging, null);
      const photo: Photo = {
        id: photoId,
        source: 'camera',
        fileName: `photo-${photoId}.${storedExtension[picture.format] ?? 'png'}`,
        createdAt: new Date().toISOString(),
        width: picture.width,
        height: picture.height,
        checks: [...photoChecks(picture, false), ...faces.checks],
        ...(faces.faces ? { faces: faces.faces } : {}),
        originalName: `Still at ${(at / 1000).toFixed(1)} s of the video take`,
      };
      const final = this.drafts.mediaFile(draftId, photo.fileName);
      try {
        await fs.rename(staging, final);
      } catch (error) {
        throw fileSystemError(error, 'store the still');
      }
      try {
        await this.drafts.update(draftId, (current) => ({ ...current, camera: { ...current.camera, photos: [...current.camera.photos, photo] } }));
      } catch (error) {
        await fs.rm(final, { force: true });
        throw error;
      }
      this.log.info('still taken from a video take', { draftId, takeId: take.id, photoId, atMs: at, width: picture.width, height: picture.height });
      return photo;
    } finally {
      await fs.rm(staging, { force: true });
    }
  }

  /**
   * The camera is on for photos: the face model starts loading now, so that the first shot's checks
   * do not wait for it. False when the studio has no face model (photos then have no face checks).
   */
  prepareFaceCheck(): boolean {
    this.faces?.warm();
    return this.faces !== null;
  }

  /** The face checks of a picture's part the avatar gets (`region`, or all of it), when the studio has a face model. */
  private async photoFaces(file: string, region: Rect | null): Promise<PhotoFaceResult> {
    return this.faces ? this.faces.photoFaces(file, region) : { checks: [], faces: null };
  }

  async choosePhoto(draftId: string, photoId: string): Promise<string> {
    await this.drafts.update(draftId, (draft) => {
      const photo = draft.camera.photos.find((item) => item.id === photoId);
      if (!photo) throw new StudioError('NOT_FOUND', 'This photo no longer exists.');
      return { ...draft, camera: { ...draft.camera, chosenPhotoId: photoId } };
    });
    return photoId;
  }

  /** Removes a photo, or its upload in progress. Returns false when there was nothing to remove (already gone). */
  async discardPhoto(draftId: string, photoId: string): Promise<boolean> {
    const upload = this.uploads.get(photoId);
    if (upload && upload.draftId === draftId) {
      this.uploads.delete(photoId);
      await upload.sink.discard();
      return true;
    }
    let removed: Photo | null = null;
    await this.drafts.update(draftId, (draft) => {
      removed = draft.camera.photos.find((item) => item.id === photoId) ?? null;
      if (!removed) return draft;
      return {
        ...draft,
        camera: {
          ...draft.camera,
          photos: draft.camera.photos.filter((item) => item.id !== photoId),
          chosenPhotoId: draft.camera.chosenPhotoId === photoId ? null : draft.camera.chosenPhotoId,
        },
      };
    });
    const photo = removed as Photo | null;
    if (!photo) return false;
    await fs.rm(this.drafts.mediaFile(draftId, photo.fileName), { force: true });
    this.log.info('photo discarded', { draftId, photoId });
    return true;
  }

  // ---- video takes -----------------------------------------------------------------------------

  /** v2 only: the avatar's appearance from the chosen video take or the chosen photo. Errors: BAD_REQUEST for a v1 draft. */
  async setV2AppearanceFrom(draftId: string, from: V2Appearance): Promise<V2Appearance> {
    const updated = await this.drafts.update(draftId, (draft: Draft) => {
      if (draft.person.avatarVersion !== 'v2') {
        throw new StudioError('BAD_REQUEST', 'This draft makes a v1 avatar, which is always made from a photo. Choose v2 on the Person step first.');
      }
      return { ...draft, camera: { ...draft.camera, v2AppearanceFrom: from } };
    });
    return updated.camera.v2AppearanceFrom;
  }

  async setVideoAudioAsVoice(draftId: string, enabled: boolean): Promise<boolean> {
    const updated = await this.drafts.update(draftId, (draft: Draft) => {
      if (enabled && appearanceOf(draft) !== 'video') {
        throw new StudioError(
          'BAD_REQUEST',
          draft.person.avatarVersion === 'v2'
            ? 'This v2 avatar is made from a photo, so there is no video to take the voice from.'
            : 'Only a v2 avatar can take its voice from the video; this draft makes a v1 avatar from a photo.',
        );
      }
      return { ...draft, camera: { ...draft.camera, useVideoAudioAsVoice: enabled } };
    });
    return updated.camera.useVideoAudioAsVoice;
  }

  // ---- housekeeping ----------------------------------------------------------------------------

  /** At start-up: photo uploads cut short by the last run ending leave staging files; remove them. */
  async removeStaleUploads(): Promise<void> {
    const { drafts } = await this.drafts.list();
    const live = new Set([...this.uploads.values()].map((upload) => upload.sink.file));
    for (const summary of drafts) await sweepStaleChunks(this.drafts.folder(summary.id), stagingPrefix, live);
  }

  /** Pictures still arriving are dropped with their partial files. */
  async close(): Promise<void> {
    const uploads = [...this.uploads.values()];
    this.uploads.clear();
    for (const upload of uploads) await upload.sink.discard();
  }

  private upload(draftId: string, photoId: string): Upload {
    const upload = this.uploads.get(photoId);
    if (!upload || upload.draftId !== draftId) {
      throw new StudioError('CONFLICT', 'This picture is not being stored any more (the studio may have restarted). Take or import it again.');
    }
    return upload;
  }
}
