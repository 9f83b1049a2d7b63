// Loaded into a studio host the benchmark starts (NODE_OPTIONS=--import): watches that process's
// main event loop with a 10 ms histogram, as measure.ts does in-process, and writes its max and p99
// (ms) as JSON to TWIN_STUDIO_BENCH_LOOP_FILE every half second. SIGUSR2 starts a new window.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const out = process.env.TWIN_STUDIO_BENCH_LOOP_FILE;
if (out && isMainThread) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const write = () => {
    const figures = { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, count: histogram.count };
    writeFileSync(out, JSON.stringify(figures));
  };
  setInterval(write, 500).unref();
  process.on('SIGUSR2', () => {
    histogram.reset();
    write();
  });
}
