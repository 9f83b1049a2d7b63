/**
 * What a kind of take is judged on, as a function the takes service calls after every save, repair
 * and trim: voice takes here, video takes in the camera service. The service supplies the file,
 * the range and the sound (measured as a stream, its decoded track kept on disk for the next trim),
 * so a checker never decodes sound on its own.
 */
import { bandwidthCheck, formatDuration, voiceChecks } from '../../../shared/audio-analysis';
import type { CheckResult } from '../../../shared/drafts';
import type { FaceRecord } from '../../../shared/faces';
import type { MediaTrim, VoiceSource } from '../../../shared/media';
import { headerDisagrees, voicePreparation } from '../../../shared/requirements';
import type { VoiceAnalysisOptions, VoiceFileAnalysis } from '../media/engine';
import type { SourceChoice } from '../media/voice-source';
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
  /** The track and mix the take uses so far, or the person's pick (null: not yet measured; the checker decides). */
  voiceSource: SourceChoice | null;
  /** The voice of the file measured as a stream (track, mix, analysis): memory stays flat at any length. */
  analyseVoice: (options: VoiceAnalysisOptions) => Promise<VoiceFileAnalysis>;
  /** Stops the checks (an import cancelled while it is checked); `analyseVoice` already carries it. */
  signal?: AbortSignal;
};

/** What a checker found; a voice checker also settles the measured length and the sound used. */
export type TakeCheckOutcome = {
  checks: CheckResult[];
  durationMs?: number;
  voiceSource?: VoiceSource | null;
  /** The faces found in the file's frames, second by second, when the checker looked (a video that came without them: an import). */
  faces?: FaceRecord;
};

export type TakeChecker = (input: TakeCheckInput) => Promise<CheckResult[] | TakeCheckOutcome>;

/** The size and encoding preparation plans for this much speech in the default upload format. */
export function plannedVoiceFile(durationMs: number): { bytes: number; summary: string } {
  const plan = planEncoding(voicePreparation.defaultFormat, durationMs);
  const seconds = durationMs / 1000;
  const bytes = plan.bitrate ? Math.ceil((plan.bitrate / 8) * seconds) : Math.ceil(plan.sampleRate * 2 * seconds);
  const summary = `as ${voicePreparation.defaultFormat.toUpperCase()}${plan.bitrate ? ` at ${Math.round(plan.bitrate / 1000)} kbit/s` : ''}`;
  return { bytes, summary };
}

/** A note on the sound used (header length, track, channel mix), or null when there is nothing to say. */
export function sourceNote(measured: VoiceFileAnalysis): CheckResult | null {
  const notes: string[] = [];
  const header = measured.headerDurationMs;
  if (header !== null && headerDisagrees(header, measured.durationMs)) {
    notes.push(
      `The file’s header says ${formatDuration(header)}, but its sound decodes to ${formatDuration(measured.durationMs)}: the decoded length is the one shown, checked, trimmed and prepared.`,
    );
  }
  if (measured.reasons.track) notes.push(measured.reasons.track);
  if (measured.reasons.mix) notes.push(measured.reasons.mix);
  if (notes.length === 0) return null;
  return { id: 'source', label: 'Sound used', verdict: 'pass', reason: notes.join(' '), value: measured.durationMs };
}

export const voiceTakeChecker: TakeChecker = async ({ trim, voiceSource, analyseVoice }) => {
  const measured = await analyseVoice({ startMs: trim?.startMs, endMs: trim?.endMs, source: voiceSource });
  const { analysis } = measured;
  // Untrimmed, the whole track's measured length is the take's length (the decoder may stop a few ms short of it).
  if (!trim) analysis.durationMs = measured.durationMs;
  const checks = voiceChecks(analysis, plannedVoiceFile(analysis.durationMs));
  const band = bandwidthCheck(analysis, measured.sourceSampleRate);
  if (band) checks.push(band);
  const note = sourceNote(measured);
  if (note) checks.push(note);
  return { checks, durationMs: measured.durationMs, voiceSource: measured.source };
};
