/** What a benchmark module provides, and what the harness gives it. */
import type { Logger } from '../../electron/services/log';

/** One benchmark's figures: flat, JSON-friendly; null where a figure could not be measured here. */
export type Figures = Record<string, number | string | boolean | null>;

export type BenchContext = {
  /** A scratch folder, removed after the run. */
  workDir: string;
  /** Inputs that are slow to make are kept here between runs (a folder in the OS temp dir). */
  cacheDir: string;
  /** Progress notes for people; goes to stderr so `--json` stays one object on stdout. */
  note(message: string): void;
  /** A logger that drops everything: benchmarks should not measure their own logging. */
  quiet: Logger;
};

export type Benchmark = {
  /** The key in the JSON object, e.g. `voicePrepare300s`. */
  key: string;
  description: string;
  run(context: BenchContext): Promise<Figures>;
};
