// Loaded into a studio host the benchmark starts (NODE_OPTIONS=--import): watches that process's
// main event loop with a 10 ms histogram, as measure.ts does in-process, and writes its max and p99
// (ms) as JSON to TWIN_STUDIO_BENCH_LOOP_FILE every half second. SIGUSR2 starts a new window.
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

const out = process.env.TWIN_STUDIO_BENCH_LOOP_FILE;
if (out && isMainThread) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const write = () => {
    const figures = { maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6, count: histogram.count };
    // Written whole, then renamed: a reader between a truncate and its write read an empty file once.
    writeFileSync(`${out}.partial`, JSON.stringify(figures));
    renameSync(`${out}.partial`, out);
  };
  setInterval(write, 500).unref();
  process.on('SIGUSR2', () => {
    histogram.reset();
    write();
  });
}
