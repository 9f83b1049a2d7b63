/**
 * Voice capture as a person experiences it, in Debian's Chromium against the browser host with the
 * fake microphone playing speech: how long from pressing Stop on a 300 s take until its review
 * waveform is on screen, and how many long tasks (> 50 ms) the page has while recording 60 s with
 * the live waveform and meters running. Both record in real time (5 and 1 minutes).
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { type StudioBrowser, chromiumPath, launchChromium } from '../../tests/support/chromium';
import { speechWav } from '../../tests/support/media-fixtures';
import { hasCommand } from '../../tests/support/prerequisites';
import { type RunningHost, startStudioHost } from '../../tests/support/studio-host';
import { type LoopReference, loopMonitor, readLoopFigures, startLoopReference } from './loop-reference';
import { round } from './measure';
import type { BenchContext, Benchmark, Figures } from './types';

type Session = { host: RunningHost; browser: StudioBrowser; page: Page; loop: HostLoop; reference: LoopReference; logFile: string };

/**
 * The studio host's main event loop, watched from inside that process by loop-monitor.mjs: `start()`
 * opens a window, `read()` gives its max and p99 delay (ms), as measure.ts gives them in-process,
 * beside an idle process's over the same window (loop-reference.ts).
 */
type HostLoop = {
  start(): void;
  read(): { maxLoopDelayMs: number; p99LoopDelayMs: number; referenceMaxLoopDelayMs: number; referenceP99LoopDelayMs: number };
};

function hostLoopWatch(context: BenchContext, name: string): { env: NodeJS.ProcessEnv; attach: (host: RunningHost, reference: LoopReference) => HostLoop } {
  const file = path.join(context.workDir, `${name}-loop.json`);
  const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${loopMonitor}`.trim(), TWIN_STUDIO_BENCH_LOOP_FILE: file };
  return {
    env,
    attach: (host, reference) => ({
      start: () => {
        host.process.kill('SIGUSR2');
        reference.reset();
      },
      read: () => ({ ...readLoopFigures(file), ...reference.read() }),
    }),
  };
}

async function openRecorder(context: BenchContext, speech: string, name: string): Promise<Session> {
  if (!hasCommand(chromiumPath)) throw new Error(`voice benchmarks need ${chromiumPath} (apt chromium)`);
  const watch = hostLoopWatch(context, name);
  const host = await startStudioHost({ env: watch.env });
  const browser = await launchChromium({ audio: speech });
  try {
    const page = await browser.context.newPage();
    await page.goto(host.url);
    await page.getByRole('button', { name: 'New draft' }).click();
    await page.getByRole('link', { name: /^Voice:/ }).click();
    await page.getByRole('button', { name: 'Turn on microphone' }).click();
    await page.getByText('Listening · not recording').waitFor();
    context.note('microphone on');
    const reference = await startLoopReference(context.workDir);
    return { host, browser, page, loop: watch.attach(host, reference), reference, logFile: path.join(context.cacheDir, `${name}-host.log`) };
  } catch (error) {
    await browser.close();
    await host.stop();
    throw error;
  }
}

async function closeSession(session: Session): Promise<void> {
  session.reference.stop();
  await session.browser.close();
  await session.host.stop();
  // The host's log (take saved, checks confirmed) outlives the run, beside the inputs, for a look at what Stop did.
  if (session.logFile) writeFileSync(session.logFile, session.host.log());
}

/**
 * The in-page code is plain JavaScript in strings: tsx wraps named functions in a `__name` helper
 * that does not exist in the page, so functions cannot be handed to page.evaluate from here.
 */
const watchLongTasksScript = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ at: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask' });
`;

export type LongTask = { at: number; ms: number };

/** Records the page's long tasks from now on; `read()` returns them (start time and duration, ms). */
export async function watchLongTasks(page: Page): Promise<{ read: () => Promise<LongTask[]> }> {
  await page.evaluate(watchLongTasksScript);
  return { read: async () => (await page.evaluate('window.__longTasks.slice()')) as LongTask[] };
}

async function recordFor(page: Page, seconds: number, note: (message: string) => void): Promise<void> {
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await page.getByTestId('recorder-status').getByText('Recording').waitFor();
  const started = Date.now();
  let lastNote = 0;
  while (Date.now() - started < seconds * 1000) {
    await page.waitForTimeout(Math.min(1000, seconds * 1000 - (Date.now() - started)));
    if (Date.now() - lastNote > 30_000) {
      lastNote = Date.now();
      note(`recording ${Math.round((Date.now() - started) / 1000)} / ${seconds} s`);
    }
  }
}

/**
 * Presses Stop inside the page and times, on the page's own clock, until the review of the new take
 * has painted its waveform (and, for the record, until its checks are shown).
 */
const stopAndTimeScript = `new Promise((resolve, reject) => {
  const stop = Array.from(document.querySelectorAll('button')).find((button) => button.textContent.trim() === 'Stop');
  if (!stop) return reject(new Error('no Stop button'));
  const taking = document.querySelector('li[data-take][data-state="recording"]')?.getAttribute('data-take');
  const started = performance.now();
  let reviewMs = null;
  stop.click();
  const poll = () => {
    const review = document.querySelector('section.review');
    const isNew = review && (!taking || review.getAttribute('data-take') === taking);
    if (reviewMs === null && isNew && review.getAttribute('data-ready') === 'true') {
      requestAnimationFrame(() => { reviewMs = performance.now() - started; });
    }
    if (reviewMs !== null && isNew && review.getAttribute('data-saved') === 'true' && review.querySelectorAll('[data-check]').length > 0) {
      resolve({ reviewMs, checksMs: performance.now() - started });
    } else if (performance.now() - started > 120000) {
      reject(new Error('the review did not appear within 120 s'));
    } else {
      requestAnimationFrame(poll);
    }
  };
  requestAnimationFrame(poll);
})`;

async function stopAndTime(page: Page): Promise<{ reviewMs: number; checksMs: number }> {
  return (await page.evaluate(stopAndTimeScript)) as { reviewMs: number; checksMs: number };
}

/** BENCH_VOICE_SECONDS shortens the long take while working on the benchmark itself. */
function takeSeconds(fallback: number): number {
  const value = Number(process.env.BENCH_VOICE_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

export const stopToReview300s: Benchmark = {
  key: 'stopToReview300s',
  description: 'record a 300 s take in Chromium, then time Stop → review waveform drawn',
  async run(context): Promise<Figures> {
    // Stopped just before the recorder stops itself at the 300 s limit.
    const seconds = takeSeconds(298);
    const session = await openRecorder(context, speechWav(300), 'stopToReview300s');
    try {
      // The host's loop is watched over the whole take (chunks landing, the sound decoded as it comes) and Stop.
      session.loop.start();
      await recordFor(session.page, seconds, context.note);
      const timing = await stopAndTime(session.page);
      // The monitor writes every 500 ms: let it catch the end of the checks.
      await new Promise((resolve) => setTimeout(resolve, 700));
      return {
        ms: Math.round(timing.reviewMs),
        checksMs: Math.round(timing.checksMs),
        takeSeconds: seconds,
        ...session.loop.read(),
        loadAverage: round(loadavg()[0] ?? 0, 2),
        meetsTargets: timing.checksMs < 1000 && session.loop.read().maxLoopDelayMs < 30,
      };
    } finally {
      await closeSession(session);
    }
  },
};

export const recordingLongTasks60s: Benchmark = {
  key: 'recordingLongTasks60s',
  description: 'long tasks (> 50 ms) on the page while recording 60 s with the live waveform and meters',
  async run(context): Promise<Figures> {
    const seconds = takeSeconds(60);
    const session = await openRecorder(context, speechWav(70), 'recordingLongTasks60s');
    try {
      session.loop.start();
      const longTasks = await watchLongTasks(session.page);
      await recordFor(session.page, seconds, context.note);
      const tasks = await longTasks.read();
      await stopAndTime(session.page);
      // Long tasks are wall time: on a machine busy with other work they grow, so the load is reported
      // with them, and in how many distinct seconds they fell (a burst of contention shows as few).
      return {
        count: tasks.length,
        maxMs: tasks.length === 0 ? 0 : round(Math.max(...tasks.map((task) => task.ms))),
        secondsWithLongTasks: new Set(tasks.map((task) => Math.floor(task.at / 1000))).size,
        takeSeconds: seconds,
        ...session.loop.read(),
        loadAverage: round(loadavg()[0] ?? 0, 2),
      };
    } finally {
      await closeSession(session);
    }
  },
};
