/**
 * The live face check's engine on the page side: one worker for the page (renderer/capture/face-worker.ts)
 * that loads the face model once from the app's own origin, and a loop per preview that hands it
 * the camera's frames as they are (VideoFrames: no copy, no scaling, no colour conversion on the
 * page's main thread; the worker scales them to `faceQuality.analysisWidth`) as fast as the machine
 * answers, capped at `faceQuality.liveTargetFps`.
 */
import type { FaceFrame } from '../../shared/faces';
import { faceQuality } from '../../shared/requirements';
import type { FaceWorkerReply, FaceWorkerRequest } from './face-worker';

type Pending = { resolve(frame: FaceFrame): void; reject(error: Error): void };

class FaceWorker {
  private readonly worker = new Worker(new URL('./face-worker.ts', import.meta.url), { type: 'module', name: 'faces' });
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Resolves to the tfjs backend in use once the models are loaded; rejects with a plain reason. */
  readonly ready: Promise<string>;

  constructor() {
    this.ready = new Promise((resolve, reject) => {
      this.worker.onmessage = (event: MessageEvent<FaceWorkerReply>) => {
        const reply = event.data;
        if (reply.type === 'ready') return resolve(reply.backend);
        const waiting = reply.id === null ? undefined : this.pending.get(reply.id);
        if (reply.type === 'error' && reply.id === null) return reject(new Error(`The face model could not be loaded (${reply.message}).`));
        if (!waiting || reply.id === null) return;
        this.pending.delete(reply.id);
        if (reply.type === 'frame') waiting.resolve(reply.frame);
        else waiting.reject(new Error(reply.message));
      };
      this.worker.onerror = (event) => reject(new Error(`The face check could not start (${event.message || 'worker error'}).`));
    });
    // The page's own base, so models load from wherever the page itself is served (app:// or the browser host).
    this.post({ type: 'init', baseUrl: new URL('./faces/', document.baseURI).href });
  }

  private post(request: FaceWorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  /** Analyses `picture` at `width` pixels across; the picture is handed over (and closed by the worker). */
  detect(picture: VideoFrame | ImageBitmap, width: number, mesh: boolean, descriptor: boolean): Promise<FaceFrame> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'frame', id, picture, width, mesh, descriptor }, [picture]);
    });
  }
}

let shared: FaceWorker | null = null;
/** The page's one face worker, started on first use and kept (the model loads once). */
export function faceWorker(): FaceWorker {
  shared ??= new FaceWorker();
  return shared;
}

export type FaceLoopEvents = {
  /** A frame analysed: its faces, with the size of the video frame they were found in. */
  onFrame(frame: FaceFrame, video: { width: number; height: number }): void;
  onError(message: string): void;
};

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = window.setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (window.clearTimeout(timer), resolve()), { once: true });
  });

/** The User Timing name of one detection, as the page saw it (frame grabbed → answer back). */
export const faceDetectionMeasure = 'face-detection';

/**
 * Tells the browser's performance timeline about a detection (`faceDetectionMeasure`: its span on
 * the page, with the worker's own time and the faces found as detail), for the developer tools and
 * the `faceCheckLive60s` benchmark, which watch it with a PerformanceObserver. The timeline's
 * buffer is cleared at once, so a long session keeps nothing.
 */
function markDetection(started: number, frame: FaceFrame): void {
  performance.measure(faceDetectionMeasure, { start: started, end: performance.now(), detail: { workerMs: frame.elapsedMs, faces: frame.faces.length } });
  performance.clearMeasures(faceDetectionMeasure);
}

/**
 * The video's current frame as it is, without copying or scaling it on the page's main thread (a
 * VideoFrame is a reference to the camera's buffer); an ImageBitmap where VideoFrame is missing.
 */
async function grab(element: HTMLVideoElement): Promise<VideoFrame | ImageBitmap> {
  return typeof VideoFrame === 'undefined' ? createImageBitmap(element) : new VideoFrame(element);
}

/**
 * Analyses `video()`'s frames until `signal` aborts: one frame in flight at a time, the next one
 * no sooner than the machine's last detection time after the one before (so a slow machine
 * gets fewer detections, never a queue; the work is in the worker, on another core), within `faceQuality.minIntervalMs`–`maxIntervalMs`.
 * When the page itself has had a long task (> 50 ms) within `faceQuality.yieldAfterLongTaskMs`,
 * the machine is short of time: the worker then rests at least as long as it worked, so recording,
 * meters and waveform get the processor first.
 * Detection runs on every frame; the face mesh (turn, eyes) every `faceQuality.meshIntervalMs` and a
 * face descriptor at most every `faceQuality.descriptorIntervalMs` when `descriptors()` says so, as
 * each costs several detections.
 */
export async function runFaceLoop(
  video: () => HTMLVideoElement | null,
  descriptors: () => boolean,
  events: FaceLoopEvents,
  signal: AbortSignal,
): Promise<void> {
  const worker = faceWorker();
  try {
    await worker.ready;
  } catch (failure) {
    if (!signal.aborted) events.onError(failure instanceof Error ? failure.message : String(failure));
    return;
  }
  let lastDescriptor = -Infinity;
  let lastMesh = -Infinity;
  let lastHadOneFace = false;
  let lastLongTask = -Infinity;
  const longTasks =
    typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes.includes('longtask')
      ? new PerformanceObserver((list) => (lastLongTask = Math.max(lastLongTask, ...list.getEntries().map((entry) => entry.startTime + entry.duration))))
      : null;
  longTasks?.observe({ type: 'longtask' });
  signal.addEventListener('abort', () => longTasks?.disconnect(), { once: true });
  while (!signal.aborted) {
    const element = video();
    if (!element || element.readyState < 2 || element.videoWidth === 0) {
      await sleep(faceQuality.minIntervalMs, signal);
      continue;
    }
    const started = performance.now();
    const size = { width: element.videoWidth, height: element.videoHeight };
    let elapsed: number = faceQuality.minIntervalMs;
    try {
      const picture = await grab(element);
      const wantDescriptor = lastHadOneFace && descriptors() && started - lastDescriptor >= faceQuality.descriptorIntervalMs;
      if (wantDescriptor) lastDescriptor = started;
      const wantMesh = started - lastMesh >= faceQuality.meshIntervalMs;
      if (wantMesh) lastMesh = started;
      const frame = await worker.detect(picture, faceQuality.analysisWidth, wantMesh, wantDescriptor);
      markDetection(started, frame);
      lastHadOneFace = frame.faces.length === 1;
      elapsed = frame.elapsedMs;
      if (!signal.aborted) events.onFrame(frame, size);
    } catch (failure) {
      // A frame that could not be grabbed (the camera switching) is skipped; the next one is tried.
      if (signal.aborted) return;
      if (!(failure instanceof DOMException)) events.onError(failure instanceof Error ? failure.message : String(failure));
    }
    const strained = performance.now() - lastLongTask < faceQuality.yieldAfterLongTaskMs;
    const interval = Math.min(faceQuality.maxIntervalMs, Math.max(1000 / faceQuality.liveTargetFps, faceQuality.minIntervalMs, elapsed * (strained ? 2 : 1)));
    await sleep(interval - (performance.now() - started), signal);
  }
}
