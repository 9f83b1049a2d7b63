/**
 * Calls on takes: a recording streams into the main process chunk by chunk (begin, append, finish)
 * so that a crash loses at most one chunk; an import streams the same way. Then review: choose,
 * trim, keep a recovered take, discard.
 */
import { z } from 'zod';
import { takeKinds, takeSchema, trimSchema } from '../drafts';
import { voiceMixes } from '../media';

export { takeKinds };
import { exposureAnalysisSchema } from '../exposure';
import { faceRecordSchema } from '../faces';
import { draftIdSchema, takeIdSchema } from '../ids';
import { defineCall } from './define';

/** How takes stream: the numbers both ends agree on. */
export const takeStreaming = {
  /** MediaRecorder timeslice: a crash or an unplugged device loses at most this much. */
  chunkMs: 1000,
  /** One append carries at most this much (imports are read in pieces of this size). */
  maxChunkBytes: 4 * 1024 * 1024,
  /** No take or import file may grow beyond this (a 5-minute 96 kHz stereo WAV is ~110 MB). */
  maxTakeBytes: 256 * 1024 * 1024,
  /**
   * An imported video may be larger: a phone films 5 minutes of 4K at 50–100 Mbit/s (2–4 GB at 60
   * fps HEVC is rare; H.264 4K30 is ~1.8 GB). It is streamed to disk, never held in memory.
   */
  maxVideoImportBytes: 4 * 1024 * 1024 * 1024,
  /** A paused recorder says it is still there this often; a take silent for staleAfterMs is orphaned. */
  keepAliveMs: 3000,
  staleAfterMs: 15_000,
} as const;

export type { TakeKind } from '../drafts';

const takeRef = { draftId: draftIdSchema, takeId: takeIdSchema };

export const takeCalls = {
  /**
   * Starts a take. A recording is added to the draft at once (state `recording`, so a crash leaves
   * it findable); an import joins the draft only when `takes/finish` has accepted the file.
   */
  'takes/begin': defineCall(
    z.strictObject({
      draftId: draftIdSchema,
      kind: z.enum(takeKinds),
      source: z.enum(['recorded', 'imported']),
      /** What the recorder or the file picker says; the main process believes the bytes, not this. */
      mimeType: z.string().max(120),
      /** An imported file's own name, for the log and the take's label. */
      originalName: z.string().max(255).optional(),
      /** An imported file's size, refused up front when too large. */
      expectedBytes: z.number().int().nonnegative().optional(),
    }),
    takeSchema,
  ),
  /** One chunk, in order: `seq` starts at 0; a repeated seq is ignored, a gap is refused. */
  'takes/append': defineCall(
    z.strictObject({
      ...takeRef,
      seq: z.number().int().min(0),
      bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= takeStreaming.maxChunkBytes, 'chunk too large'),
    }),
    z.object({ nextSeq: z.number().int(), bytes: z.number().int() }),
  ),
  /**
   * Ends a take: repairs the container so it has a correct duration, probes it, runs the checks.
   * `recordedMs` is the recorder's own clock, kept for the log and compared with the file.
   */
  'takes/finish': defineCall(
    z.strictObject({
      ...takeRef,
      recordedMs: z.number().nonnegative().optional(),
      /** The light of a video take, measured live on its frames while it was recorded: kept as its light checks. */
      exposure: exposureAnalysisSchema.optional(),
      /** The faces seen live while it was recorded (video, consent), second by second, with the face descriptor: kept with the take, judged for a video. */
      faces: faceRecordSchema.optional(),
    }),
    takeSchema,
  ),
  // Discarding what is already gone (a refused import that finish removed, a second click) is no fault: `discarded` is false.
  'takes/discard': defineCall(z.strictObject(takeRef), z.object({ discarded: z.boolean() })),
  'takes/choose': defineCall(z.strictObject(takeRef), z.object({ chosenTakeId: takeIdSchema })),
  /** Sets (or with null clears) the range that preparation keeps; the checks are run again on it. */
  'takes/trim': defineCall(z.strictObject({ ...takeRef, trim: trimSchema.nullable() }), takeSchema),
  /**
   * The person's pick of a voice take's sound: another audio track of the file and, for a
   * two-channel track, a channel mix (left out: the one measured to keep the voice). Checked again.
   */
  'takes/chooseSound': defineCall(
    z.strictObject({ ...takeRef, track: z.number().int().nonnegative().max(64), mix: z.enum(voiceMixes).nullable().optional() }),
    takeSchema,
  ),
  /**
   * A take's sound as peaks (0–255, `perSecond` a second) from the track and mix it uses, drawn under
   * its playback: any kind with sound (voice, video, consent).
   */
  'takes/peaks': defineCall(
    z.strictObject(takeRef),
    z.object({ perSecond: z.number().int().positive(), peaks: z.instanceof(Uint8Array), durationMs: z.number().nonnegative() }),
  ),
  /** A take recovered after a crash, accepted by the person: it becomes an ordinary complete take. */
  'takes/keep': defineCall(z.strictObject(takeRef), takeSchema),
  /** Repairs the draft's takes that stopped receiving chunks (a renderer that died mid-take). */
  'takes/recover': defineCall(z.strictObject({ draftId: draftIdSchema }), z.object({ recovered: z.array(takeSchema) })),
};

export const takeEvents = {};
