/**
 * The review's waveform (renderer/capture/use-waveform.ts) in a real Chromium with the real
 * wavesurfer.js and React (a development build, in StrictMode, as `npm start` runs it), driven
 * where it used to break: zoomed and played before anything is loaded, a new file replacing a drawn
 * one in the same commit as a zoom, a <video> remounted, a file that cannot be fetched, a load
 * replaced while its file is fetched. Nothing may throw into React or reject unhandled: a failure
 * is the hook's `error` in words. Also the page's error boundary (renderer/app/ErrorBoundary.tsx)
 * and the time scale's labels as wavesurfer's Timeline draws them.
 */
import path from 'node:path';
import { build } from 'esbuild';
import { type Page, expect, test } from '@playwright/test';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { missingPrerequisite } from '../support/prerequisites';
import { repoRoot } from '../support/studio-host';

const origin = 'http://waveform.test';

/**
 * The page under test: one waveform with the review's own wiring (the zoom level applied in an
 * effect after the hook's, so a new file and a zoom can land in one commit), driven from the test
 * through `window.harness`; uncaught errors and unhandled rejections are collected there too.
 */
const harnessSource = `
import { StrictMode, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ErrorBoundary } from '../../renderer/app/ErrorBoundary';
import { useWaveform } from '../../renderer/capture/use-waveform';

const problems = [];
window.addEventListener('error', (event) => problems.push('uncaught: ' + event.message));
window.addEventListener('unhandledrejection', (event) => problems.push('unhandled rejection: ' + String(event.reason && event.reason.message || event.reason)));

let wave = null;
let update = () => {};

function Review({ initial }) {
  const [props, setProps] = useState(initial);
  update = (next) => setProps((current) => ({ ...current, ...next }));
  const box = useRef(null);
  const scale = useRef(null);
  const player = useRef(null);
  const peaks = useMemo(() => (props.peaks ? Float32Array.from(props.peaks) : null), [props.peaks]);
  wave = useWaveform({
    id: props.id,
    container: box,
    timeline: scale,
    height: 80,
    media: initial.video ? player : undefined,
    url: props.url,
    peaks,
    decode: props.decode,
    durationMs: props.durationMs,
    range: props.durationMs > 0 ? { startMs: 0, endMs: props.durationMs } : null,
  });
  const { zoom } = wave;
  useEffect(() => zoom(props.zoom), [zoom, props.zoom]);
  return (
    <section id="review" data-ready={String(wave.ready)} data-error={wave.error ?? ''}>
      {initial.video && <video ref={player} />}
      <div ref={box} id="wave" style={{ width: '800px' }} />
      <div ref={scale} id="scale" style={{ width: '800px' }} />
    </section>
  );
}

function Broken() {
  throw new Error('a panel broke');
}

let root = null;
function mount(element) {
  if (root) root.unmount();
  wave = null;
  document.getElementById('root').innerHTML = '';
  root = createRoot(document.getElementById('root'));
  root.render(<StrictMode>{element}</StrictMode>);
}

window.harness = {
  problems,
  mount(initial) {
    mount(<ErrorBoundary><Review initial={{ id: 't1', url: '', peaks: null, decode: false, durationMs: 0, zoom: 0, video: false, ...initial }} /></ErrorBoundary>);
  },
  mountBroken() {
    mount(<main id="frame"><p id="beside">The rest of the page</p><ErrorBoundary><Broken /></ErrorBoundary></main>);
  },
  update: (next) => update(next),
  zoom: (pixelsPerSecond) => wave.zoom(pixelsPerSecond),
  playPause: () => wave.playPause(),
  state: () => ({ ready: wave ? wave.ready : null, error: wave ? wave.error : null, errorType: wave ? typeof wave.error : null }),
};
`;

/** A WAV of a 440 Hz tone: 8 kHz mono 16-bit, `seconds` long. */
function toneWav(seconds: number): Buffer {
  const rate = 8000;
  const samples = Math.round(rate * seconds);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let index = 0; index < samples; index++) wav.writeInt16LE(Math.round(12000 * Math.sin((2 * Math.PI * 440 * index) / rate)), 44 + index * 2);
  return wav;
}

/** Peaks as the studio sends them, ten a second, for a take of `seconds`. */
const peaksOf = (seconds: number) => Array.from({ length: seconds * 10 }, (_, index) => 0.2 + 0.6 * Math.abs(Math.sin(index / 7)));

let browser: StudioBrowser;
let page: Page;
let bundle = '';
const pageProblems: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath], 'The waveform error tests');
  test.skip(missing !== null, missing ?? '');
  const built = await build({
    stdin: { contents: harnessSource, loader: 'tsx', resolveDir: path.join(repoRoot, 'tests', 'e2e'), sourcefile: 'waveform-harness.tsx' },
    bundle: true,
    format: 'iife',
    jsx: 'automatic',
    write: false,
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  });
  bundle = built.outputFiles[0]!.text;
  browser = await launchChromium();
  const wav = toneWav(3);
  await browser.context.route(`${origin}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/') {
      await route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html><body><div id="root"></div><script src="/harness.js"></script></body></html>',
      });
    } else if (pathname === '/harness.js') {
      await route.fulfill({ contentType: 'text/javascript', body: bundle });
    } else if (pathname.startsWith('/tone')) {
      await route.fulfill({ contentType: 'audio/wav', body: wav });
    } else if (pathname === '/slow.wav') {
      // Long enough for a newer load to replace this one while its file is still coming.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.fulfill({ contentType: 'audio/wav', body: wav }).catch(() => undefined);
    } else {
      await route.fulfill({ status: 404, contentType: 'text/plain', body: 'not here' });
    }
  });
});

test.afterAll(async () => {
  await browser?.close();
});

test.beforeEach(async () => {
  page = await browser.context.newPage();
  pageProblems.length = 0;
  watchPageProblems(page, pageProblems);
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'harness' in window);
});

test.afterEach(async () => {
  await page?.close();
});

type State = { ready: boolean | null; error: string | null; errorType: string };

const harness = {
  mount: (initial: Record<string, unknown>) =>
    page.evaluate((value) => (window as unknown as { harness: { mount(initial: unknown): void } }).harness.mount(value), initial),
  update: (next: Record<string, unknown>) =>
    page.evaluate((value) => (window as unknown as { harness: { update(next: unknown): void } }).harness.update(value), next),
  zoom: (pixelsPerSecond: number) =>
    page.evaluate((value) => (window as unknown as { harness: { zoom(value: number): void } }).harness.zoom(value), pixelsPerSecond),
  playPause: () => page.evaluate(() => (window as unknown as { harness: { playPause(): void } }).harness.playPause()),
  state: () => page.evaluate(() => (window as unknown as { harness: { state(): State } }).harness.state()),
  problems: () => page.evaluate(() => [...(window as unknown as { harness: { problems: string[] } }).harness.problems]),
};

/** Lets the page run its pending loads, timers and rejections before the problems are counted. */
const settle = () => page.waitForTimeout(400);

async function expectNothingEscaped(): Promise<void> {
  await settle();
  expect(await harness.problems()).toEqual([]);
  expect(pageProblems).toEqual([]);
  // React kept the tree: the review is still there and no boundary had to stand in for it.
  await expect(page.locator('#review')).toHaveCount(1);
  await expect(page.getByTestId('error-boundary')).toHaveCount(0);
}

test('zoom and play before anything is loaded are ignored, not thrown', async () => {
  await harness.mount({ durationMs: 3000 });
  await harness.zoom(120);
  await harness.playPause();
  await harness.update({ zoom: 60 });
  await expectNothingEscaped();
  expect(await harness.state()).toEqual({ ready: false, error: null, errorType: 'object' });
});

test('a new file replacing a drawn one in the same commit as a zoom throws nothing', async () => {
  await harness.mount({ url: `${origin}/tone-a.wav`, peaks: peaksOf(3), durationMs: 3000 });
  await expect(page.locator('#review')).toHaveAttribute('data-ready', 'true');
  // As a preview arriving while the person drags the zoom: wavesurfer has dropped what it drew, React still says ready.
  await harness.update({ url: `${origin}/tone-b.wav`, zoom: 80 });
  await harness.update({ url: `${origin}/tone-c.wav`, zoom: 120 });
  await expectNothingEscaped();
  await expect(page.locator('#review')).toHaveAttribute('data-ready', 'true');
  expect((await harness.state()).error).toBeNull();
  // Zoomed once drawn again: the waveform is wider than its box.
  const width = await page.evaluate(() => document.querySelector('#wave > div')!.shadowRoot!.querySelector<HTMLElement>('.wrapper')!.scrollWidth);
  expect(width).toBeGreaterThan(300);
});

test('a <video> remounted (StrictMode) is drawn from its peaks, not from a second load of its file', async () => {
  await harness.mount({ video: true, url: `${origin}/tone-video.wav`, peaks: peaksOf(3), durationMs: 3000, zoom: 50 });
  await expect(page.locator('#review')).toHaveAttribute('data-ready', 'true');
  await expectNothingEscaped();
  expect((await harness.state()).error).toBeNull();
  await harness.zoom(100);
  await expectNothingEscaped();
});

test('a file that cannot be fetched is the hook’s error in words, and nothing rejects unhandled', async () => {
  await harness.mount({ url: `${origin}/missing.wav`, decode: true, durationMs: 3000, zoom: 40 });
  await expect(page.locator('#review')).toHaveAttribute('data-error', /^The waveform could not be drawn: /);
  const { ready, error, errorType } = await harness.state();
  expect(ready).toBe(false);
  expect(errorType).toBe('string');
  expect(error).not.toMatch(/\[object|undefined/);
  await harness.zoom(80);
  await harness.playPause();
  await expectNothingEscaped();
});

test('a load replaced while its file is fetched is no error', async () => {
  await harness.mount({ url: `${origin}/slow.wav`, decode: true, durationMs: 3000 });
  await page.waitForTimeout(200);
  await harness.update({ url: `${origin}/tone-now.wav` });
  await expect(page.locator('#review')).toHaveAttribute('data-ready', 'true');
  await page.waitForTimeout(1800);
  await expectNothingEscaped();
  expect((await harness.state()).error).toBeNull();
});

test('play before the file exists is ignored; a file that cannot be played is an error in words, not an unhandled rejection', async () => {
  await harness.mount({ url: '', peaks: peaksOf(3), durationMs: 3000 });
  await expect(page.locator('#review')).toHaveAttribute('data-ready', 'true');
  await harness.playPause();
  await expectNothingEscaped();
  expect(await harness.state()).toEqual({ ready: true, error: null, errorType: 'object' });

  await harness.update({ url: `${origin}/gone.wav` });
  await expect(page.locator('#review')).toHaveAttribute('data-ready', 'true');
  await harness.playPause();
  await expect(page.locator('#review')).toHaveAttribute('data-error', /^The take could not be played: \w/);
  const { error, errorType } = await harness.state();
  expect(errorType).toBe('string');
  expect(error).not.toMatch(/\[object|undefined/);
  await expectNothingEscaped();
});

test('the time scale of a take over a minute reads 1:00, not 60', async () => {
  await harness.mount({ url: '', peaks: peaksOf(75), durationMs: 75_000 });
  await expect(page.locator('#review')).toHaveAttribute('data-ready', 'true');
  const labels = (await page.locator('#scale [part~="timeline-notch"]').allTextContents()).filter(Boolean);
  expect(labels).toContain('1:00');
  expect(labels).toContain('0:45');
  expect(labels.every((label) => /^\d+:\d\d$/.test(label))).toBe(true);
  await expectNothingEscaped();
});

test('a part of the page that throws is replaced by a message with Reload; the rest stays', async () => {
  await page.evaluate(() => (window as unknown as { harness: { mountBroken(): void } }).harness.mountBroken());
  await expect(page.locator('#frame')).toBeVisible();
  await expect(page.locator('#beside')).toHaveText('The rest of the page');
  const boundary = page.getByTestId('error-boundary');
  await expect(boundary).toContainText('This part of the studio stopped working');
  await expect(boundary).not.toContainText('a panel broke');
  await page.evaluate(() => ((window as unknown as { beforeReload?: boolean }).beforeReload = true));
  await Promise.all([page.waitForEvent('load'), boundary.getByRole('button', { name: 'Reload' }).click()]);
  expect(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload)).toBeUndefined();
  // The throw was caught by the boundary: React reports it on the console, not as an uncaught error of the page.
  expect(pageProblems).toEqual([]);
});
