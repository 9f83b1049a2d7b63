/**
 * Lets the multi-threaded ffmpeg.wasm core (`@ffmpeg/core-mt`, built for browsers only) start its
 * pthreads in Node: a Web Worker look-alike over `worker_threads`, installed as `globalThis.Worker`
 * in the media worker thread before the core is imported. Worker-thread code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker as NodeWorker } from 'node:worker_threads';

export type PthreadOptions = {
  /** How many cores ffmpeg may use (`navigator.hardwareConcurrency` to the core): x264 and the decoders size their thread pools by it. */
  cores: number;
  /** Linux nice value of every pthread, as for the media worker itself (thread-priority.ts); the pthread script is eval'd CommonJS, so it repeats lowerThreadPriority's one call. */
  nice?: number;
};

/**
 * What runs in each pthread: the browser globals Emscripten's pthread script expects (`self`,
 * `postMessage`, `onmessage` events), then that script itself with its import of the core pointed at
 * the core's file (the script imports it relative to its own URL, which an eval'd thread lacks).
 */
function pthreadSource(workerFile: string, coreUrl: string): string {
  const script = readFileSync(workerFile, 'utf8');
  const patched = script.replace('import("./ffmpeg-core.js")', `import(${JSON.stringify(coreUrl)})`);
  if (patched === script) throw new Error('the ffmpeg.wasm pthread script has changed shape: its import of the core was not found');
  return `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
if (process.platform === 'linux' && workerData.nice) { try { require('node:os').setPriority(workerData.nice); } catch {} }
globalThis.self = globalThis;
globalThis.location = { href: workerData.coreUrl };
Object.defineProperty(globalThis, 'navigator', { value: { hardwareConcurrency: workerData.cores }, configurable: true });
globalThis.postMessage = (data, transfer) => parentPort.postMessage(data, transfer);
parentPort.on('message', (data) => { if (typeof self.onmessage === 'function') self.onmessage({ data }); });
${patched}`;
}

/**
 * How many pthreads a picture re-encode starts when ffmpeg is told `cores`: counted here (the
 * worker's threads at nice 10 during a re-encode to H.264) as 14, 17, 20 and 32 at 2, 3, 4 and 8
 * cores, the same for HEVC, VP8 and H.264 in.
 */
export const threadsPerEncode = (cores: number) => 3 * cores + 8;

/**
 * Installs the Web Worker look-alike and `navigator.hardwareConcurrency`. Emscripten makes a pool of
 * 32 pthread workers when the core loads and waits for each to say `loaded`. The
 * `threadsPerEncode(cores)` it hands out first are started then, one after another; the rest only
 * when the core first gives one a pthread to run. The threads are children of the media worker
 * thread: when that is terminated (a cancel, a time limit) Node ends them with it.
 *
 * Why ahead, and one at a time: a new thread, while Node starts it, tells the main thread's
 * inspector it exists, under a lock the main thread also takes, and wakes the main thread while
 * holding it. A thread at nice 10 preempted there keeps the main thread blocked until it runs again:
 * started in a burst beside a running encode, two such waits held the studio's main loop 17 and
 * 25 ms (`perf`, `videoPrepare120sWebm`). Started before the command, one at a time, each runs at once.
 *
 * Returns what starts those threads once the core has loaded: it resolves when each is up, has
 * failed (Emscripten's own error handler then fails the worker's load) or has ended.
 */
export function installPthreadWorkers(options: PthreadOptions): () => Promise<void> {
  const sources = new Map<string, string>();
  const nice = options.nice ?? 0;
  const cores = Math.max(1, options.cores);
  const pool: PthreadWorker[] = [];

  class PthreadWorker {
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onerror: ((error: unknown) => void) | null = null;
    private thread: NodeWorker | null = null;
    private loadMessage: unknown = null;
    private terminated = false;
    private readonly source: string;
    private readonly coreUrl: string;

    constructor(url: string | URL) {
      const workerFile = fileURLToPath(url);
      this.coreUrl = new URL('ffmpeg-core.js', url instanceof URL ? url : new URL(url)).href;
      let source = sources.get(workerFile);
      if (!source) {
        source = pthreadSource(workerFile, this.coreUrl);
        sources.set(workerFile, source);
      }
      this.source = source;
    }

    postMessage(data: { cmd?: string }, transfer?: readonly unknown[]): void {
      if (this.terminated) return;
      if (!this.thread && data.cmd === 'load') {
        // Answered at once; the real thread gets this message first when it is started.
        this.loadMessage = data;
        setImmediate(() => this.onmessage?.({ data: { cmd: 'loaded' } }));
        pool.push(this);
        return;
      }
      const thread = this.thread ?? this.startThread();
      thread.postMessage(data, transfer as never);
    }

    terminate(): void {
      this.terminated = true;
      void this.thread?.terminate();
      this.thread = null;
    }

    // Emscripten's pthread code in Node builds calls these; the browser build does not, but a thread
    // must never keep the media worker alive on its own.
    unref(): void {
      this.thread?.unref();
    }

    ref(): void {
      this.thread?.ref();
    }

    /** Starts the real thread now, and resolves once it is up or has failed. */
    startAhead(): Promise<void> {
      if (this.terminated || this.thread) return Promise.resolve();
      return new Promise((resolve) => this.startThread(resolve));
    }

    private startThread(up: () => void = () => undefined): NodeWorker {
      const thread = new NodeWorker(this.source, { eval: true, workerData: { coreUrl: this.coreUrl, cores, nice } });
      this.thread = thread;
      thread.on('message', (data: { cmd?: string }) => {
        // The real thread's own `loaded` arrives after the look-alike already answered for it.
        if (data?.cmd === 'loaded') return up();
        this.onmessage?.({ data });
      });
      // Up, failed, or ended before it said so (terminated with its worker): the next may start.
      thread.once('error', up);
      thread.once('exit', up);
      thread.on('error', (error) => this.onerror?.(error));
      if (this.loadMessage) thread.postMessage(this.loadMessage);
      this.loadMessage = null;
      return thread;
    }
  }

  const scope = globalThis as unknown as { Worker?: unknown; navigator?: unknown };
  scope.Worker = PthreadWorker;
  Object.defineProperty(globalThis, 'navigator', { value: { hardwareConcurrency: cores }, configurable: true });
  return async () => {
    // Emscripten hands out the pool's workers from its end (a pool smaller than the count is started whole).
    for (const worker of pool.slice(-threadsPerEncode(cores)).reverse()) await worker.startAhead();
  };
}
