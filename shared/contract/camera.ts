/**
 * Calls of the camera step. Video takes are takes (shared/contract/takes.ts, kind `video`): they
 * stream, finish, trim and recover like voice takes; here is only what is particular to the camera:
 * photos (streamed in pieces like takes, judged by their content), the exposure a video take was
 * recorded with, a take's sound as peaks for its review, and "use this video's audio as the voice".
 */
import { z } from 'zod';
import { photoSchema, v2Appearances } from '../drafts';
import { draftIdSchema, takeIdSchema } from '../ids';
import { defineCall } from './define';
import { takeStreaming } from './takes';

const photoRef = { draftId: draftIdSchema, photoId: takeIdSchema };

export const cameraCalls = {
  /** Starts storing a photo: a camera shot (already cropped to 16:9) or an imported picture. */
  'camera/photoBegin': defineCall(
    z.strictObject({
      draftId: draftIdSchema,
      source: z.enum(['camera', 'imported']),
      /** What the page says the bytes are; the main process believes the bytes. */
      mimeType: z.string().max(120),
      originalName: z.string().max(255).optional(),
      expectedBytes: z.number().int().nonnegative(),
    }),
    z.object({ photoId: takeIdSchema }),
  ),
  /** One piece, in order from 0; a repeated seq is ignored, a gap refused. */
  'camera/photoAppend': defineCall(
    z.strictObject({
      ...photoRef,
      seq: z.number().int().min(0),
      bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= takeStreaming.maxChunkBytes, 'piece too large'),
    }),
    z.object({ nextSeq: z.number().int(), bytes: z.number().int() }),
  ),
  /**
   * Ends the upload: a JPEG or PNG is decoded and checked (size, shape, exposure) and joins the
   * draft; anything else, or an imported picture under the minimum size, is refused and removed.
   */
  'camera/photoFinish': defineCall(z.strictObject(photoRef), photoSchema),
  /**
   * The camera is on for photos: the studio starts its face model now (it takes a few seconds), so
   * the first shot is judged without waiting. `faceCheck` false: the studio has none.
   */
  'camera/prepareFaceCheck': defineCall(z.strictObject({}), z.object({ faceCheck: z.boolean() })),
  'camera/photoChoose': defineCall(z.strictObject(photoRef), z.object({ chosenPhotoId: takeIdSchema })),
  /** Removes a stored photo, or drops an upload that did not finish. */
  // Discarding what is already gone (a refused upload that finish removed, a second click) is no fault: `discarded` is false.
  'camera/photoDiscard': defineCall(z.strictObject(photoRef), z.object({ discarded: z.boolean() })),
  /**
   * A still from a video take (the chosen one unless named) at `atMs` into the take (default: the
   * middle of its trimmed range), cropped to the largest centred 16:9 box like a camera shot, stored
   * as a photo of the draft with its checks. It is not chosen: the person chooses it.
   */
  'camera/photoFromVideo': defineCall(
    z.strictObject({ draftId: draftIdSchema, takeId: takeIdSchema.optional(), atMs: z.number().int().min(0).optional() }),
    photoSchema,
  ),
  /** v2 only: the avatar's appearance from the chosen video take (best) or from the chosen photo. */
  'camera/v2AppearanceFrom': defineCall(
    z.strictObject({ draftId: draftIdSchema, from: z.enum(v2Appearances) }),
    z.object({ v2AppearanceFrom: z.enum(v2Appearances) }),
  ),
  /** v2 only: the twin's voice comes from the chosen video take instead of a voice take. */
  'camera/useVideoAudioAsVoice': defineCall(z.strictObject({ draftId: draftIdSchema, enabled: z.boolean() }), z.object({ useVideoAudioAsVoice: z.boolean() })),
};

export const cameraEvents = {};
