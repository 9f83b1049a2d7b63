/**
 * Files from phones and other apps in a real Chromium against the browser host: a portrait HEVC
 * phone video with rotation metadata imported on the Camera step (cancelled while checked, then
 * imported: previewed upright, judged portrait, its preview stopped and made again), a file refused by its name before any byte is sent, and an Apple Lossless voice memo
 * that Chromium cannot decode, played and drawn from the preview the media engine makes.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import type { Draft } from '../../shared/drafts';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { speechWav } from '../support/media-fixtures';
import { alacVoice, portraitClip } from '../support/import-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
let scratch = '';
const problems: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'ffprobe', 'espeak-ng', 'sox'], 'The media import end-to-end tests');
  test.skip(missing !== null, missing ?? '');
  test.setTimeout(240_000);
  mkdirSync(shots, { recursive: true });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'media-import-e2e-'));
  // A phone's portrait clip: shown 360×640 with the upper half red, stored 640×360 turned, HEVC, 62 s.
  portraitClip(path.join(scratch, 'IMG_0042.MOV'), { codec: 'hevc', seconds: 62, fps: 15, container: 'mov', label: 'TOP' });
  // A voice memo in Apple Lossless.
  alacVoice(path.join(scratch, 'memo.m4a'), 65);
  host = await startStudioHost();
  browser = await launchChromium({ audio: speechWav(30) });
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1500 });
  watchPageProblems(page, problems);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function readDraft(id: string): Draft {
  return JSON.parse(readFileSync(path.join(host.dataDir, 'drafts', id, 'draft.json'), 'utf8')) as Draft;
}

async function newDraft(step: 'Camera' | 'Voice'): Promise<string> {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New draft' }).click();
  await expect(page.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
  const draftId = /#\/draft\/([^/]+)\//.exec(page.url())![1]!;
  await page.getByRole('link', { name: new RegExp(`^${step}:`) }).click();
  await expect(page.getByRole('heading', { name: step, level: 2 })).toBeVisible();
  return draftId;
}

test('a file whose name says it is no video is refused before it is sent', async () => {
  const draftId = await newDraft('Camera');
  await page.getByLabel('Import a video').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a video') });
  await expect(page.getByText(/“notes\.txt” is a \.txt file, which the studio cannot import as a video/)).toBeVisible();
  expect(readDraft(draftId).camera.videoTakes).toEqual([]);
});

test('a portrait HEVC phone video imports on the Camera step, is judged portrait and previewed upright', async () => {
  test.setTimeout(240_000);
  const draftId = await newDraft('Camera');
  // Cancelled while it is checked (a 62 s clip takes seconds): nothing is added, and it says so.
  await page.getByLabel('Import a video').setInputFiles(path.join(scratch, 'IMG_0042.MOV'));
  await expect(page.getByText('Checking the video…')).toBeVisible({ timeout: 30_000 });
  await page.locator('.import-drop').screenshot({ path: path.join(shots, 'media-import-checking.png') });
  await page.locator('.import-running').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('The import of “IMG_0042.MOV” was cancelled: nothing was added.')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Import refused')).toHaveCount(0);
  await page.locator('.import-drop').screenshot({ path: path.join(shots, 'media-import-cancelled.png') });
  expect(readDraft(draftId).camera.videoTakes).toEqual([]);
  expect(readdirSync(path.join(host.dataDir, 'drafts', draftId)).filter((name) => /\.(mp4|mov|import)/.test(name))).toEqual([]);

  await page.getByLabel('Import a video').setInputFiles(path.join(scratch, 'IMG_0042.MOV'));
  const review = page.locator('section.video-review');
  await expect(review).toHaveAttribute('data-saved', 'true', { timeout: 120_000 });
  const take = readDraft(draftId).camera.videoTakes[0]!;
  expect(take).toMatchObject({ source: 'imported', originalName: 'IMG_0042.MOV' });
  expect(take.fileName).toMatch(/\.mp4$/);
  await expect(review.getByText(/360×640 portrait/)).toBeVisible();
  // Stopping the preview loses nothing: the review says so and offers to make it again.
  await expect(review.getByTestId('video-preview-progress')).toBeVisible({ timeout: 60_000 });
  await review.getByTestId('video-preview-progress').getByRole('button', { name: 'Cancel' }).click();
  await expect(review.getByText(/The preview was stopped/)).toBeVisible({ timeout: 30_000 });
  await expect(review).not.toContainText('was cancelled');
  await review.getByTestId('video-preview-retry').click();
  await expect(review.getByText(/The preview was stopped/)).toHaveCount(0);
  await expect(review.getByTestId('video-preview-note')).toContainText('HEVC', { timeout: 150_000 });
  await expect(review).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  // The preview plays upright: the element's own picture is portrait, and its upper half is red.
  const size = await review.locator('video').evaluate((video: HTMLVideoElement) => ({ width: video.videoWidth, height: video.videoHeight }));
  expect(size).toEqual({ width: 360, height: 640 });
  await review.getByRole('button', { name: 'Play' }).click();
  await expect.poll(async () => review.locator('video').evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
  await review.getByRole('button', { name: 'Pause' }).click();
  const colours = await review.locator('video').evaluate((video: HTMLVideoElement) => {
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d')!;
    context.drawImage(video, 0, 0);
    const at = (y: number) => [...context.getImageData(180, y, 1, 1).data.slice(0, 3)];
    return { top: at(40), bottom: at(600) };
  });
  expect(colours.top[0]).toBeGreaterThan(180);
  expect(colours.top[2]).toBeLessThan(80);
  expect(colours.bottom[2]).toBeGreaterThan(180);
  // Its light is judged from its own frames, as a recording's is live: red and blue halves are dark-ish but even.
  for (const id of ['brightness', 'highlights', 'shadows', 'evenness']) {
    await expect(review.locator(`[data-check="${id}"]`)).toHaveAttribute('data-verdict', /pass|warn|fail/);
  }
  await expect(review.locator('[data-check="brightness"]')).toContainText(/Average brightness \d+ %/);
  await expect(page.locator('body')).not.toContainText('[object');
  await page.screenshot({ path: path.join(shots, 'media-import-phone-video.png'), fullPage: true });
  await review.screenshot({ path: path.join(shots, 'media-import-phone-video-review.png') });
  // The library's picture of the draft is a frame of that preview, upright, not an empty box.
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  const thumb = page.locator(`tr[data-draft="${draftId}"] video.thumb`);
  await expect(thumb).toHaveAttribute('src', new RegExp(`preview-${take.id}\\.mp4`));
  await expect.poll(() => thumb.evaluate((video: HTMLVideoElement) => `${video.videoWidth}×${video.videoHeight}`), { timeout: 15_000 }).toBe('360×640');
  expect(problems).toEqual([]);
});

test('an Apple Lossless voice memo plays and draws from its preview', async () => {
  test.setTimeout(180_000);
  const draftId = await newDraft('Voice');
  await page.getByLabel('Import a recording').setInputFiles(path.join(scratch, 'memo.m4a'));
  const review = page.locator('section.review').first();
  await expect(review).toHaveAttribute('data-saved', 'true', { timeout: 60_000 });
  expect(readDraft(draftId).voice.takes[0]).toMatchObject({ source: 'imported', originalName: 'memo.m4a' });
  // The first usable take is chosen by itself, imported as much as recorded.
  await expect.poll(() => readDraft(draftId).voice.chosenTakeId).toBe(readDraft(draftId).voice.takes[0]!.id);
  await expect(review.getByTestId('preview-note')).toContainText('ALAC', { timeout: 60_000 });
  await expect(review).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  // Drawn: the waveform's canvas holds ink.
  await expect
    .poll(
      async () =>
        review.getByTestId('review-waveform').evaluate((box) => {
          const root = box.querySelector('div')?.shadowRoot ?? box;
          return [...root.querySelectorAll('canvas')].some((canvas) => {
            const context = canvas.getContext('2d');
            if (!context || canvas.width === 0) return false;
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            for (let index = 3; index < data.length; index += 4) if (data[index]! > 0) return true;
            return false;
          });
        }),
      { timeout: 15_000 },
    )
    .toBe(true);
  await review.getByRole('button', { name: 'Play' }).click();
  await expect(review.getByLabel('Playback position')).not.toHaveText(/^0:00 \//, { timeout: 15_000 });
  await review.getByRole('button', { name: 'Pause' }).click();
  await expect(page.locator('body')).not.toContainText('[object');
  await expect(page.locator('body')).not.toContainText('could not be played');
  await page.screenshot({ path: path.join(shots, 'media-import-alac-voice.png'), fullPage: true });
  expect(problems).toEqual([]);
});

/** Drags a file (its bytes as the page's File) over `selector` and drops it there, as a person would from a file manager; the drop's defaultPrevented. */
async function dropFile(selector: string, name: string, bytes: Buffer, type: string): Promise<{ over: boolean; taken: boolean }> {
  return page.evaluate(
    ({ selector, name, base64, type }) => {
      const transfer = new DataTransfer();
      const data = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
      transfer.items.add(new File([data], name, { type }));
      const target = document.querySelector(selector)!;
      const fire = (kind: string) => {
        const event = new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer });
        target.dispatchEvent(event);
        return event.defaultPrevented;
      };
      const over = fire('dragover');
      return { over, taken: fire('drop') };
    },
    { selector, name, base64: bytes.toString('base64'), type },
  );
}

test('a recording dropped anywhere on the Voice step of a small window is imported there; a stray drop never replaces the studio', async () => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  try {
    const draftId = await newDraft('Voice');
    // The import area lies below the fold here: the drop lands on the teleprompter, far above it.
    const area = page.locator('.import-drop');
    await expect(area).not.toBeInViewport();
    await expect(area).toContainText('Drop a file anywhere on this step');
    const dropped = await dropFile('.teleprompter', 'desk-mic.wav', readFileSync(speechWav(65)), 'audio/wav');
    expect(dropped).toEqual({ over: true, taken: true });
    const review = page.locator('section.review').first();
    await expect(review).toContainText('Imported: desk-mic.wav', { timeout: 60_000 });
    await expect(review).toHaveAttribute('data-saved', 'true', { timeout: 60_000 });
    expect(readDraft(draftId).voice.takes.map((take) => take.originalName)).toEqual(['desk-mic.wav']);
    await page.screenshot({ path: path.join(shots, 'media-import-dropped-on-step.png') });

    // On the Camera step (two drop areas, photos and video) a file dropped beside them is taken by
    // neither, and the window does not open it in place of the studio.
    const cameraDraft = await newDraft('Camera');
    const stray = await dropFile('h2', 'IMG_0042.MOV', Buffer.from('not read'), 'video/quicktime');
    expect(stray.taken).toBe(true);
    await expect(page.getByRole('heading', { name: 'Camera', level: 2 })).toBeVisible();
    expect(page.url()).toContain(`#/draft/${cameraDraft}/camera`);
    expect(readDraft(cameraDraft).camera.videoTakes).toEqual([]);
  } finally {
    await page.setViewportSize({ width: 1360, height: 1500 });
  }
  expect(problems).toEqual([]);
});
