/**
 * Every worker thread the main process starts runs below the main thread for the CPU
 * (thread-priority.ts): the media engine's workers (a picture re-encode lowest), the sound measure,
 * the live voice measure. Read
 * from the kernel (/proc/self/task/<tid>/stat), as the scheduler sees them, while each one runs.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/services/log';
import { createMediaEngine, studioRunners } from '../../electron/services/media/engine';
import { WasmRunner } from '../../electron/services/media/runner';
import { LiveVoice } from '../../electron/services/takes/live-voice';
import { defaultWorkerNice, encodeWorkerNice } from '../../electron/services/thread-priority';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const quiet = createLogger('thread-priority-test', () => undefined);
const missing = process.platform === 'linux' ? missingPrerequisite(['espeak-ng', 'sox'], 'The thread priority tests') : 'Linux only';

/** The nice value of each thread of this process, by thread id. */
function threadNice(): Map<number, number> {
  const values = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      // The command name in parentheses may hold spaces: fields are counted after its closing one.
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      values.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended while the list was read.
    }
  }
  return values;
}

const lowered = (nice = defaultWorkerNice) => [...threadNice().values()].filter((value) => value === nice).length;

/** Polls every millisecond while `work` runs; resolves with the most lowered threads seen at once. */
async function mostLoweredWhile(work: Promise<unknown>, nice = defaultWorkerNice): Promise<number> {
  let most = 0;
  let done = false;
  const finished = work.finally(() => (done = true));
  while (!done) {
    most = Math.max(most, lowered(nice));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await finished;
  return most;
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the threads');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(missing !== null)('worker threads run below the main thread', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it('leaves the main thread at normal priority, with no thread lowered before a worker starts', () => {
    expect(threadNice().get(process.pid)).toBe(0);
    expect(lowered()).toBe(0);
  });

  it('lowers the live voice measure while it runs, and it ends with the take', async () => {
    const live = new LiveVoice(quiet);
    await until(() => lowered() === 1);
    live.stop();
    await until(() => lowered() === 0);
    expect(threadNice().get(process.pid)).toBe(0);
  });

  it('lowers the media engine’s worker, and the sound measure even beside a worker left at normal priority', async () => {
    // The media workers here run at nice 0, so a lowered thread during the analysis is the sound measure's.
    const runners = { quick: new WasmRunner(quiet, { nice: 0 }), prepare: new WasmRunner(quiet, { nice: 0 }) };
    const engine = createMediaEngine({ log: quiet, runners });
    closers.push(() => engine.close());
    await engine.warm();
    expect(lowered()).toBe(0);
    expect(await mostLoweredWhile(engine.analyseVoice(speechWav(120)))).toBe(1);

    const media = new WasmRunner(quiet);
    closers.push(() => media.close());
    await media.run({ program: 'ffmpeg', args: ['-version'], inputs: [] });
    expect(lowered()).toBe(1);
    await media.close();
    await until(() => lowered() === 0);
  });

  it('runs a picture re-encode, its worker and every pthread, below the other media workers', async () => {
    const runners = studioRunners(quiet);
    closers.push(() => Promise.all([runners.quick.close(), runners.prepare.close(), runners.encode.close()]).then(() => undefined));
    expect(runners.encode).not.toBe(runners.prepare);
    expect(encodeWorkerNice).toBeGreaterThan(defaultWorkerNice);
    const encoding = runners.encode.run({
      program: 'ffmpeg',
      args: ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-t', '4', '-c:v', 'libx264', '-preset', 'superfast', '-f', 'null', '-'],
      inputs: [],
    });
    // The worker and x264's threads: more than one thread at the encode's value.
    expect(await mostLoweredWhile(encoding, encodeWorkerNice)).toBeGreaterThan(1);
    expect((await encoding).exitCode).toBe(0);
    await runners.quick.run({ program: 'ffmpeg', args: ['-version'], inputs: [] });
    expect(lowered(defaultWorkerNice)).toBeGreaterThanOrEqual(1);
  });
});
