/**
 * The reference for event-loop delay: an idle Node process beside the one measured, watched by the
 * same monitor (loop-monitor.mjs) over the same window. Its loop has nothing to do, so its delays
 * are the machine's own: the time a thread that asked to wake waited for the scheduler (or, on a
 * virtual machine, for the host). A measured delay is the studio's only by what it adds to that.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type LoopFigures = { maxLoopDelayMs: number; p99LoopDelayMs: number };

export type LoopReference = {
  /** Starts a new window (as SIGUSR2 does for the studio host's monitor). */
  reset(): void;
  /** The idle process's max and p99 delay (ms) since `reset`, as `referenceMaxLoopDelayMs`/`referenceP99LoopDelayMs`. */
  read(): { referenceMaxLoopDelayMs: number; referenceP99LoopDelayMs: number };
  stop(): void;
};

/** The monitor a watched process loads with `--import` (it writes to TWIN_STUDIO_BENCH_LOOP_FILE). */
export const loopMonitor = path.join(import.meta.dirname, 'loop-monitor.mjs');
const round = (value: number) => Math.round(value * 10) / 10;

/** What loop-monitor.mjs last wrote to `file`: the window's max and p99 delay, ms. */
export function readLoopFigures(file: string): LoopFigures {
  const figures = JSON.parse(readFileSync(file, 'utf8')) as { maxMs: number; p99Ms: number };
  return { maxLoopDelayMs: round(figures.maxMs), p99LoopDelayMs: round(figures.p99Ms) };
}

/** Starts the idle process and resolves once its monitor writes (within a few seconds). */
export async function startLoopReference(workDir = os.tmpdir()): Promise<LoopReference> {
  const file = path.join(workDir, `loop-reference-${process.pid}-${Date.now()}.json`);
  const child: ChildProcess = spawn(process.execPath, ['--import', loopMonitor, '-e', 'setInterval(() => {}, 1 << 30)'], {
    env: { ...process.env, NODE_OPTIONS: '', TWIN_STUDIO_BENCH_LOOP_FILE: file },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error('the loop reference process did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    reset: () => child.kill('SIGUSR2'),
    read: () => {
      const figures = readLoopFigures(file);
      return { referenceMaxLoopDelayMs: figures.maxLoopDelayMs, referenceP99LoopDelayMs: figures.p99LoopDelayMs };
    },
    stop: () => {
      child.kill();
      for (const written of [file, `${file}.partial`]) rmSync(written, { force: true });
    },
  };
}
