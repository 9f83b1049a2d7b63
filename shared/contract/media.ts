/** Calls on the media engine: probe a take, prepare the upload files, cancel a preparation. */
import { z } from 'zod';
import { draftIdSchema, mediaFileNameSchema, takeIdSchema } from '../ids';
import { cropSchema, jobIdSchema, mediaInfoSchema, preparedMediaSchema, voiceFormatSchema } from '../media';
import { defineCall } from './define';

export const mediaCalls = {
  /** What a take or photo of the draft holds: container (by content), duration, codecs, size. */
  'media/probe': defineCall(z.strictObject({ draftId: draftIdSchema, takeId: takeIdSchema }), mediaInfoSchema),
  /** The accepted voice formats and the one the studio prepares unless told otherwise. */
  'media/voiceFormats': defineCall(z.strictObject({}), z.object({ formats: z.array(voiceFormatSchema), defaultFormat: voiceFormatSchema })),
  /**
   * Prepares the upload voice file from a voice take (the chosen one unless named) and its trim.
   * Progress arrives as `jobs/progress` events under `jobId` (named by the caller, or made up).
   */
  'media/prepareVoice': defineCall(
    z.strictObject({
      draftId: draftIdSchema,
      takeId: takeIdSchema.optional(),
      format: voiceFormatSchema.optional(),
      jobId: jobIdSchema.optional(),
    }),
    preparedMediaSchema,
  ),
  /** Prepares the upload video (H.264 + AAC MP4) from a video take, at its size or `height`. */
  'media/prepareVideo': defineCall(
    z.strictObject({
      draftId: draftIdSchema,
      takeId: takeIdSchema.optional(),
      height: z.number().int().min(144).max(2160).nullable().optional(),
      jobId: jobIdSchema.optional(),
    }),
    preparedMediaSchema,
  ),
  /** Prepares the v1 reference photo: a JPEG of the chosen 16:9 crop (centred when none is given). */
  'media/preparePhoto': defineCall(
    z.strictObject({
      draftId: draftIdSchema,
      photoId: takeIdSchema.optional(),
      crop: cropSchema.nullable().optional(),
      width: z.number().int().min(320).max(7680).nullable().optional(),
      jobId: jobIdSchema.optional(),
    }),
    preparedMediaSchema,
  ),
  /**
   * The file the review plays for a take: the take's own when the browser can play it, else a
   * preview the media engine makes (`preview-<take>.mp4|webm`, progress under `jobId`, cancel with
   * `media/cancel`). `force` makes the preview even though the file looked playable (the browser
   * failed on it). `reason` says why a preview is played.
   */
  'media/preview': defineCall(
    z.strictObject({ draftId: draftIdSchema, takeId: takeIdSchema, force: z.boolean().optional(), jobId: jobIdSchema.optional() }),
    z.object({ fileName: mediaFileNameSchema, preview: z.boolean(), reason: z.string().nullable() }),
  ),
  'media/cancel': defineCall(z.strictObject({ jobId: jobIdSchema }), z.object({ cancelled: z.boolean() })),
};

export const mediaEvents = {};
