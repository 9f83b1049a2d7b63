/**
 * Following a twin's status: polls with growing pauses while nothing changes, soon again after a
 * change, stops at a final status or when the twin is gone, and waits as long as a 429 asks.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../electron/services/log';
import { NapsterError } from '../../electron/services/napster/errors';
import { type TwinUpdate, TwinWatcher } from '../../electron/services/submission/twin-watcher';

const log = createLogger('test', () => undefined);

describe('twin watcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function watcherWith(answers: (() => { status: string } | Error)[]) {
    const calls: number[] = [];
    const client = {
      getCompanion: vi.fn(async (id: string) => {
        calls.push(Date.now());
        const next = answers.shift() ?? (() => ({ status: 'pending' }));
        const answer = next();
        if (answer instanceof Error) throw answer;
        return { id, firstName: 'Ada', lastName: 'Lovelace', ...answer };
      }),
    };
    const watcher = new TwinWatcher({ client, log, policy: { initialMs: 1000, factor: 2, maxMs: 8000 } });
    const updates: TwinUpdate[] = [];
    watcher.subscribe((update) => updates.push(update));
    return { watcher, client, calls, updates };
  }

  it('backs off while pending, looks again soon after a change, and stops when ready', async () => {
    const pending = () => ({ status: 'pending' });
    const { watcher, calls, updates } = watcherWith([
      pending,
      pending,
      pending,
      pending,
      () => ({ status: 'generationCompleted' }),
      () => ({ status: 'readyToUse' }),
    ]);
    const start = Date.now();
    watcher.watch('comp_1');
    await vi.advanceTimersByTimeAsync(60_000);
    const gaps = calls.map((at, index) => at - (calls[index - 1] ?? start));
    // First look at once; then 1 s (a change: the first sighting), 2 s, 4 s, 8 s; after the change 1 s again.
    expect(gaps).toEqual([0, 1000, 2000, 4000, 8000, 1000]);
    expect(updates.filter((update) => update.changed).map((update) => update.status)).toEqual(['pending', 'generationCompleted', 'readyToUse']);
    expect(updates.at(-1)).toMatchObject({ ready: true, final: true });
    expect(watcher.watching()).toEqual([]);
  });

  it('reports a failed twin and a deleted one as final', async () => {
    const { watcher, updates } = watcherWith([() => ({ status: 'failed' }), () => new NapsterError('not-found', 'gone')]);
    watcher.watch('comp_failed');
    await vi.advanceTimersByTimeAsync(10);
    watcher.watch('comp_gone');
    await vi.advanceTimersByTimeAsync(10);
    expect(updates.map((update) => [update.id, update.failed, update.gone, update.final])).toEqual([
      ['comp_failed', true, false, true],
      ['comp_gone', true, true, true],
    ]);
    expect(watcher.watching()).toEqual([]);
  });

  it('keeps looking through network trouble and waits out a rate limit', async () => {
    const limited = new NapsterError('rate-limited', 'slow down', { retryAfterSeconds: 30 });
    const { watcher, calls, updates } = watcherWith([() => new NapsterError('network', 'offline'), () => limited, () => ({ status: 'readyToUse' })]);
    const start = Date.now();
    watcher.watch('comp_2');
    await vi.advanceTimersByTimeAsync(120_000);
    const gaps = calls.map((at, index) => at - (calls[index - 1] ?? start));
    expect(gaps[0]).toBe(0);
    expect(gaps[2]).toBeGreaterThanOrEqual(30_000);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ ready: true });
  });

  it('stops everything on close', async () => {
    const { watcher, client } = watcherWith([]);
    watcher.watch('comp_3');
    await vi.advanceTimersByTimeAsync(10);
    watcher.close();
    const before = client.getCompanion.mock.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.getCompanion.mock.calls.length).toBe(before);
  });
});
