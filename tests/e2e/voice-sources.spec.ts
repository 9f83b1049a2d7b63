/**
 * A voice file with two sound tracks (a system-sound track, then the microphone) imported in a real
 * Chromium: the review says which track was chosen as speech, draws that one, and lets the person
 * pick the other, which is checked again. A stereo file whose channels cancel shows the mix used.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { type StudioBrowser, chromiumPath, launchChromium } from '../support/chromium';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
let scratch: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'espeak-ng', 'sox'], 'The voice source end-to-end tests');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'voice-sources-e2e-'));
  host = await startStudioHost();
  browser = await launchChromium({ audio: speechWav(70) });
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1400 });
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const review = () => page.locator('section.review');

async function importFile(file: string, mimeType: string) {
  await page.getByLabel('Import a recording').setInputFiles({ name: path.basename(file), mimeType, buffer: readFileSync(file) });
  await expect(review()).toContainText(`Imported: ${path.basename(file)}`, { timeout: 90_000 });
}

test('a two-track file is checked on its speech track, and the person can pick the other', async () => {
  test.setTimeout(240_000);
  const music = path.join(scratch, 'music.wav');
  const file = path.join(scratch, 'screen-recording.m4a');
  const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=523:sample_rate=48000',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=659:sample_rate=48000',
    '-t',
    '70',
    '-filter_complex',
    '[0][1]amix=inputs=2,volume=0.5',
    music,
  );
  ffmpeg(
    '-i',
    music,
    '-i',
    speechWav(70),
    '-map',
    '0:a',
    '-map',
    '1:a',
    '-c:a',
    'aac',
    '-b:a',
    '96k',
    '-metadata:s:a:0',
    'handler_name=System sound',
    '-metadata:s:a:1',
    'handler_name=Microphone',
    file,
  );

  await page.goto(host.url);
  await page.getByRole('button', { name: 'New draft' }).click();
  await page.getByRole('link', { name: /^Voice:/ }).click();
  await importFile(file, 'audio/mp4');
  const track = review().getByLabel('Sound track');
  await expect(track).toHaveValue('1');
  await expect(track.locator('option:checked')).toContainText('Microphone');
  await expect(review().locator('[data-check="source"]')).toContainText('sounds most like speech');
  await expect(review()).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await page.screenshot({ path: path.join(shots, 'voice-sources-01-speech-track.png') });

  await track.selectOption('0');
  await expect(review().locator('[data-check="source"]')).toContainText('as chosen in the review', { timeout: 60_000 });
  await expect(track).toHaveValue('0');
  await expect(review().locator('[data-check="silence"]')).toHaveAttribute('data-verdict', /pass|warn|fail/);
  await expect(review()).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await page.screenshot({ path: path.join(shots, 'voice-sources-02-picked-track.png') });
});

test('stereo whose channels cancel is heard through their difference, and says so', async () => {
  test.setTimeout(120_000);
  const file = path.join(scratch, 'inverted.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', speechWav(70), '-af', 'pan=stereo|c0=c0|c1=-1*c0', '-c:a', 'pcm_s16le', file]);
  await importFile(file, 'audio/wav');
  await expect(review().getByLabel('Channels')).toHaveValue('difference');
  await expect(review().locator('[data-check="level"]')).not.toHaveAttribute('data-verdict', 'fail');
  await expect(review().locator('[data-check="source"]')).toContainText('cancel when added');
  await expect(review()).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await page.screenshot({ path: path.join(shots, 'voice-sources-03-inverted-stereo.png') });
});
