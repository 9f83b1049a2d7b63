/** The one way a host ends: close bounded by a deadline, and Electron's quit held until the studio has closed. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/services/log';
import { closeWithin, createQuitGate } from '../../electron/studio/shutdown';

const log = createLogger('test', () => undefined);

describe('closeWithin', () => {
  it('reports a close that finishes in time', async () => {
    expect(await closeWithin(async () => undefined, log, 1_000)).toBe('closed');
  });

  it('gives up at the deadline on a close that never finishes', async () => {
    const started = performance.now();
    expect(await closeWithin(() => new Promise<void>(() => undefined), log, 200)).toBe('timed-out');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('reports a close that throws, without throwing itself', async () => {
    expect(await closeWithin(async () => Promise.reject(new Error('disk gone')), log, 1_000)).toBe('failed');
  });
});

describe('createQuitGate', () => {
  it('holds every quit, closes the studio once, then exits with 0', async () => {
    let closes = 0;
    let holds = 0;
    const exits: number[] = [];
    let finish!: () => void;
    const gate = createQuitGate({
      close: () => {
        closes++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      log,
      exit: (code) => exits.push(code),
    });
    gate(() => holds++);
    gate(() => holds++);
    expect(holds).toBe(2);
    expect(closes).toBe(1);
    expect(exits).toEqual([]);
    finish();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(exits).toEqual([0]);
  });

  it('exits with 1 when the studio does not close by the deadline', async () => {
    const exits: number[] = [];
    const gate = createQuitGate({ close: () => new Promise<void>(() => undefined), log, exit: (code) => exits.push(code), deadlineMs: 100 });
    gate(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(exits).toEqual([1]);
  });
});
