/**
 * The worker thread that measures a decoded scratch file (sound-measure.ts `measureScratch`) for the
 * media engine, so the main loop never walks millions of samples. Worker-thread code: one request
 * in `workerData`, one reply.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ScratchMeasureReply, type ScratchMeasureRequest, measureScratch } from './sound-measure';
import { lowerThreadPriority } from '../thread-priority';

const port = parentPort;
if (!port) throw new Error('the measuring worker must run in a worker thread');
lowerThreadPriority();
measureScratch(workerData as ScratchMeasureRequest).then(
  (measurement) => port.postMessage({ measurement } satisfies ScratchMeasureReply, [measurement.peaks.buffer]),
  (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) } satisfies ScratchMeasureReply),
);
