/**
 * Runs the one sound analysis (`analyseAudio`, shared/audio-analysis.ts) on a worker thread for the
 * main process. Samples in shared memory (see SharedPcm) cross without a copy; others are copied.
 */
import { Worker } from 'node:worker_threads';
import type { AudioAnalysis } from '../../../shared/audio-analysis';
import { StudioError } from '../../../shared/errors';
import type { Logger } from '../log';
import { type WorkerEntry, workerEntry } from '../worker-entry';

export type AnalysisRequest = { id: number; samples: Float32Array; sampleRate: number };
export type AnalysisReply = { id: number; analysis: AudioAnalysis } | { id: number; error: string };

/** Analyses mono float PCM off the main thread: `analyse(samples, sampleRate)` → the same `AudioAnalysis` as `analyseAudio`. */
export class AudioAnalyser {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (analysis: AudioAnalysis) => void; reject: (error: unknown) => void }>();
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly entry: WorkerEntry;

  constructor(
    private readonly log: Logger,
    /** The idle thread is stopped after this long: longer than the longest take (300 s), as it starts with one. */
    private readonly idleMs = 10 * 60_000,
  ) {
    this.entry = workerEntry('analysis-worker.cjs', 'takes/analysis-worker.ts');
  }

  analyse(samples: Float32Array, sampleRate: number): Promise<AudioAnalysis> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<AudioAnalysis>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, samples, sampleRate } satisfies AnalysisRequest);
    });
  }

  /** Starts the thread ahead of the first analysis (a take being recorded will want one at Stop). */
  warm(): void {
    if (this.pending.size === 0 && !this.worker) {
      this.start();
      this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
      this.idleTimer.unref();
    }
  }

  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = null;
    this.failAll(new StudioError('CANCELLED', 'The studio is closing.'));
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.entry.file, { eval: this.entry.eval });
    this.worker = worker;
    worker.on('message', (reply: AnalysisReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if ('analysis' in reply) pending.resolve(reply.analysis);
      else pending.reject(new StudioError('INTERNAL', `The sound could not be analysed: ${reply.error}`));
      if (this.pending.size === 0 && this.worker === worker) {
        this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
        this.idleTimer.unref();
      }
    });
    worker.on('error', (error) => {
      this.log.error('analysis worker crashed', error);
      if (this.worker === worker) this.worker = null;
      this.failAll(new StudioError('INTERNAL', `The sound could not be analysed: ${error.message}`));
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new StudioError('INTERNAL', 'The sound analysis stopped unexpectedly.'));
    });
    return worker;
  }

  private failAll(error: unknown): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const item of pending) item.reject(error);
  }
}
