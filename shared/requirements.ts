/**
 * The service's rules and the studio's quality thresholds: one table read by the UI (meters,
 * verdicts) and by the main process (preparation, validation), so the two can never disagree.
 */

export const voiceRules = {
  formats: ['mp3', 'wav', 'm4a', 'flac', 'ogg', 'webm', 'mp4'] as const,
  minSeconds: 60,
  maxSeconds: 300,
  maxBytes: 10 * 1024 * 1024,
  /** The meter turns to "approaching the limit" this long before maxSeconds. */
  warnBeforeMaxSeconds: 30,
} as const;
export type VoiceFormat = (typeof voiceRules.formats)[number];

export const videoRules = {
  minSeconds: 60,
  maxSeconds: 300,
  defaultHeight: 720,
} as const;

/**
 * The service's limits on a twin request as the emulator enforces them. Names and description
 * lengths follow the draft's limits; tag limits and media sizes other than voice are not published,
 * so these are the emulator's assumptions, kept here so the Person form and the emulator agree.
 */
export const twinRequestRules = {
  nameMaxChars: 100,
  descriptionMaxChars: 5000,
  maxTags: 20,
  tagKeyMaxChars: 64,
  tagValueMaxChars: 256,
  pictureMaxBytes: 20 * 1024 * 1024,
  videoMaxBytes: 500 * 1024 * 1024,
} as const;

export const photoRules = {
  aspect: 16 / 9,
  /** Tolerance on the 16:9 ratio, as a share of it. */
  aspectTolerance: 0.01,
  minWidth: 1280,
  minHeight: 720,
} as const;

/**
 * Speech level band published by voice-cloning vendors: RMS between -23 and -18 dBFS with the
 * true peak under -3 dBFS. Noise and silence limits are the studio's own, from listening tests.
 */
export const audioQuality = {
  rmsDbfs: { min: -23, max: -18 },
  /** Below this the take is treated as silent: a hard fail. */
  silentRmsDbfs: -50,
  truePeakMaxDbfs: -3,
  clippedSampleShare: { warn: 0.0001, fail: 0.001 },
  noiseFloorDbfs: { warn: -50, fail: -40 },
  silenceShare: { warn: 0.3, fail: 0.5 },
  longestSilenceSeconds: { warn: 3, fail: 8 },
  edgeSilenceSeconds: { warn: 2 },
  /** Loudness the prepared voice file is normalised to (EBU R128 integrated, LUFS). */
  targetLufs: -19,
  targetTruePeakDbtp: -3,
} as const;

export const exposureQuality = {
  meanLuma: { min: 0.25, max: 0.75 },
  clippedHighlightsShare: { warn: 0.02, fail: 0.08 },
  crushedShadowsShare: { warn: 0.05, fail: 0.15 },
} as const;

export type Verdict = 'pass' | 'warn' | 'fail';

export type DurationState = 'too-short' | 'good' | 'approaching-limit' | 'at-limit';

/** What the duration meter says about a take of this length. */
export function voiceDurationState(seconds: number): DurationState {
  if (seconds < voiceRules.minSeconds) return 'too-short';
  if (seconds >= voiceRules.maxSeconds) return 'at-limit';
  if (seconds >= voiceRules.maxSeconds - voiceRules.warnBeforeMaxSeconds) return 'approaching-limit';
  return 'good';
}
