/**
 * The live face check as it runs while a person records: a 60 s v2 video take in Debian's Chromium
 * against the browser host, the fake camera playing one person's head and shoulders (a real
 * photograph, tests/support/face-fixtures.ts) and the fake microphone speech, recorded twice in the
 * same run: with the face check off (its model and worker refused by the browser, so it never
 * starts) and on. For the "on" take: detections per second achieved while recording, the worker's
 * median and p95 time per detection (from the page's `face-detection` User Timing measures), and for
 * both, the long tasks (> 50 ms) on the page and the frame rate of the recorded file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { Draft } from '../../shared/drafts';
import { chromiumPath, launchChromium } from '../../tests/support/chromium';
import { personY4m } from '../../tests/support/face-fixtures';
import { speechWav } from '../../tests/support/media-fixtures';
import { hasCommand } from '../../tests/support/prerequisites';
import { type RunningHost, startStudioHost } from '../../tests/support/studio-host';
import { round } from './measure';
import type { BenchContext, Benchmark, Figures } from './types';
import { watchLongTasks } from './voice-capture';

/** The detections the page reports (renderer/capture/face-check.ts `faceDetectionMeasure`), watched as they happen. */
const watchDetectionsScript = `
  window.__detections = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__detections.push({ at: entry.startTime, ms: entry.duration, workerMs: entry.detail.workerMs });
  }).observe({ type: 'measure' });
`;

type Detection = { at: number; ms: number; workerMs: number };

type Run = {
  detections: Detection[];
  longTasks: number;
  longTaskMaxMs: number;
  recordedFps: number | null;
  seconds: number;
};

/** BENCH_FACE_SECONDS shortens the takes while working on the benchmark itself. */
function takeSeconds(): number {
  const value = Number(process.env.BENCH_FACE_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : 60;
}

function percentile(values: number[], share: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * (sorted.length - 1) + 0.5))]!;
}

/** Frames per second of the recorded file: its video frames over its length. */
function fileFps(file: string): number | null {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-count_packets',
    '-show_entries',
    'stream=nb_read_packets:format=duration',
    '-of',
    'json',
    file,
  ]).toString();
  const info = JSON.parse(out) as { streams: { nb_read_packets?: string }[]; format: { duration?: string } };
  const frames = Number(info.streams[0]?.nb_read_packets);
  const seconds = Number(info.format.duration);
  return frames > 0 && seconds > 0 ? round(frames / seconds) : null;
}

async function recordTake(context: BenchContext, host: RunningHost, faceCheck: boolean, seconds: number): Promise<Run> {
  const browser = await launchChromium({ audio: speechWav(seconds + 30), video: personY4m('left') });
  try {
    if (!faceCheck) {
      // The face check off: its worker and model never load, as if the studio had none.
      await browser.context.route(/\/(faces\/|assets\/face-worker)/, (route) => route.abort());
    }
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1360, height: 1000 });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'New draft' }).click();
    await page.getByRole('link', { name: /^Camera:/ }).click();
    await page.getByRole('button', { name: 'Turn on camera and microphone' }).click();
    await page.getByTestId('camera-status').getByText('Live · not recording').waitFor();
    const verdict = page.getByTestId('face-verdict');
    if (faceCheck) {
      // The model loads and warms up on the first frames; the take starts once a verdict is shown.
      await page.locator('[data-testid="face-verdict"]:not([data-verdict="none"])').waitFor({ timeout: 180_000 });
      context.note(`face check on: ${await verdict.getAttribute('data-verdict')}`);
    } else {
      await page.getByText(/The face (model could not be loaded|check could not start)/).waitFor({ timeout: 60_000 });
      context.note('face check off');
    }
    await page.waitForTimeout(2000);
    const longTasks = await watchLongTasks(page);
    await page.evaluate(watchDetectionsScript);
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByTestId('camera-status').getByText('Recording').waitFor();
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      await page.waitForTimeout(Math.min(15_000, seconds * 1000 - (Date.now() - started)));
      context.note(`${faceCheck ? 'on' : 'off'}: recording ${Math.round((Date.now() - started) / 1000)} / ${seconds} s`);
    }
    const detections = (await page.evaluate('window.__detections.slice()')) as Detection[];
    const tasks = await longTasks.read();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.locator('section.video-review[data-saved="true"]').waitFor({ timeout: 180_000 });
    return {
      detections,
      longTasks: tasks.length,
      longTaskMaxMs: tasks.length === 0 ? 0 : round(Math.max(...tasks.map((task) => task.ms))),
      recordedFps: recordedFpsOf(host, page.url()),
      seconds,
    };
  } finally {
    await browser.close();
  }
}

/** The frame rate of the draft's one video take, read from its file. */
function recordedFpsOf(host: RunningHost, url: string): number | null {
  const draftId = /#\/draft\/([^/]+)\//.exec(url)?.[1];
  if (!draftId) return null;
  const folder = path.join(host.dataDir, 'drafts', draftId);
  const draft = JSON.parse(readFileSync(path.join(folder, 'draft.json'), 'utf8')) as Draft;
  const take = draft.camera.videoTakes[0];
  return take ? fileFps(path.join(folder, take.fileName)) : null;
}

export const faceCheckLive60s: Benchmark = {
  key: 'faceCheckLive60s',
  description: 'a 60 s v2 take in Chromium with one face on the fake camera: the live face check off, then on',
  async run(context): Promise<Figures> {
    if (!hasCommand(chromiumPath)) throw new Error(`the face check benchmark needs ${chromiumPath} (apt chromium)`);
    if (!hasCommand('ffprobe')) throw new Error('the face check benchmark needs ffprobe');
    const seconds = takeSeconds();
    const loadBefore = loadavg()[0] ?? 0;
    const host = await startStudioHost();
    try {
      const off = await recordTake(context, host, false, seconds);
      if (off.detections.length > 0) throw new Error('the face check ran although it was turned off');
      const on = await recordTake(context, host, true, seconds);
      const workerMs = on.detections.map((detection) => detection.workerMs);
      const span = on.detections.length > 1 ? on.detections.at(-1)!.at - on.detections[0]!.at : 0;
      const fps = span > 0 ? round(((on.detections.length - 1) * 1000) / span) : 0;
      const median = percentile(workerMs, 0.5);
      const p95 = percentile(workerMs, 0.95);
      const roundTrip = percentile(
        on.detections.map((detection) => detection.ms),
        0.5,
      );
      return {
        fps,
        detections: on.detections.length,
        medianMs: median === null ? null : round(median),
        p95Ms: p95 === null ? null : round(p95),
        roundTripMedianMs: roundTrip === null ? null : round(roundTrip),
        longTasksOn: on.longTasks,
        longTasksOff: off.longTasks,
        longTaskMaxMsOn: on.longTaskMaxMs,
        longTaskMaxMsOff: off.longTaskMaxMs,
        recordedFpsOn: on.recordedFps,
        recordedFpsOff: off.recordedFps,
        goalMet: fps >= 5 && on.longTasks <= off.longTasks,
        takeSeconds: seconds,
        loadAverageBefore: round(loadBefore),
        loadAverage: round(loadavg()[0] ?? 0),
      };
    } finally {
      await host.stop();
    }
  },
};
