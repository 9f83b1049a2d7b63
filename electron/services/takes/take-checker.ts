/**
 * What a kind of take is judged on, as a function the takes service calls after every save, repair
 * and trim: voice takes here, video takes in the camera service. The service supplies the file,
 * the range and the sound (decoded once and cached), so a checker never decodes on its own.
 */
import { type AudioAnalysis, analyseAudio, voiceChecks } from '../../../shared/audio-analysis';
import type { CheckResult } from '../../../shared/drafts';
import type { MediaTrim } from '../../../shared/media';
import { voicePreparation } from '../../../shared/requirements';
import { planEncoding } from '../media/voice-formats';

export type TakeCheckInput = {
  /** Absolute path of the take's (repaired) file. */
  file: string;
  /** The file's own duration. */
  durationMs: number;
  /** The range preparation will keep, or null for all of it. */
  trim: MediaTrim | null;
  /** The take's checks before this run: a checker may carry some over (e.g. light measured live). */
  previous: readonly CheckResult[];
  /** The whole take's sound, mono float PCM; decoded on first call and shared. */
  decode: () => Promise<{ samples: Float32Array; sampleRate: number }>;
  /** `analyseAudio` on a worker thread, when the caller has one (the takes service does). */
  analyse?: (samples: Float32Array, sampleRate: number) => Promise<AudioAnalysis>;
};

export type TakeChecker = (input: TakeCheckInput) => Promise<CheckResult[]>;

/** The size and encoding preparation plans for this much speech in the default upload format. */
export function plannedVoiceFile(durationMs: number): { bytes: number; summary: string } {
  const plan = planEncoding(voicePreparation.defaultFormat, durationMs);
  const seconds = durationMs / 1000;
  const bytes = plan.bitrate ? Math.ceil((plan.bitrate / 8) * seconds) : Math.ceil(plan.sampleRate * 2 * seconds);
  const summary = `as ${voicePreparation.defaultFormat.toUpperCase()}${plan.bitrate ? ` at ${Math.round(plan.bitrate / 1000)} kbit/s` : ''}`;
  return { bytes, summary };
}

export const voiceTakeChecker: TakeChecker = async ({ durationMs, trim, decode, analyse }) => {
  const { samples, sampleRate } = await decode();
  const start = trim ? Math.min(samples.length, Math.round((trim.startMs / 1000) * sampleRate)) : 0;
  const end = trim ? Math.min(samples.length, Math.round((trim.endMs / 1000) * sampleRate)) : samples.length;
  const analysis = analyse ? await analyse(samples.subarray(start, end), sampleRate) : analyseAudio(samples.subarray(start, end), sampleRate);
  // The decoder may stop a few ms short of the container's duration; the file's own length is the truth.
  if (!trim && durationMs > 0) analysis.durationMs = durationMs;
  return voiceChecks(analysis, plannedVoiceFile(analysis.durationMs));
};
