/**
 * What a preparation needs while it runs: the runner, cancellation, progress split across its
 * ffmpeg steps, and output written beside its final name so a half-made file is never seen.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../../shared/errors';
import type { Logger } from '../log';
import { blamesInput, explainFailure, unreadableReason } from './ffmpeg-log';
import { startsLikeMedia } from './signature';
import type { FFmpegRunner, RunControl, RunResult, RunSpec } from './runner';

export type JobContext = {
  runner: FFmpegRunner;
  /** Runs the steps that re-encode a picture (the multi-threaded core); `runner` when absent. */
  encoder?: FFmpegRunner;
  log: Logger;
  signal?: AbortSignal;
  /** Overall progress 0..1 of the job. */
  onRatio?: (ratio: number) => void;
};

/** A RunControl whose progress covers [from, to] of the job, given the output duration to expect. */
export function stepControl(job: JobContext, from: number, to: number, expectedMs: number | null): RunControl {
  return {
    signal: job.signal,
    onTime: (timeMs) => {
      if (!expectedMs || expectedMs <= 0) return;
      const share = Math.min(1, Math.max(0, timeMs / expectedMs));
      job.onRatio?.(from + (to - from) * share);
    },
  };
}

/**
 * Runs a command and turns a non-zero exit into a MEDIA error that says why in plain words: the input
 * is cut short or damaged (`unreadableReason`), or the engine stopped on it. ffmpeg's own words go to
 * the log, where whoever looks into it needs them, never into the message a person reads.
 */
export async function runChecked(job: JobContext, spec: RunSpec, control: RunControl, doing: string): Promise<RunResult> {
  const result = await job.runner.run(spec, control);
  if (spec.program === 'ffmpeg' && result.exitCode !== 0) {
    job.log.warn(`ffmpeg failed to ${doing}`, { exitCode: result.exitCode, reason: explainFailure(result.log), log: result.log.slice(-8) });
    const input = spec.inputs[0];
    const reason =
      input && blamesInput(result.log)
        ? unreadableReason(result.log, await startsLikeMedia(input.path))
        : 'the media engine stopped on it (the studio’s log has its words)';
    throw new StudioError('MEDIA', `Could not ${doing}: ${reason}.`);
  }
  return result;
}

/**
 * A temporary file in the output's folder: the job writes there and renames on success (atomic on
 * one file system), and removes it on failure or cancellation.
 */
export async function withPartialOutput<T>(output: string, work: (partial: string) => Promise<T>): Promise<T> {
  await fs.mkdir(path.dirname(output), { recursive: true });
  const partial = path.join(path.dirname(output), `.${path.basename(output)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    const result = await work(partial);
    await fs.rename(partial, output);
    return result;
  } finally {
    await fs.rm(partial, { force: true });
  }
}

export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
