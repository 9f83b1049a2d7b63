/** What the media engine says about a file and what it produced: shared by the main process and the UI. */
import { z } from 'zod';
import { voiceRules } from './requirements';

/** Containers the engine recognises by content (never by file name). */
/** Containers the engine reads, by content; `aiff`, `caf`, `asf` (WMA) and `amr` hold sound the studio moves into a service format on import. */
export const mediaContainers = [
  'webm',
  'matroska',
  'mp4',
  'm4a',
  'mov',
  'ogg',
  'wav',
  'mp3',
  'flac',
  'aac',
  'aiff',
  'caf',
  'asf',
  'amr',
  'jpeg',
  'png',
] as const;
export type MediaContainer = (typeof mediaContainers)[number];

/** One audio track of a file, as its container describes it (index counts audio tracks only, from 0). */
export const audioTrackSchema = z.object({
  index: z.number().int().nonnegative(),
  codec: z.string(),
  sampleRate: z.number().int().nonnegative(),
  channels: z.number().int().nonnegative(),
  /** The track's title or handler name, when the file gives one. */
  title: z.string().nullable(),
});
export type AudioTrack = z.infer<typeof audioTrackSchema>;

export const mediaInfoSchema = z.object({
  container: z.enum(mediaContainers),
  /**
   * Null only for still images. For a file with sound and no picture this is measured by decoding
   * the sound to its end, never read from a header (headers of joined or streamed files lie).
   */
  durationMs: z.number().nonnegative().nullable(),
  /**
   * True when the sound was decoded only up to durationMs, where measuring stops (voiceSource's
   * maxImportSeconds plus its margin): the file is at least that long, and too long to take.
   */
  lengthAtLeast: z.boolean().optional(),
  /** What the container's header claims, when it claims anything; compare with durationMs. */
  headerDurationMs: z.number().nonnegative().nullable().optional(),
  /** How much later the first sound track starts than the picture, ms (negative: earlier); null without both. */
  soundOffsetMs: z.number().nullable().optional(),
  /** Every audio track, in the file's order (audio is the first of them). */
  audioTracks: z.array(audioTrackSchema).optional(),
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

/**
 * Within this of either end of a take, a trim's edge is that end: the trim fields step in tenths of
 * a second and a dragged edge lands on a pixel, so "to the end" arrives as up to 50 ms short of it.
 */
export const trimSnapMs = 50;

/**
 * A trim of a take `durationMs` long as it is stored: edges within `trimSnapMs` of an end moved to
 * it, the end clamped to the take; null when it keeps the whole take, or keeps nothing (start at or
 * past the end: the caller refuses that).
 */
export function snapTrim(trim: MediaTrim, durationMs: number): MediaTrim | null {
  const startMs = trim.startMs <= trimSnapMs ? 0 : trim.startMs;
  const endMs = trim.endMs >= durationMs - trimSnapMs ? durationMs : trim.endMs;
  if (startMs >= endMs) return null;
  return startMs === 0 && endMs === durationMs ? null : { startMs, endMs };
}

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

/**
 * How one audio channel pair becomes the mono voice: `mono` (a one-channel track), `average` (the
 * usual downmix), `left` or `right` alone (the other is dead), or `difference` (the channels cancel
 * when summed: one was inverted).
 */
export const voiceMixes = ['mono', 'average', 'left', 'right', 'difference'] as const;
export type VoiceMix = (typeof voiceMixes)[number];

/** Which sound of a file a voice take is: checked, drawn and prepared from this and nothing else. */
export const voiceSourceSchema = z.object({
  /** Audio track index (audio tracks only, from 0), as ffmpeg's `-map 0:a:N`. */
  track: z.number().int().nonnegative(),
  mix: z.enum(voiceMixes),
  /** `auto`: measured by the studio; `person`: picked in the review. */
  chosenBy: z.enum(['auto', 'person']),
  /** Every track considered, with how speech-like it measured (0–1), for the review's picker. */
  tracks: z
    .array(
      z.object({ track: z.number().int().nonnegative(), label: z.string(), channels: z.number().int().nonnegative(), speechScore: z.number().min(0).max(1) }),
    )
    .default([]),
});
export type VoiceSource = z.infer<typeof voiceSourceSchema>;
