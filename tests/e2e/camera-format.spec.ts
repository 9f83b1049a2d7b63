/**
 * What the video recorder says about the camera is what the camera gives: a fake camera that
 * delivers 15 fps (a y4m at 15 fps) is shown as 15 fps in the frame-rate picker, not the 30 asked
 * for, and the take is 15 fps on disk; while a take is recorded its row in the take list shows the
 * size the meter shows, not the 0 KB the draft holds until the take is finished.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import type { Draft } from '../../shared/drafts';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { cameraY4m, speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
let draftId: string;
const violations: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'ffprobe', 'espeak-ng', 'sox'], 'The camera format e2e tests');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  host = await startStudioHost();
  browser = await launchChromium({ audio: speechWav(30), video: cameraY4m(1280, 720, 15) });
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1500 });
  watchPageProblems(page, violations);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

function readDraft(id: string): Draft {
  return JSON.parse(readFileSync(path.join(host.dataDir, 'drafts', id, 'draft.json'), 'utf8')) as Draft;
}

/** Frames per second of a file's picture, counted: frames decoded over the stream's duration. */
function countedFps(file: string): number {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-count_frames',
    '-show_entries',
    'stream=nb_read_frames:format=duration',
    '-of',
    'json',
    file,
  ]).toString();
  const info = JSON.parse(out) as { streams: { nb_read_frames: string }[]; format: { duration: string } };
  return Number(info.streams[0]!.nb_read_frames) / Number(info.format.duration);
}

test('a camera that gives 15 fps is shown at 15 fps, not the 30 asked for', async () => {
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New draft' }).click();
  await expect(page.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
  draftId = /#\/draft\/([^/]+)\//.exec(page.url())![1]!;
  await page.getByRole('link', { name: /^Camera:/ }).click();
  // Before the camera is on, the picker can only say what will be asked for.
  const picker = page.getByRole('combobox', { name: 'Frame rate' });
  await expect(picker).toHaveValue('30');
  await page.getByRole('button', { name: 'Turn on camera and microphone' }).click();
  await expect(page.getByTestId('camera-status')).toHaveText('Live · not recording');
  await expect(picker).toHaveValue('15');
  await expect(picker.locator('option:checked')).toHaveText('15 fps');
  await expect(picker.locator('option', { hasText: '30 fps' })).toHaveCount(0);
  await expect(page.getByTestId('frame-rate-hint')).toHaveText('The camera gives 15 fps, not the 30 fps asked for: takes are recorded at 15 fps.');
  // Once frames have been counted for a while the picker still says the camera's rate (a busy machine may add a
  // note that fewer arrive), and the preview's badge says the same.
  await page.waitForTimeout(3000);
  await expect(picker).toHaveValue('15');
  await expect(page.locator('.camera-format-badge')).toContainText('15 fps');
  await page.locator('section.camera-panel').screenshot({ path: path.join(shots, 'camera-format-01-15fps.png') });
});

test('while a take is recorded, its row shows the size the meter shows; the take has the camera’s rate', async () => {
  await page.getByRole('button', { name: 'Record' }).click();
  await expect(page.getByTestId('camera-status')).toContainText('Recording');
  const meter = page.getByTestId('video-size');
  const row = page.locator('.take-list li[data-state="recording"]');
  await expect(row).toHaveCount(1);
  await expect(meter).toContainText(/[1-9][\d.]* (KB|MB) so far/, { timeout: 10_000 });
  // Both read the recorder's count in the same render: the same size, and never 0.
  await expect
    .poll(async () => {
      const shown = /([\d.]+ (?:B|KB|MB)) so far/.exec((await meter.textContent()) ?? '')?.[1];
      const listed = /([\d.]+ (?:B|KB|MB)) so far/.exec((await row.getByTestId('take-meta').textContent()) ?? '')?.[1];
      return shown === listed ? shown : `meter ${shown}, row ${listed}`;
    })
    .toMatch(/^[1-9][\d.]* (KB|MB)$/);
  await expect(row.getByTestId('take-meta')).not.toContainText(/^0:00 · 0 /);
  await page.waitForTimeout(1500);
  await page.locator('section[aria-labelledby="video-takes-title"]').screenshot({ path: path.join(shots, 'camera-format-02-recording-row.png') });
  await page.waitForTimeout(2500);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.locator('section.video-review')).toHaveAttribute('data-saved', 'true', { timeout: 60_000 });

  const take = readDraft(draftId).camera.videoTakes[0]!;
  expect(take.state).toBe('complete');
  expect(take.bytes).toBeGreaterThan(0);
  // The finished row shows the file's own size, as the draft now holds it.
  await expect(page.locator(`.take-list li[data-take="${take.id}"]`).getByTestId('take-meta')).not.toContainText('so far');
  // The take has what the camera gave, never the 30 fps the picker used to claim (a loaded machine may record fewer).
  const fps = countedFps(path.join(host.dataDir, 'drafts', draftId, take.fileName));
  console.log(`video take: ${fps.toFixed(2)} fps counted on disk`);
  expect(fps).toBeGreaterThan(5);
  expect(fps).toBeLessThan(16.5);
  expect(violations).toEqual([]);
});
