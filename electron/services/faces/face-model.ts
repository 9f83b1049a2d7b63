/**
 * The face model in the main process: `@vladmandic/human` on TensorFlow.js's WebAssembly in a
 * worker thread (face-worker.ts), started on first use and stopped when idle, so the main loop stays
 * quiet while it looks at a photo or a video's frames. Models and wasm come from the packages' own
 * files (unpacked beside Electron's asar in the built app); nothing is downloaded.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StudioError } from '../../../shared/errors';
import type { Logger } from '../log';
import { defaultWorkerNice } from '../thread-priority';
import { type WorkerEntry, currentFile, unpacked, workerEntry } from '../worker-entry';
import type { FaceDetection, FaceReply, FaceRequest, FaceWorkerData } from './face-protocol';

/** A picture as raw pixels: `width`×`height`, row by row, 3 (RGB) or 4 (RGBA) bytes a pixel, 8-bit sRGB. */
export type RawPicture = { width: number; height: number; channels: 3 | 4; data: Uint8Array };

/** What to compute beside the faces' boxes: the mesh (turn, eyes) and the single face's descriptor. */
export type DetectOptions = { mesh: boolean; descriptor: boolean };

export interface FaceDetector {
  /** The faces in a picture. Errors: StudioError('NOT_AVAILABLE') when the model cannot load, ('MEDIA') when the detection fails. */
  detect(picture: RawPicture, options: DetectOptions): Promise<FaceDetection>;
  /**
   * Starts loading the model now, ahead of a first picture (a few seconds on a quiet machine), and
   * does not wait for it. Idle afterwards, it is stopped as after a detection. A failure to load is
   * logged here and reported again by the next `detect`.
   */
  warm(): void;
  close(): Promise<void>;
}

/** Human's model files and TensorFlow.js's wasm, located through Node's own resolution. */
export function locateFaceModel(): Pick<FaceWorkerData, 'modelDir' | 'wasmDir'> {
  const require = createRequire(currentFile());
  // `require.resolve('@vladmandic/human')` names its dist/human.node.js; the models sit beside dist/.
  const humanDist = path.dirname(require.resolve('@vladmandic/human'));
  const wasmDist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  return { modelDir: unpacked(path.join(humanDist, '..', 'models')), wasmDir: unpacked(wasmDist) };
}

export function defaultFaceWorkerEntry(): WorkerEntry {
  return workerEntry('face-worker.cjs', () => path.join(path.dirname(fileURLToPath(import.meta.url)), 'face-worker.ts'));
}

type Pending = { resolve: (detection: FaceDetection) => void; reject: (error: unknown) => void };

export class FaceModel implements FaceDetector {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly idleMs: number;
  private readonly entry: WorkerEntry;
  private readonly files: Pick<FaceWorkerData, 'modelDir' | 'wasmDir'>;
  /** Start-up times of the worker (ms: the models read and compiled), for the log and the tests. */
  readonly loadTimes: number[] = [];

  constructor(
    private readonly log: Logger,
    options: {
      /** An idle worker is stopped after this long: it holds the models and the wasm heap (~150 MB). */
      idleMs?: number;
      entry?: WorkerEntry;
      files?: Pick<FaceWorkerData, 'modelDir' | 'wasmDir'>;
    } = {},
  ) {
    this.idleMs = options.idleMs ?? 60_000;
    this.entry = options.entry ?? defaultFaceWorkerEntry();
    this.files = options.files ?? locateFaceModel();
  }

  async detect(picture: RawPicture, options: DetectOptions): Promise<FaceDetection> {
    if (this.closed) throw new StudioError('NOT_AVAILABLE', 'The face check is closed.');
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = await this.start();
    const id = this.nextId++;
    const request: FaceRequest = { type: 'detect', id, ...picture, ...options };
    try {
      return await new Promise<FaceDetection>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        worker.postMessage(request);
      });
    } finally {
      this.idleLater();
    }
  }

  warm(): void {
    if (this.closed || this.ready) return;
    this.start().then(
      () => this.idleLater(),
      (error: unknown) => this.log.warn('the face model could not start ahead of use', { message: error instanceof Error ? error.message : String(error) }),
    );
  }

  private idleLater(): void {
    if (this.pending.size > 0 || !this.worker || this.closed || this.idleTimer) return;
    this.idleTimer = setTimeout(() => void this.stop(null), this.idleMs);
    this.idleTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.stop(new StudioError('CANCELLED', 'The face check was closed.'));
  }

  private start(): Promise<Worker> {
    if (this.ready) return this.ready;
    const started = performance.now();
    const workerData: FaceWorkerData = { ...this.files, nice: defaultWorkerNice };
    const worker = new Worker(this.entry.file, { workerData, eval: this.entry.eval });
    this.worker = worker;
    const ready = new Promise<Worker>((resolve, reject) => {
      worker.on('message', (message: FaceReply) => {
        if (message.type === 'ready') {
          this.loadTimes.push(Math.round(performance.now() - started));
          this.log.debug('face worker ready', { ms: Math.round(performance.now() - started), modelMs: message.loadMs, backend: message.backend });
          resolve(worker);
          return;
        }
        if (message.type === 'failed' && message.id === null) {
          const failure = new StudioError('NOT_AVAILABLE', `The face model could not load: ${message.message}`);
          reject(failure);
          void this.stop(failure);
          return;
        }
        const pending = message.id === null ? undefined : this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id!);
        if (message.type === 'done') {
          const { type: _type, id: _id, ...detection } = message;
          pending.resolve(detection);
        } else pending.reject(new StudioError('MEDIA', `The face check failed: ${message.message}`));
      });
      worker.on('error', (error) => {
        this.log.error('face worker crashed', error);
        const failure = new StudioError('NOT_AVAILABLE', `The face check stopped: ${error.message}`);
        reject(failure);
        void this.stop(failure);
      });
      worker.on('exit', (code) => {
        if (this.worker !== worker) return;
        const failure = new StudioError('NOT_AVAILABLE', `The face check stopped unexpectedly (code ${code}).`);
        reject(failure);
        void this.stop(failure);
      });
    });
    // A model that failed to load is tried again on the next call, in a fresh worker.
    this.ready = ready;
    return ready;
  }

  /** Terminates the worker; calls in flight fail with `reason` (or silently when none). */
  private async stop(reason: unknown): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    const pending = [...this.pending.values()];
    this.worker = null;
    this.ready = null;
    this.pending.clear();
    if (worker) await worker.terminate();
    for (const call of pending) call.reject(reason ?? new StudioError('CANCELLED', 'The face check was stopped.'));
  }
}
