/**
 * Runs ffmpeg commands: the interface every preparation step is written against, and its
 * implementation on ffmpeg.wasm in a worker thread (one command at a time, restartable).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StudioError } from '../../../shared/errors';
import type { Logger } from '../log';
import { type WorkerEntry, currentFile, unpacked, workerEntry } from '../worker-entry';
import { defaultWorkerNice } from '../thread-priority';
import {
  type CoreLocation,
  type RunRequest,
  type RunResult,
  type WorkerData,
  type WorkerInput,
  type WorkerMessage,
  type WorkerOutput,
  progressSlots,
} from './worker-protocol';

export type RunSpec = {
  program: 'ffmpeg' | 'ffprobe';
  /** Inputs are referred to as /in/<name>, outputs as /out/<name>, each as a whole argument. */
  args: string[];
  inputs: WorkerInput[];
  outputs?: WorkerOutput[];
  /** What the run returns of ffmpeg's log (RunRequest's keepLog); 'tail' when absent. */
  keepLog?: 'tail' | 'momentary';
};

export type RunControl = {
  signal?: AbortSignal;
  /** Output time reached, from ffmpeg's stats lines. */
  onTime?: (timeMs: number) => void;
};

export interface FFmpegRunner {
  run(spec: RunSpec, control?: RunControl): Promise<RunResult>;
}

export type { RunResult } from './worker-protocol';

export type { WorkerEntry } from '../worker-entry';

/** The media worker script (see worker-entry.ts). */
export function defaultWorkerEntry(): WorkerEntry {
  return workerEntry('media-worker.cjs', () => path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts'));
}

/**
 * The two ffmpeg.wasm builds: `single` (`@ffmpeg/core`, one thread) for probes, decodes, remuxes
 * and sound, `multi` (`@ffmpeg/core-mt`, Emscripten pthreads) for re-encoding pictures.
 */
export type CoreBuild = 'single' | 'multi';

const corePackages: Record<CoreBuild, string> = { single: '@ffmpeg/core', multi: '@ffmpeg/core-mt' };

/**
 * The ESM build of an ffmpeg.wasm core and its wasm, located through Node's own resolution (the
 * multi-threaded core's pthread script, `ffmpeg-core.worker.js`, sits beside its `ffmpeg-core.js`).
 */
export function locateCore(build: CoreBuild = 'single'): CoreLocation {
  const require = createRequire(currentFile());
  const umd = require.resolve(corePackages[build]);
  const corePath = path.join(path.dirname(umd), '..', 'esm', 'ffmpeg-core.js');
  return { corePath: unpacked(existsSync(corePath) ? corePath : umd), wasmPath: unpacked(require.resolve(`${corePackages[build]}/wasm`)) };
}

/**
 * The multi-threaded core with the number of threads to give it, or null where it would not help or
 * cannot run: one CPU, no shared wasm memory (SharedArrayBuffer), or the package missing. Callers
 * then use the single-thread core for everything.
 */
export function multiThreadCore(): CoreLocation | null {
  const cores = availableParallelism();
  if (cores < 2 || typeof SharedArrayBuffer !== 'function') return null;
  try {
    // Threads share one wasm memory; a runtime without shared memory cannot run the core.
    const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (options: object) => unknown } }).WebAssembly;
    new wasm.Memory({ initial: 1, maximum: 1, shared: true });
    const core = locateCore('multi');
    if (!existsSync(path.join(path.dirname(core.corePath), 'ffmpeg-core.worker.js'))) return null;
    return { ...core, threads: cores };
  } catch {
    return null;
  }
}

/** ffmpeg's `av_assert` line: "Assertion <condition> failed at <file>:<line>". */
const isAssertion = (line: string) => /^Assertion .+ failed at \S+:\d+/.test(line);

/** Whether a failed run's log holds one of ffmpeg's internal assertions. */
export const internalAssertion = (log: readonly string[]) => log.some(isAssertion);

/** What people are told when the engine itself fails (a wasm trap, a crashed worker); the details go to the log. */
export const engineFailure =
  'The media engine stopped with an internal error while working on this file. Nothing was changed: try again; if it happens again, the file may be damaged, and the studio’s log has the details.';

/** A failure of the engine itself (a wasm trap, a crashed or vanished worker), as opposed to ffmpeg's exit code. */
class EngineFailure extends StudioError {
  constructor() {
    super('MEDIA', engineFailure);
  }
}

/** Above this wasm heap size the worker is replaced after its job: wasm memory never shrinks. */
const recycleHeapBytes = 1024 * 1024 * 1024;

type Pending = {
  id: number;
  resolve: (result: RunResult) => void;
  reject: (error: unknown) => void;
};

/** How often a running command's progress is read from the worker (ms): a progress bar's pace. */
const progressPollMs = 200;

/**
 * One worker thread with the core loaded once and reused for every command. Commands run one at a
 * time in arrival order. Cancelling a running command terminates the thread (ffmpeg.wasm's exec is
 * synchronous: there is no other way to stop it); the next command starts a fresh one.
 */
export class WasmRunner implements FFmpegRunner {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  /** Fails a start still loading the worker (`stop` terminates it before it says ready). */
  private rejectStart: ((error: unknown) => void) | null = null;
  /** The running worker's progress (see progressSlots in worker-protocol.ts). */
  private progress: Int32Array | null = null;
  private pending: Pending | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;
  /** Start-up times of the worker (ms), for the log and the benchmark. */
  readonly loadTimes: number[] = [];

  private waiting = 0;
  /** Holders that want the worker kept loaded while idle (see `hold`). */
  private holds = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  private readonly idleMs: number;
  private readonly nice: number;
  private readonly entry: WorkerEntry;
  private readonly core: CoreLocation;

  constructor(
    private readonly log: Logger,
    options: {
      /** An idle worker is stopped after this long: each holds ~100 MB of compiled code and heap. */
      idleMs?: number;
      /** Linux nice value of the worker thread (0 = as the main thread). */
      nice?: number;
      entry?: WorkerEntry;
      core?: CoreLocation;
    } = {},
  ) {
    this.idleMs = options.idleMs ?? 120_000;
    this.nice = options.nice ?? defaultWorkerNice;
    this.entry = options.entry ?? defaultWorkerEntry();
    this.core = options.core ?? locateCore();
  }

  run(spec: RunSpec, control: RunControl = {}): Promise<RunResult> {
    this.waiting++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const turn = this.queue.then(() => this.runNow(spec, control));
    this.queue = turn.catch(() => undefined);
    void this.queue.then(() => {
      this.waiting--;
      this.idleLater();
    });
    return turn;
  }

  /**
   * Loads the worker now and keeps it loaded, idle or not, until the returned release is called:
   * for a recording, whose Stop should not wait for a worker to load (seconds on a busy machine).
   */
  hold(): () => void {
    this.holds++;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    void this.start().catch((error: unknown) => this.log.warn('the media worker could not be loaded ahead', { message: String(error) }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.idleLater();
    };
  }

  /** An idle worker, held by no one, is stopped after `idleMs`. */
  private idleLater(): void {
    if (this.waiting === 0 && this.holds === 0 && this.worker && !this.closed && !this.idleTimer) {
      this.idleTimer = setTimeout(() => void this.stop(null), this.idleMs);
      this.idleTimer.unref();
    }
  }

  /** Starts the worker ahead of the first job, so the first preparation does not pay for loading. */
  async warm(): Promise<void> {
    await this.start();
    this.idleLater();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.stop(new StudioError('CANCELLED', 'The media engine was closed.'));
  }

  private async runNow(spec: RunSpec, control: RunControl, again = false): Promise<RunResult> {
    if (this.closed) throw new StudioError('NOT_AVAILABLE', 'The media engine is closed.');
    control.signal?.throwIfAborted();
    const worker = await this.start();
    control.signal?.throwIfAborted();
    const id = this.nextId++;
    const request: RunRequest = {
      type: 'run',
      id,
      program: spec.program,
      args: spec.args,
      inputs: spec.inputs,
      outputs: spec.outputs ?? [],
      keepLog: spec.keepLog ?? 'tail',
    };
    const running = new Promise<RunResult>((resolve, reject) => {
      this.pending = { id, resolve, reject };
      const onAbort = () => void this.stop(control.signal?.reason ?? new StudioError('CANCELLED', 'Cancelled.'));
      control.signal?.addEventListener('abort', onAbort, { once: true });
      const endPolling = this.pollProgress(id, control.onTime);
      const settle = (done: boolean) => {
        control.signal?.removeEventListener('abort', onAbort);
        endPolling(done);
      };
      this.pending.resolve = (value) => {
        settle(true);
        resolve(value);
      };
      this.pending.reject = (error) => {
        settle(false);
        reject(error);
      };
      worker.postMessage(request);
    });
    // A failure of the engine itself (a trap, a lost worker) rejects; ffmpeg's own exit code resolves.
    const outcome = await running.then(
      (result) => ({ ok: true as const, result }),
      (error: unknown) => {
        if (error instanceof EngineFailure) return { ok: false as const, failure: error };
        throw error;
      },
    );
    // After a failed ffmpeg run the core's state is not to be trusted: later runs on it report exit
    // code 69 for commands that succeed (seen after an AV1 file this build cannot decode). A fresh
    // worker costs ~0.4 s, only after a failure.
    const failed = !outcome.ok || (spec.program === 'ffmpeg' && outcome.result.exitCode !== 0);
    if (failed || outcome.result.heapBytes > recycleHeapBytes) {
      if (outcome.ok) this.log.info('recycling the media worker', { heapMb: Math.round(outcome.result.heapBytes / 2 ** 20), afterFailure: failed });
      await this.stop(null);
    }
    // The core's state also leaks between runs that succeed, and a later run can fail where it runs
    // clean on a fresh worker: a track preview after the imports of a test file trapped ("memory
    // access out of bounds"), and once stopped on "Assertion pool->type == AVMEDIA_TYPE_AUDIO failed
    // at libavfilter/framepool.c". Neither is the file's fault: the command runs once more on a fresh
    // worker, and a second failure stands.
    const engineFault = !outcome.ok
      ? outcome.failure.message
      : failed && internalAssertion(outcome.result.log)
        ? outcome.result.log.find(isAssertion)
        : undefined;
    if (engineFault && !again && !this.closed && !control.signal?.aborted) {
      this.log.warn('the media engine failed; running the command again on a fresh worker', { reason: engineFault });
      return this.runNow(spec, control, true);
    }
    if (!outcome.ok) throw outcome.failure;
    return outcome.result;
  }

  /**
   * Reads command `id`'s output time from the worker every progressPollMs and reports each change
   * while the command is pending (a cancelled one's worker runs on until it is terminated: none of
   * that is reported). Returns what ends the polling: with `done`, after one last read, since the
   * worker's last stores precede its answer and a command shorter than a poll still reports.
   */
  private pollProgress(id: number, onTime: RunControl['onTime']): (done: boolean) => void {
    const progress = this.progress;
    if (!onTime || !progress) return () => undefined;
    let lastTimeMs = -1;
    const read = (last: boolean) => {
      if (!last && this.pending?.id !== id) return;
      // The worker writes the time before the id: an id that matches comes with this command's time.
      if (Atomics.load(progress, progressSlots.id) !== id) return;
      const timeMs = Atomics.load(progress, progressSlots.timeMs);
      if (timeMs === lastTimeMs) return;
      lastTimeMs = timeMs;
      onTime(timeMs);
    };
    const poll = setInterval(() => read(false), progressPollMs);
    // The worker keeps the process alive while a command runs; the poll must never do so on its own.
    poll.unref();
    return (done) => {
      clearInterval(poll);
      if (done) read(true);
    };
  }

  private start(): Promise<Worker> {
    if (this.ready) return this.ready;
    const started = performance.now();
    const progress = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
    this.progress = new Int32Array(progress);
    const workerData: WorkerData = { ...this.core, nice: this.nice, progress };
    const worker = new Worker(this.entry.file, { workerData, eval: this.entry.eval });
    this.worker = worker;
    this.ready = new Promise<Worker>((resolve, reject) => {
      this.rejectStart = reject;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          if (this.worker === worker) this.rejectStart = null;
          this.loadTimes.push(Math.round(performance.now() - started));
          this.log.debug('media worker ready', { ms: Math.round(performance.now() - started), coreMs: message.loadMs });
          resolve(worker);
          return;
        }
        const pending = this.pending;
        if (!pending || pending.id !== message.id) return;
        if (message.type === 'done') {
          this.pending = null;
          const { type: _type, id: _id, ...result } = message;
          pending.resolve(result);
        } else {
          this.pending = null;
          // A trap or a throw inside the engine: plain words for people, the engine's own in the log.
          this.log.error('the media engine failed', { message: message.message, fatal: message.fatal });
          pending.reject(new EngineFailure());
          if (message.fatal) void this.stop(null);
        }
      });
      worker.on('error', (error) => {
        this.log.error('media worker crashed', error);
        const failure = new EngineFailure();
        reject(failure);
        void this.stop(failure);
      });
      worker.on('exit', (code) => {
        if (this.worker !== worker) return;
        this.worker = null;
        this.ready = null;
        this.log.error('media worker exited', { code });
        const failure = new EngineFailure();
        reject(failure);
        this.pending?.reject(failure);
        this.pending = null;
      });
    });
    return this.ready;
  }

  /**
   * Terminates the worker; a running command fails with `reason` (or silently when none), and a
   * command still waiting for the worker to load fails with `reason` or an engine failure (else it
   * would wait forever: the terminated worker's exit is no longer this runner's to report).
   */
  private async stop(reason: unknown): Promise<void> {
    const worker = this.worker;
    const pending = this.pending;
    const rejectStart = this.rejectStart;
    this.worker = null;
    this.ready = null;
    this.pending = null;
    this.rejectStart = null;
    // Settle only once the thread is gone, so it cannot write an output after the caller cleaned up.
    if (worker) await worker.terminate();
    rejectStart?.(reason ?? new EngineFailure());
    if (pending && reason) pending.reject(reason);
  }
}
