/** What the media engine says about a file and what it produced: shared by the main process and the UI. */
import { z } from 'zod';
import { voiceRules } from './requirements';

/** Containers the engine recognises by content (never by file name). */
export const mediaContainers = ['webm', 'matroska', 'mp4', 'm4a', 'mov', 'ogg', 'wav', 'mp3', 'flac', 'aac', 'jpeg', 'png'] as const;
export type MediaContainer = (typeof mediaContainers)[number];

export const mediaInfoSchema = z.object({
  container: z.enum(mediaContainers),
  /** Null only for still images. */
  durationMs: z.number().nonnegative().nullable(),
  bytes: z.number().int().nonnegative(),
  audio: z.object({ codec: z.string(), sampleRate: z.number().int().nonnegative(), channels: z.number().int().nonnegative() }).nullable(),
  video: z
    .object({
      codec: z.string(),
      width: z.number().int().nonnegative(),
      height: z.number().int().nonnegative(),
      fps: z.number().nonnegative().nullable(),
    })
    .nullable(),
});
export type MediaInfo = z.infer<typeof mediaInfoSchema>;

export const voiceFormatSchema = z.enum(voiceRules.formats);

/** Trim range in milliseconds of the source. */
export const mediaTrimSchema = z.object({ startMs: z.number().int().min(0), endMs: z.number().int().positive() });
export type MediaTrim = z.infer<typeof mediaTrimSchema>;

/** A 16:9 crop rectangle in source pixels. */
export const cropSchema = z.object({
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type Crop = z.infer<typeof cropSchema>;

export const preparedFileSchema = z.object({
  /** Absolute path in the main process; never sent to the renderer (handlers send fileName). */
  file: z.string(),
  mimeType: z.string(),
  info: mediaInfoSchema,
  /** What the engine did, for the log and the review screen: e.g. "remuxed video, re-encoded audio". */
  summary: z.string(),
  /** Integrated loudness of the output (voice only), LUFS. */
  loudnessLufs: z.number().nullable().default(null),
  /** Target audio bitrate chosen from the duration (lossy formats), bits per second. */
  audioBitrate: z.number().int().positive().nullable().default(null),
});
export type PreparedFile = z.infer<typeof preparedFileSchema>;

/** A job the renderer may name up front, so it can follow and cancel it before the call returns. */
export const jobIdSchema = z.string().regex(/^j_[a-z0-9]{6,40}$/, 'not a job id');

/** A prepared upload file as the renderer sees it: a file name in the draft folder, never a path. */
export const preparedMediaSchema = z.object({
  jobId: jobIdSchema,
  fileName: z.string(),
  mimeType: z.string(),
  info: mediaInfoSchema,
  summary: z.string(),
  loudnessLufs: z.number().nullable(),
  audioBitrate: z.number().int().positive().nullable(),
});
export type PreparedMedia = z.infer<typeof preparedMediaSchema>;
