/** Measuring a job as the main process experiences it: wall time, peak memory, event-loop delay. */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startLoopReference } from './loop-reference';

export type Measured<T> = {
  result: T;
  ms: number;
  peakRssMb: number;
  maxLoopDelayMs: number;
  p99LoopDelayMs: number;
  /** The same figures of an idle Node process over the same time (loop-reference.ts): the machine's own delay. */
  referenceMaxLoopDelayMs: number;
  referenceP99LoopDelayMs: number;
  /** The machine's 1-minute load average at the end: a long delay on a busy machine is its scheduler's. */
  loadAverage: number;
};

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Runs `work` while a 10 ms-resolution histogram watches the event loop (its max is the longest
 * the loop was blocked beyond that), an idle process's loop is watched the same way for reference,
 * and resident memory is sampled every 25 ms. Worker threads
 * live in this process, so their memory is in the RSS too.
 */
export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const reference = await startLoopReference();
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 25);
  histogram.enable();
  reference.reset();
  const started = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - started;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    // The reference's monitor writes every 500 ms: let it catch the end of the job.
    await new Promise((resolve) => setTimeout(resolve, 600));
    return {
      result,
      ms: Math.round(ms),
      peakRssMb: round(peakRss / 2 ** 20),
      maxLoopDelayMs: round(histogram.max / 1e6),
      p99LoopDelayMs: round(histogram.percentile(99) / 1e6),
      ...reference.read(),
      loadAverage: round(loadavg()[0] ?? 0, 2),
    };
  } finally {
    histogram.disable();
    clearInterval(sampler);
    reference.stop();
  }
}

export function ratio(wasmMs: number, nativeMs: number | null): number | null {
  return nativeMs === null || nativeMs === 0 ? null : round(wasmMs / nativeMs, 2);
}

export { round };
