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
  /**
   * The length the header of the file as it was received claimed, ms, when the studio rewrote that
   * file on import (Take.headerDurationMs): the stored file's own header then tells the truth. Null:
   * the stored file's header is the one to read.
   */
  headerDurationMs: number | null;
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

/** What a take is checked as: the part of a checker's input that the takes service keeps on the take. */
export type CheckState = Pick<TakeCheckInput, 'durationMs' | 'trim' | 'previous' | 'voiceSource' | 'headerDurationMs'>;

/** The size and encoding preparation plans for this much speech in the default upload format. */
export function plannedVoiceFile(durationMs: number): { bytes: number; summary: string } {
  const plan = planEncoding(voicePreparation.defaultFormat, durationMs);
  const seconds = durationMs / 1000;
  const bytes = plan.bitrate ? Math.ceil((plan.bitrate / 8) * seconds) : Math.ceil(plan.sampleRate * 2 * seconds);
  const summary = `as ${voicePreparation.defaultFormat.toUpperCase()}${plan.bitrate ? ` at ${Math.round(plan.bitrate / 1000)} kbit/s` : ''}`;
  return { bytes, summary };
}

/**
 * What to tell people when a file's header claims another length than the one measured from its
 * content (`measured`: a sound's decoded length, or where a video's packets end), or null when the
 * two agree (shared/requirements.ts headerDisagrees) or there is no claim.
 */
export function headerNote(headerMs: number | null, measuredMs: number, measured: 'sound' | 'video'): string | null {
  if (headerMs === null || !headerDisagrees(headerMs, measuredMs)) return null;
  const holds = measured === 'sound' ? 'its sound decodes to' : 'its picture and sound end at';
  return `The file’s header says ${formatDuration(headerMs)}, but ${holds} ${formatDuration(measuredMs)}: the measured length is the one shown, checked, trimmed and prepared.`;
}

/**
 * A note on the sound used (header length, track, channel mix), or null when there is nothing to
 * say. `receivedHeaderMs`: the received file's header claim, when the file measured is a rewrite of it.
 */
export function sourceNote(measured: VoiceFileAnalysis, receivedHeaderMs: number | null = null): CheckResult | null {
  const notes: string[] = [];
  const header = headerNote(receivedHeaderMs ?? measured.headerDurationMs, measured.durationMs, 'sound');
  if (header) notes.push(header);
  if (measured.reasons.track) notes.push(measured.reasons.track);
  if (measured.reasons.mix) notes.push(measured.reasons.mix);
  if (notes.length === 0) return null;
  return { id: 'source', label: 'Sound used', verdict: 'pass', reason: notes.join(' '), value: measured.durationMs };
}

export const voiceTakeChecker: TakeChecker = async ({ trim, voiceSource, headerDurationMs, analyseVoice }) => {
  const measured = await analyseVoice({ startMs: trim?.startMs, endMs: trim?.endMs, source: voiceSource });
  const { analysis } = measured;
  // Untrimmed, the whole track's measured length is the take's length (the decoder may stop a few ms short of it).
  if (!trim) analysis.durationMs = measured.durationMs;
  const checks = voiceChecks(analysis, plannedVoiceFile(analysis.durationMs));
  const band = bandwidthCheck(analysis, measured.sourceSampleRate);
  if (band) checks.push(band);
  const note = sourceNote(measured, headerDurationMs);
  if (note) checks.push(note);
  return { checks, durationMs: measured.durationMs, voiceSource: measured.source };
};
