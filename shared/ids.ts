/** Identifiers the renderer may send. The main process never accepts a path, only these. */
import { z } from 'zod';

export const draftIdSchema = z.string().regex(/^d_[a-z0-9]{10,40}$/, 'not a draft id');
export type DraftId = z.infer<typeof draftIdSchema>;

export const takeIdSchema = z.string().regex(/^t_[a-z0-9]{10,40}$/, 'not a take id');
export type TakeId = z.infer<typeof takeIdSchema>;

/** A media file inside a draft folder: a plain name, never a path. */
export const mediaFileNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,80}\.(webm|mp4|m4a|wav|mp3|flac|ogg|jpg|jpeg|png|webp|avif)$/, 'not a media file name')
  .refine((name) => !name.includes('..'), 'not a media file name');
