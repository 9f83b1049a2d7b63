/**
 * Finds processes a test run left behind. The run's global setup puts a marker in its own
 * environment; every process started from it (browser hosts, Chromium, radosgw and the Ceph
 * daemons, dbus-daemon, gnome-keyring) inherits it, even after its parent dies and it is adopted by
 * init, so the global teardown finds stragglers by reading /proc/PID/environ.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';

export const runMarkerVariable = 'TWIN_STUDIO_TEST_RUN';

export type LeftProcess = { pid: number; command: string };

/** Gives this process (and so everything it starts from now on) a marker of its own; returns it. */
export function markTestRun(): string {
  const marker = process.env[runMarkerVariable] ?? randomBytes(8).toString('hex');
  process.env[runMarkerVariable] = marker;
  return marker;
}

/** Live processes other than this one whose environment carries `marker`. Linux only (/proc). */
export function processesWithMarker(marker: string): LeftProcess[] {
  const needle = `${runMarkerVariable}=${marker}`;
  const found: LeftProcess[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // A zombie has ended; only its parent has yet to collect it.
      if (/^\d+ \(.*\) Z /.test(stat)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      // The test runner's own workers (Vitest's `node (vitest N)` forks): it ends them itself after the teardown.
      const parent = Number(/^\d+ \(.*\) \S (\d+) /.exec(stat)?.[1]);
      if (parent === process.pid && /^node \(vitest \d+\)$/.test(command)) continue;
      found.push({ pid, command });
    } catch {
      // Gone while we looked, or not ours to read.
    }
  }
  return found;
}

/**
 * Waits up to `graceMs` for the run's processes to end on their own (a child may still be
 * unwinding its own shutdown), then kills what is left and throws, naming each one: a leak is a
 * failure of the run, never something to clean up silently.
 */
export async function assertNoProcessLeft(marker: string, what: string, graceMs = 8_000): Promise<void> {
  const deadline = Date.now() + graceMs;
  let left = processesWithMarker(marker);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = processesWithMarker(marker);
  }
  if (left.length === 0) return;
  for (const item of left) {
    try {
      process.kill(item.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  const list = left.map((item) => `  ${item.pid} ${item.command.slice(0, 200)}`).join('\n');
  throw new Error(`${what} left ${left.length} process(es) running after it ended (now killed):\n${list}`);
}
