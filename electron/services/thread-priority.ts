/**
 * Every worker thread the main process starts (the media engine and its pthreads, the sound
 * measures, the live voice measure, the face model) runs below the main thread for the CPU, so that
 * IPC and the window stay ahead of the work on a machine whose cores the work fills.
 */
import { setPriority } from 'node:os';

/**
 * Linux nice value of the main process's worker threads. Measured under a load average of 8 on 2
 * cores: p99 event-loop delay of the main thread 19–21 ms at nice 5, 37–60 ms at nice 0.
 */
export const defaultWorkerNice = 5;

/**
 * Linux nice value of the worker re-encoding a picture (and its pthreads): such a job fills both
 * cores for minutes, so a check, probe or preview started meanwhile goes first, and the main thread
 * with it. Measured on the phone clip's benchmark (`videoImportPhone60s`, 2 cores): the check
 * running beside it took 4.6 s at nice 10 against 9.5 s at nice 5, the main loop's longest delay
 * 28.2 ms against 38.1 ms, and the re-encode itself 40.3 s against 42.4 s.
 */
export const encodeWorkerNice = 10;

/**
 * Lowers the calling thread's priority to `nice` (a Linux nice value, 0 leaves it as it is). Called
 * first thing in a worker thread. On Linux each thread has its own nice value; elsewhere setpriority
 * would lower the whole process, main thread included, so nothing is done there. Where lowering is
 * not permitted, the thread runs at normal priority: never an error.
 */
export function lowerThreadPriority(nice: number = defaultWorkerNice): void {
  if (process.platform !== 'linux' || nice <= 0) return;
  try {
    setPriority(nice);
  } catch {
    // Not permitted (a sandbox without setpriority): normal priority.
  }
}
