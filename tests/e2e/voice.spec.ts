/**
 * Voice capture in a real Chromium against the browser host, with the fake microphone playing
 * espeak-ng speech: the live meters, a real ~65 s take streamed to disk, review and trim, imports
 * judged by content, a denied microphone, and a host killed in the middle of a take.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import type { Draft } from '../../shared/drafts';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { clippedToneWav, silenceWav, speechWav } from '../support/media-fixtures';
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
  const missing = missingPrerequisite([chromiumPath, 'ffprobe', 'espeak-ng', 'sox'], 'The voice end-to-end tests');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  host = await startStudioHost();
  browser = await launchChromium({ audio: speechWav(70) });
  page = await browser.context.newPage();
  // Tall enough that one screenshot shows the recorder, the review and the takes together.
  await page.setViewportSize({ width: 1360, height: 1700 });
  watchPageProblems(page, violations);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function shot(name: string) {
  await page.screenshot({ path: path.join(shots, `voice-${name}.png`) });
}

function readDraft(id: string, dataDir = host.dataDir): Draft {
  return JSON.parse(readFileSync(path.join(dataDir, 'drafts', id, 'draft.json'), 'utf8')) as Draft;
}

function probeSeconds(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString().trim());
}

async function openNewDraftVoice(target: Page): Promise<string> {
  await target.getByRole('button', { name: 'New draft' }).click();
  await expect(target.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
  await target.getByRole('link', { name: /^Voice:/ }).click();
  await expect(target.getByRole('heading', { name: 'Voice', level: 2 })).toBeVisible();
  return /#\/draft\/([^/]+)\/voice/.exec(target.url())![1]!;
}

const recorder = () => page.locator('section.recorder');
const review = () => page.locator('section.review');
const levelMeter = () => page.getByRole('meter', { name: 'Speech level in dBFS' });

test('the voice screen starts idle, with the microphone picker and the limits', async () => {
  await page.goto(host.url);
  draftId = await openNewDraftVoice(page);
  const picker = page.getByLabel('Microphone', { exact: true });
  await expect(picker).toBeVisible();
  await expect(picker.locator('option')).not.toHaveCount(0);
  await expect(page.getByTestId('recorder-status')).toHaveText('Microphone off');
  await expect(page.getByRole('button', { name: 'Record', exact: true })).toBeDisabled();
  await expect(page.getByTestId('duration-state').first()).toHaveText('Needs 1:00 to 5:00');
  await expect(page.getByTestId('prompter')).toContainText('Hello, and thanks for taking the time.');
  await shot('01-idle');
});

test('a denied microphone says what to do', async () => {
  const denied = await launchChromium({ audio: speechWav(70), denyMedia: true });
  try {
    const other = await denied.context.newPage();
    await other.goto(host.url);
    await openNewDraftVoice(other);
    await other.getByRole('button', { name: 'Turn on microphone' }).click();
    const alert = other.getByRole('alert').filter({ hasText: 'Recording problem' });
    await expect(alert).toContainText('Access to the microphone was denied');
    await expect(alert).toContainText('Allow it');
    await expect(other.getByTestId('recorder-status')).toHaveText('Microphone off');
    await other.screenshot({ path: path.join(shots, 'voice-00-denied.png') });
  } finally {
    await denied.close();
  }
});

test('records a real take of about 65 s: meters move, it streams to disk, is repaired and passes', async () => {
  test.setTimeout(180_000);
  await page.getByRole('button', { name: 'Turn on microphone' }).click();
  await expect(page.getByTestId('recorder-status')).toHaveText('Listening · not recording');
  // The meter is above silence while the fake microphone speaks, and the live waveform moves.
  await expect.poll(async () => Number(await levelMeter().getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(-45);
  const wave = page.locator('.live-waveform');
  const before = await wave.screenshot();
  await page.waitForTimeout(600);
  expect((await wave.screenshot()).equals(before)).toBe(false);

  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(page.getByTestId('recorder-status')).toContainText('Recording');
  const startedAt = Date.now();
  await expect(page.getByTestId('duration-state').first()).toContainText('Too short');
  await page.waitForTimeout(4000);
  await expect(page.locator('[data-take]').filter({ hasText: 'Recording…' })).toHaveCount(1);
  await shot('02-recording');
  // Bytes arrive on disk while recording, not at the end.
  const growing = readDraft(draftId).voice.takes[0]!;
  expect(growing.state).toBe('recording');
  await expect.poll(() => readFileSync(path.join(host.dataDir, 'drafts', draftId, growing.fileName)).length).toBeGreaterThan(20_000);

  await expect(page.getByTestId('duration-state').first()).toHaveText('Good length', { timeout: 75_000 });
  while (Date.now() - startedAt < 65_000) await page.waitForTimeout(250);
  expect(Number(await levelMeter().getAttribute('aria-valuenow'))).toBeGreaterThan(-45);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  const wallMs = Date.now() - startedAt;

  // The review shows the waveform at once, then playback and checks once the take is saved.
  await expect(review()).toHaveAttribute('data-ready', 'true', { timeout: 5_000 });
  await expect(review()).toHaveAttribute('data-saved', 'true', { timeout: 30_000 });
  await expect(review().locator('[data-check]')).toHaveCount(7);
  await expect(review().getByRole('button', { name: 'Play' })).toBeEnabled();

  const take = readDraft(draftId).voice.takes[0]!;
  expect(take.state).toBe('complete');
  const recordedMs = Number(await recorder().locator('[data-recorded-ms]').getAttribute('data-recorded-ms'));
  expect(Math.abs(recordedMs - wallMs)).toBeLessThan(1500);
  const onDisk = probeSeconds(path.join(host.dataDir, 'drafts', draftId, take.fileName)) * 1000;
  expect(Math.abs(onDisk - recordedMs)).toBeLessThan(500);
  expect(Math.abs((take.durationMs ?? 0) - onDisk)).toBeLessThan(100);
  expect(take.checks.filter((check) => check.verdict === 'fail')).toEqual([]);
  expect(take.checks.find((check) => check.id === 'level')!.value).toBeGreaterThan(-40);
  // The first usable take becomes the chosen one.
  await expect.poll(() => readDraft(draftId).voice.chosenTakeId).toBe(take.id);
  await expect(review().getByText('Chosen take', { exact: true })).toBeVisible();
});

test('trimming re-runs the checks on the kept range, and the trim is stored for preparation', async () => {
  const take = readDraft(draftId).voice.takes[0]!;
  await review().getByLabel('Trim start (s)').fill('10');
  await review().getByLabel('Trim start (s)').press('Enter');
  await expect(review().locator('[data-check="duration"]')).toHaveAttribute('data-verdict', 'fail');
  await expect(review().locator('[data-check="duration"]')).toContainText('Too short');
  await expect(review().getByText('Trimmed length')).toBeVisible();
  // To the end of the take: its length as the draft holds it now (the file's own measure may have
  // replaced the one made while recording, a few ms apart, since the take was read above).
  const trimmed = readDraft(draftId).voice.takes[0]!;
  expect(trimmed.trim).toEqual({ startMs: 10_000, endMs: trimmed.durationMs });
  expect(Math.abs(trimmed.durationMs! - take.durationMs!)).toBeLessThan(100);
  await review().getByLabel('Zoom').fill('40');
  await shot('03-review-trimmed');
  await review().getByRole('button', { name: 'Reset trim' }).click();
  await expect(review().locator('[data-check="duration"]')).toHaveAttribute('data-verdict', 'pass');
  expect(readDraft(draftId).voice.takes[0]!.trim).toBeNull();

  // Edges that keep nothing are refused with why, and the field shows the stored edge again.
  const start = review().getByLabel('Trim start (s)');
  await start.fill('500');
  await start.press('Enter');
  await expect(review().getByText(/The trim was not changed: 500\.0 s is outside the take \(0\.0 to \d+\.\d s\)/)).toBeVisible();
  await expect(start).toHaveValue('0.0');
  const end = review().getByLabel('Trim end (s)');
  await end.fill('0.5');
  await end.press('Enter');
  await expect(review().getByText(/The trim was not changed: an end of 0\.5 s would leave 0\.5 s/)).toBeVisible();
  await shot('03b-trim-refused');
  expect(readDraft(draftId).voice.takes[0]!.trim).toBeNull();
});

test('a text file renamed to .wav is refused and changes nothing', async () => {
  const before = readDraft(draftId).voice;
  await page.getByLabel('Import a recording').setInputFiles({
    name: 'interview.wav',
    mimeType: 'audio/wav',
    buffer: Buffer.from('These are my notes, not a recording.\n'.repeat(100)),
  });
  const alert = page.getByRole('alert').filter({ hasText: 'Import refused' });
  await expect(alert).toContainText('“interview.wav” was not imported');
  await expect(alert).toContainText('not a recording the studio can read: its content is in no audio, video or picture format');
  expect(readDraft(draftId).voice).toEqual(before);
  await shot('04-import-refused');
});

test('imports are judged like recordings: too short, silent and clipped takes fail their checks', async () => {
  const cases = [
    { file: speechWav(30), name: 'short.wav', check: 'duration', text: 'Too short' },
    { file: silenceWav(65), name: 'silence.wav', check: 'level', text: 'Silent' },
    { file: clippedToneWav(65), name: 'tone.wav', check: 'clipping', text: 'hit the top of the scale' },
  ];
  for (const item of cases) {
    await page.getByLabel('Import a recording').setInputFiles({ name: item.name, mimeType: 'audio/wav', buffer: readFileSync(item.file) });
    await expect(review()).toContainText(`Imported: ${item.name}`, { timeout: 30_000 });
    const check = review().locator(`[data-check="${item.check}"]`);
    await expect(check).toHaveAttribute('data-verdict', 'fail');
    await expect(check).toContainText(item.text);
  }
  expect(readDraft(draftId).voice.takes.map((take) => take.originalName)).toEqual([null, 'short.wav', 'silence.wav', 'tone.wav']);
  await shot('05-import-clipped');
});

test('killing the host in the middle of a take (after a pause) leaves a recoverable take', async () => {
  test.setTimeout(120_000);
  const killedDraft = await openNewDraftVoice(page);
  await page.getByRole('button', { name: 'Turn on microphone' }).click();
  await expect(page.getByTestId('recorder-status')).toHaveText('Listening · not recording');
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(page.getByTestId('recorder-status')).toContainText('Recording');
  await page.waitForTimeout(3500);
  // A pause in the middle: its time must not end up in the file.
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByTestId('recorder-status')).toContainText('Paused');
  await page.waitForTimeout(4000);
  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(page.getByTestId('recorder-status')).toContainText('Recording');
  await page.waitForTimeout(3500);
  const dataDir = host.dataDir;
  await host.stop('SIGKILL');
  const interrupted = readDraft(killedDraft, dataDir).voice.takes[0]!;
  expect(interrupted.state).toBe('recording');

  host = await startStudioHost({ dataDir });
  await page.goto(host.url);
  await page.goto(`${host.origin}/#/draft/${killedDraft}/voice`);
  const notice = page.getByRole('status').filter({ hasText: 'A take was recovered' });
  await expect(notice).toBeVisible({ timeout: 30_000 });
  const recovered = readDraft(killedDraft, dataDir).voice.takes[0]!;
  expect(recovered.state).toBe('recovered');
  const seconds = probeSeconds(path.join(dataDir, 'drafts', killedDraft, recovered.fileName));
  // About 7 s were recorded around the 4 s pause; the last chunk in flight may be lost.
  expect(seconds).toBeGreaterThan(4.5);
  expect(seconds).toBeLessThan(8.5);
  expect(Math.abs(seconds * 1000 - (recovered.durationMs ?? 0))).toBeLessThan(100);
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(review()).toHaveAttribute('data-ready', 'true', { timeout: 15_000 });
  await shot('06-recovered');
  await notice.getByRole('button', { name: 'Keep' }).click();
  await expect(notice).toHaveCount(0);
  expect(readDraft(killedDraft, dataDir).voice.takes[0]!.state).toBe('complete');
});

test('no Content-Security-Policy violation or page error happened along the way', () => {
  expect(violations).toEqual([]);
});
