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
      /** The picture as it is shown: after its rotation and with square pixels. */
      width: z.number().int().nonnegative(),
      height: z.number().int().nonnegative(),
      fps: z.number().nonnegative().nullable(),
      /** As stored in the stream, before rotation and pixel aspect; absent where equal to width × height. */
      codedWidth: z.number().int().nonnegative().optional(),
      codedHeight: z.number().int().nonnegative().optional(),
      /** Degrees a player turns the stored picture to show it (display matrix, as ffprobe reports it): 0, 90, 180 or 270. */
      rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]).optional(),
      /** Sample (pixel) aspect ratio, width / height of one stored pixel; 1 for square pixels. */
      pixelAspect: z.number().positive().optional(),
      /** ffmpeg's pixel format (`yuv420p`, `yuv420p10le`, `yuv444p`…), null when not said. */
      pixelFormat: z.string().nullable().optional(),
      /** The codec profile (`High`, `High 10`, `Main 10`…), null when not said. */
      profile: z.string().nullable().optional(),
    })
    .nullable(),
});
export type MediaInfo = z.infer<typeof mediaInfoSchema>;
export type VideoInfo = NonNullable<MediaInfo['video']>;

/** "portrait", "landscape" or "square", from the displayed size. */
export function orientationOf(video: { width: number; height: number }): 'portrait' | 'landscape' | 'square' {
  if (video.width === video.height) return 'square';
  return video.height > video.width ? 'portrait' : 'landscape';
}

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
