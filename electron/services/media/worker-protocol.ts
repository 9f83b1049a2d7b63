/** Messages between the media engine (main thread) and its ffmpeg.wasm worker thread. */
import type { MomentaryFrame } from './ffmpeg-log';

export type WorkerInput = { name: string; path: string };
/** `path: null` sends the bytes back to the main thread (PCM for checks) instead of writing a file. */
export type WorkerOutput = { name: string; path: string | null };

export type RunRequest = {
  type: 'run';
  id: number;
  program: 'ffmpeg' | 'ffprobe';
  /** Arguments after the program name; inputs are read as /in/<name>, outputs written as /out/<name>. */
  args: string[];
  inputs: WorkerInput[];
  outputs: WorkerOutput[];
  /**
   * 'tail' keeps the last log lines, for error messages and summaries; 'momentary' also reads
   * ebur128's per-frame loudness from every line here, so that a 300 s take's 3,000 lines are
   * neither copied to the main thread nor parsed there (RunResult.momentary).
   */
  keepLog: 'tail' | 'momentary';
};

export type RunResult = {
  exitCode: number;
  stdout: string;
  log: string[];
  data: Record<string, Uint8Array>;
  /** With keepLog 'momentary': ebur128's momentary loudness frames (ffmpeg-log.ts momentaryFrame), in order. */
  momentary?: MomentaryFrame[];
  /** Size of the wasm heap after the run: it only grows, so the engine recycles a worker that got big. */
  heapBytes: number;
};

export type WorkerMessage =
  | { type: 'ready'; loadMs: number }
  | { type: 'progress'; id: number; timeMs: number }
  | ({ type: 'done'; id: number } & RunResult)
  | { type: 'failed'; id: number; message: string; fatal: boolean };

export type WorkerData = {
  wasmPath: string;
  corePath: string;
  /** Linux nice value for the worker thread (and its pthreads). */
  nice?: number;
  /** Set for the multi-threaded core: how many cores ffmpeg may use. Absent for the single-thread core. */
  threads?: number;
};
