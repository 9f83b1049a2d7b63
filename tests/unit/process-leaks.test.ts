/** The suites' leak check: a process started under the run's marker is found even once orphaned, and named. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertNoProcessLeft, processesWithMarker, runMarkerVariable } from '../support/process-leaks';

describe('process leak check', () => {
  it('finds a detached child carrying the marker, and kills and names it', async () => {
    const marker = `leak-test-${process.pid}`;
    const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore', env: { ...process.env, [runMarkerVariable]: marker } });
    child.unref();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWithMarker(marker).map((item) => item.pid)).toEqual([child.pid]);
    await expect(assertNoProcessLeft(marker, 'This run', 300)).rejects.toThrow(/left 1 process\(es\)[\s\S]*sleep 60/);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(processesWithMarker(marker)).toEqual([]);
  });

  it('passes when every marked process has ended', async () => {
    const marker = `clean-test-${process.pid}`;
    const child = spawn('true', [], { env: { ...process.env, [runMarkerVariable]: marker } });
    await new Promise((resolve) => child.once('exit', resolve));
    await expect(assertNoProcessLeft(marker, 'This run', 300)).resolves.toBeUndefined();
  });
});
