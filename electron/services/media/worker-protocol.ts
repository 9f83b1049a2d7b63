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
  { type: 'ready'; loadMs: number } | ({ type: 'done'; id: number } & RunResult) | { type: 'failed'; id: number; message: string; fatal: boolean };

/**
 * How far the running command has got, shared with the main thread instead of sent to it: an
 * Int32Array over `WorkerData.progress` holding [request id, output time in ms], each written with
 * Atomics.store (time first, then id), read by the runner on its own timer.
 *
 * Why not a message: a message from a worker thread takes a lock the main thread's port also takes,
 * and wakes the main thread while holding it. The wake-up preempts the sender, which runs at nice 5
 * or 10 (thread-priority.ts) and waits behind the job's other threads before it can let go, so the
 * main thread sits blocked on that lock meanwhile: `perf` saw the studio's main thread off the CPU in
 * `uv_mutex_lock` for 5–18 ms at a time, woken by the encode worker's progress post, several times a
 * minute during a re-encode (`videoImportPhone60s`, 2 cores).
 */
export const progressSlots = { id: 0, timeMs: 1 } as const;

/** Where an ffmpeg.wasm build's files are, and how many threads it may use. */
export type CoreLocation = {
  wasmPath: string;
  corePath: string;
  /** Set for the multi-threaded core: how many cores ffmpeg may use. Absent for the single-thread core. */
  threads?: number;
};

export type WorkerData = CoreLocation & {
  /** Linux nice value for the worker thread (and its pthreads). */
  nice?: number;
  /** 8 bytes the worker writes its progress into (see progressSlots). */
  progress: SharedArrayBuffer;
};
