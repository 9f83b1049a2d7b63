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
  /** The duration meter turns to "approaching the limit" this long before maxSeconds. */
  warnBeforeMaxSeconds: 30,
  /** The studio's own floor: a picture under this height makes a soft avatar (a warning, not a failure). */
  minHeight: 720,
  /**
   * The studio's own ceiling for a picture copied as it is (its short side): the camera records up
   * to 1080p. A larger one (a phone's 4K) is re-encoded at defaultHeight: 9× fewer pixels to encode
   * and upload, and no detail the avatar would use.
   */
  maxCopyHeight: 1080,
  /**
   * Re-encoded pictures keep their frame rate up to this (frames per second): a phone's 60 fps would
   * double the encoding time for motion a talking head does not have. Variable rates become constant.
   */
  maxEncodeFps: 30,
  /**
   * What the picture of the upload may be copied as: H.264 in 8-bit 4:2:0 (profiles up to High), the
   * format every browser, phone and decoding library plays. High 10, 4:2:2 and 4:4:4 are re-encoded.
   */
  copyablePixelFormats: ['yuv420p', 'yuvj420p'],
  /**
   * A video whose sound starts this much later (or earlier) than its picture, ms, is said to: picture
   * without sound at the start, or sound out of step with the lips. Far beyond what ITU-R BT.1359
   * finds acceptable (sound 185 ms late, 90 ms early), so a recorder's own start jitter never trips it.
   */
  soundOffsetWarnMs: 500,
} as const;

/**
 * The consent take: the statement (shared/consent.ts) read aloud. The studio's own rules: reading it
 * takes a person about 25 s, so under minSeconds it cannot all be there; silence means nothing was said.
 */
export const consentRules = {
  codeLength: 6,
  minSeconds: 8,
  maxSeconds: 180,
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
  /** The studio keeps pictures up to this size (a phone's full-size JPEG); the prepared JPEG is far smaller. */
  maxFileBytes: 50 * 1024 * 1024,
  /**
   * sharp's own default limit (16383² would be its exact one): a 200 MP phone photo (16320×12240) is
   * read; libvips streams and shrinks on load, so even that stays within tens of megabytes.
   */
  maxPixels: 16384 * 16384,
  /**
   * The prepared photo is scaled down to this width (16:9, so 2160 high) when its crop is wider. The
   * service publishes no pixel limit; the avatar is rendered at video sizes, so UHD keeps every
   * detail it can use while a 40 MP original prepares to a few megabytes.
   */
  preparedMaxWidth: 3840,
  /** JPEG quality of the prepared photo (libvips/mozjpeg scale): no visible artefacts at a fraction of PNG's size. */
  preparedJpegQuality: 90,
  /** A prepared photo over twinRequestRules.pictureMaxBytes is encoded again at these lower qualities, then smaller. */
  fallbackJpegQualities: [80, 70],
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
  /**
   * A sample at or above this magnitude counts as clipped. Not 1.0: a lossy codec (the recorder's
   * Opus) turns a clipped plateau into ripples just under full scale.
   */
  clipLevel: 0.98,
  /**
   * Clipping is what is really flattened: a run of at least this many equal samples at the take's
   * own peak (a converter or a float-to-integer step held at its ceiling). A float file may peak
   * above full scale without a single flat run, and is not clipped.
   */
  clipFlatRunSamples: 3,
  /** Levels, pauses and noise are measured over frames this long. */
  frameMs: 50,
  /** The take's loud-frame level is this percentile of its frame levels... */
  speechPercentile: 0.95,
  /** ...and a frame this far below it is a pause, */
  pauseBelowSpeechDb: 30,
  /** as is any frame under this absolute level. */
  pauseFloorDbfs: -60,
  /** The noise floor is the mean level of this share of the quietest frames. */
  noiseFloorQuietestShare: 0.1,
  /**
   * ...and is judged only with at least this much pause in the take: the room is heard between
   * words, and in a clip of a few seconds the quietest frames are the tails of words, not the room.
   */
  noiseMinPauseMs: 1000,
  /** Loudness the prepared voice file is normalised to (EBU R128 integrated, LUFS). */
  targetLufs: -19,
  targetTruePeakDbtp: -3,
} as const;

/**
 * How the studio decides what sound a voice file holds (see README "Media engine"): its length, the
 * track and the channel mix that carry the voice, the DC it removes and the bandwidth it expects.
 */
export const voiceSource = {
  /**
   * The studio's own limit on a file it will analyse: a take is trimmed to at most
   * voiceRules.maxSeconds, and a recording this long is an archive, not a take. Refused from its
   * measured length before anything is decoded into memory.
   */
  maxImportSeconds: 20 * 60,
  /**
   * Measuring a sound's length stops this far past maxImportSeconds: a 4-hour file is refused after
   * decoding 20 minutes of it, not 4 hours; the margin lets a file just over the limit show its length.
   */
  measureMarginSeconds: 5,
  /** A header whose length differs from the decoded sound by more than this is reported in the checks. */
  headerMismatchMs: 1000,
  /** The studio analyses at most this many audio tracks of a file, in the file's order. */
  maxTracks: 4,
  /**
   * Preparation removes DC offset with a 2-pole Butterworth high-pass at this frequency: below the lowest voice fundamental (~70 Hz for low male voices), so the voice is
   * untouched, while a constant offset decays within a few tens of milliseconds.
   */
  dcHighpassHz: 20,
  /**
   * The analysis removes DC by subtracting each block's own mean (blocks this long): as complete
   * for an offset as the high-pass, and it leaves no ringing in the pause after a word, where the
   * noise floor and the pauses are measured.
   */
  dcBlockSeconds: 1,
  /**
   * Two channels cancel when summed if their sum is this much quieter than the louder channel
   * alone (one channel inverted): a mono voice recorded out of phase loses 40 dB or more; genuine
   * stereo loses at most ~3 dB. The difference of the channels then carries the voice.
   */
  cancelledSumDb: 12,
  /** A channel this far under the other carries nothing: the other one is used on its own. */
  deadChannelDb: 30,
  /**
   * Narrowband sound: telephone audio (ITU-T G.711, 8 kHz sampling, 300–3400 Hz) and wideband
   * headset audio (ITU-T G.722 / Bluetooth HFP mSBC, 16 kHz sampling, up to 7 kHz) lack the upper
   * band that makes a cloned voice sound present. Any sample rate under `minSampleRate` is narrowband
   * by construction; at any rate, speech with less than `highBandShareDb` of its energy above
   * `highBandHz` has been band-limited on the way (a phone call resampled to 48 kHz). Measured
   * here on the long-term spectrum: full-band speech −19 dB above 4 kHz (fricatives, breath), the
   * same speech through an 8 kHz channel −42 dB; the line sits between, nearer the phone.
   */
  narrowband: { minSampleRate: 22050, highBandHz: 4000, highBandShareDb: -35 },
  /**
   * The speech band used to tell a voice track from music or system sound: the telephone band
   * (ITU-T G.711) holds most of a voice's energy, and speech alternates syllables and pauses, so
   * its frame levels spread widely (music is continuous).
   */
  speechBandHz: { low: 300, high: 3400 },
} as const;

/** How the media engine turns a voice take into the upload file (see README "Media engine"). */
export const voicePreparation = {
  /** The prepared file's integrated loudness must land this close to audioQuality.targetLufs. */
  loudnessToleranceLu: 1,
  /** At the ends of a take, 100 ms frames this far below its integrated loudness count as silence. */
  edgeSilenceBelowLu: 20,
  /** Kept before the first and after the last word, so speech never starts or ends abruptly. */
  edgePaddingMs: 250,
  /** A long take is cut this far short of voiceRules.maxSeconds: encoders pad (an MP3 frame is 24 ms). */
  endMarginMs: 100,
  /** Share of voiceRules.maxBytes a lossy file may plan for; the rest covers headers and overshoot. */
  byteBudgetShare: 0.95,
  /** The default upload format, chosen from the evidence in the README. */
  defaultFormat: 'mp3',
} as const;

/**
 * The exposure check on camera frames (shared/exposure.ts): luma (Rec. 709, 0 = black, 1 = white)
 * of the frame or the guide's crop. Mean luma outside `meanLuma` is a warning, outside
 * `meanLumaFail` a failure; the shares count pixels at or beyond the clip and crush levels.
 */
export const exposureQuality = {
  meanLuma: { min: 0.25, max: 0.75 },
  meanLumaFail: { min: 0.12, max: 0.88 },
  clippedHighlightsShare: { warn: 0.02, fail: 0.08 },
  crushedShadowsShare: { warn: 0.05, fail: 0.15 },
  /** A pixel this bright has lost its detail (250 of 255)... */
  clippedLuma: 0.98,
  /** ...and one this dark (8 of 255) has none left. */
  crushedLuma: 0.03,
  /** "Evenly lit": the mean luma of the frame's left and right halves may differ by this much before it warns. */
  sideDifference: { warn: 0.18 },
  /** Frames are measured at this width (and its 16:9 height): enough for shares, cheap at several a second. */
  sampleWidth: 160,
  /** The live verdict is measured this often. */
  liveIntervalMs: 250,
} as const;

/**
 * The face checks (shared/faces.ts), live on the preview and on a take's verdicts kept per second.
 * Sizes are the face box's height against the guide's head oval (shared/camera.ts framingGuide), so
 * "too small" means the same for v1 (waist up, a small head) and v2 (head and shoulders). Turn limits
 * follow avatar vendors' guidance to face the camera (within about 20°); the share of one face and
 * the eye, blur and cut levels are the studio's own, set on the real photographs in the tests.
 */
export const faceQuality = {
  /** Face box height / guide head-oval height: under min "too small", over max "too large". */
  sizeOfGuide: { min: 0.55, max: 1.6 },
  /** The face's centre may sit this far from the oval's centre, as a share of the oval's half-width and half-height. */
  offCentre: 0.75,
  /** Yaw (left/right) or pitch (up/down) beyond this, in degrees, is "turned away". */
  maxTurnDegrees: 20,
  /** Eye aspect ratio (lid gap / eye width, mean of both eyes) under this is "eyes closed"; open eyes measure 0.2–0.35. */
  minEyeOpening: 0.12,
  /** Variance of the Laplacian of the face's luma (0–255, face scaled to 64 px high) under this is "blurry". */
  minSharpness: 12,
  /** Mean luma change (0–1) between two frames analysed in a row above this is a cut (a scene change). */
  cutLumaChange: 0.22,
  /** A video take passes with exactly one face this share of its seconds, and warns above `oneFaceShare.warn`. */
  oneFaceShare: { pass: 0.95, warn: 0.8 },
  /** The longest run of seconds without exactly one face: a warning above `warn`, a failure above `fail`. */
  longestGapSeconds: { warn: 3, fail: 10 },
  /** The live check aims for this many detections a second and slows down when the machine cannot keep up. */
  liveTargetFps: 8,
  /** Detections never come closer together than this... */
  minIntervalMs: 100,
  /** ...nor further apart than this, however slow the machine. */
  maxIntervalMs: 1000,
  /** After a long task (> 50 ms) on the page, for this long, the detector rests as long as it works (the page comes first). */
  yieldAfterLongTaskMs: 1000,
  /** The face mesh (turn, eyes) is computed this often; between mesh frames the face is only detected. */
  meshIntervalMs: 1000,
  /**
   * The face descriptor (for "same person") is computed at most this often while a take records:
   * it costs about ten detections (measured: 0.4–1 s on a loaded two-core machine), and a take's
   * mean descriptor settles within a few of them.
   */
  descriptorIntervalMs: 5000,
  /** Frames are analysed at this width (their height by the frame's shape). */
  analysisWidth: 480,
  /**
   * An imported video's frames are sampled this often for its faces (the main process looks at each
   * at `analysisWidth`; the per-second record needs one, the second lets a cut show).
   */
  importFramesPerSecond: 2,
  /**
   * Descriptor similarity (0–1, Human's normalised Euclidean distance) at or above this is "same
   * person". Measured here: the same face 0.91–1.00, different people 0.07–0.75.
   */
  samePersonSimilarity: 0.8,
} as const;

/**
 * How the camera records: video bit rates chosen so a 5-minute take stays well under the takes
 * service's file limit (takeStreaming.maxTakeBytes), and the photo countdown.
 */
export const cameraCapture = {
  resolutions: [
    { height: 720, width: 1280, videoBitsPerSecond: 4_000_000 },
    { height: 1080, width: 1920, videoBitsPerSecond: 5_000_000 },
  ],
  defaultFrameRate: 30,
  frameRates: [24, 25, 30, 60],
  audioBitsPerSecond: 128_000,
  /**
   * Chromium's MP4 recorder hands out data only at key frames (every ~3.4 s by default, measured);
   * a key frame every half second lets each 1-second chunk reach the disk as it is captured.
   */
  keyFrameIntervalMs: 500,
  photoCountdownSeconds: 3,
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

/**
 * Whether a file's header claims a length the decoded sound does not have (a WAV or RF64 cut short,
 * joined MP3s): they differ by more than voiceSource.headerMismatchMs. Both lengths in ms; no
 * header claim (null) never disagrees.
 */
export function headerDisagrees(headerMs: number | null, decodedMs: number | null): boolean {
  return headerMs !== null && decodedMs !== null && Math.abs(headerMs - decodedMs) > voiceSource.headerMismatchMs;
}
