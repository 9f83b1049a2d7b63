/**
 * The live face check in a real Chromium, with Chromium's fake camera playing real photographs
 * (from `@vladmandic/face-api`'s npm package, cut and moved slightly at test time): one person in
 * the guide passes; the plain test pattern has no face; the group has more than one; the person
 * shrunk to a third is too small; head and shoulders in the v1 waist-up guide is too large. A v2
 * video take of the one person keeps its faces second by second and its review shows the face
 * checks. Screenshots show the verdicts on the preview.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import type { Draft } from '../../shared/drafts';
import { faceQuality } from '../../shared/requirements';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { groupY4m, personY4m, smallPersonY4m } from '../support/face-fixtures';
import { cameraY4m, speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let host: RunningHost;
const violations: string[] = [];

test.describe.configure({ mode: 'serial' });
// The model loads once per browser (a fresh profile each time), on two shared cores.
test.setTimeout(300_000);
/** The first verdict: the worker starts, the model loads and TensorFlow.js warms up on the first frame. */
const firstVerdictMs = 180_000;

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'espeak-ng', 'sox'], 'The face check end-to-end tests');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  host = await startStudioHost();
});

test.afterAll(async () => {
  await host?.stop();
  expect(violations, 'no CSP violation or page error').toEqual([]);
});

function readDraft(id: string): Draft {
  return JSON.parse(readFileSync(path.join(host.dataDir, 'drafts', id, 'draft.json'), 'utf8')) as Draft;
}

/** A browser whose camera plays `video`, on a new draft's Camera step with the camera on. */
async function cameraWith(video: string, version: 'v1' | 'v2'): Promise<{ browser: StudioBrowser; page: Page; draftId: string }> {
  const browser = await launchChromium({ audio: speechWav(30), video });
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1360, height: 1200 });
  watchPageProblems(page, violations);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New draft' }).click();
  await expect(page.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
  const draftId = /#\/draft\/([^/]+)\//.exec(page.url())![1]!;
  if (version === 'v1') {
    await page.getByRole('radio', { name: /v1, from a photo/ }).check();
    await expect.poll(() => readDraft(draftId).person.avatarVersion).toBe('v1');
  }
  await page.getByRole('link', { name: /^Camera:/ }).click();
  await expect(page.getByRole('heading', { name: 'Camera', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: version === 'v1' ? 'Turn on camera' : 'Turn on camera and microphone' }).click();
  return { browser, page, draftId };
}

/** Waits until the preview's verdict has settled on `code` (three readings in a row), then screenshots it. */
async function expectVerdict(page: Page, code: string, headline: RegExp, shot: string) {
  const verdict = page.getByTestId('face-verdict');
  await expect(verdict).toHaveAttribute('data-verdict', code, { timeout: firstVerdictMs });
  for (let i = 0; i < 3; i++) {
    await page.waitForTimeout(500);
    await expect(verdict).toHaveAttribute('data-verdict', code, { timeout: 5000 });
  }
  await expect(verdict).toContainText(headline);
  await page.locator('.camera-panel').screenshot({ path: path.join(shots, `faces-${shot}.png`) });
}

test('one person in the head-and-shoulders guide: "Face OK", outlined on the preview', async () => {
  const { browser, page } = await cameraWith(personY4m('left'), 'v2');
  try {
    await expectVerdict(page, 'good', /Face OK/, 'one-face');
    await expect(page.getByTestId('face-verdict')).toHaveAttribute('data-faces', '1');
    await expect(page.locator('.face-box')).toHaveCount(1);
  } finally {
    await browser.close();
  }
});

test('the plain test pattern: "No face"', async () => {
  const { browser, page } = await cameraWith(cameraY4m(1280, 720), 'v2');
  try {
    await expectVerdict(page, 'no-face', /No face/, 'no-face');
  } finally {
    await browser.close();
  }
});

test('a picture of three people: "More than one face"', async () => {
  const { browser, page } = await cameraWith(groupY4m(), 'v2');
  try {
    await expectVerdict(page, 'several-faces', /More than one face/, 'several-faces');
    expect(Number(await page.getByTestId('face-verdict').getAttribute('data-faces'))).toBeGreaterThanOrEqual(2);
  } finally {
    await browser.close();
  }
});

test('the same person at a third of the guide: "Face too small"', async () => {
  const { browser, page } = await cameraWith(smallPersonY4m('left'), 'v2');
  try {
    await expectVerdict(page, 'too-small', /Face too small/, 'too-small');
  } finally {
    await browser.close();
  }
});

test('head and shoulders in the v1 waist-up guide: "Face too large"', async () => {
  const { browser, page } = await cameraWith(personY4m('left'), 'v1');
  try {
    await expectVerdict(page, 'too-large', /Face too large/, 'v1-too-large');
  } finally {
    await browser.close();
  }
});

test('a v2 take of one person keeps its faces second by second, and its review shows the face checks passing', async () => {
  const { browser, page, draftId } = await cameraWith(personY4m('left'), 'v2');
  try {
    await expect(page.getByTestId('face-verdict')).toHaveAttribute('data-verdict', 'good', { timeout: firstVerdictMs });
    await page.getByRole('button', { name: 'Record' }).click();
    await expect(page.getByTestId('camera-status')).toContainText('Recording');
    await page.waitForTimeout(8000);
    await page.getByRole('button', { name: 'Stop' }).click();
    const review = page.locator('section.video-review');
    await expect(review).toHaveAttribute('data-saved', 'true', { timeout: 60_000 });

    const take = readDraft(draftId).camera.videoTakes[0]!;
    expect(take.state).toBe('complete');
    const seconds = take.faces?.seconds ?? [];
    expect(seconds.length).toBeGreaterThanOrEqual(6);
    expect(seconds.filter((second) => second.faces === 1).length / seconds.length).toBeGreaterThanOrEqual(0.95);
    expect(seconds.some((second) => second.cut)).toBe(false);
    expect(take.faces?.descriptor?.length).toBe(1024);

    // The four face checks, as the review shows them: one face all along, no gap, no cut, a size that fits the oval.
    const check = (id: string) => review.locator(`[data-check="${id}"]`);
    await expect(check('face-one')).toHaveAttribute('data-verdict', 'pass');
    await expect(check('face-one')).toContainText(/Exactly one face in (9[5-9]|100) % of the take/);
    await expect(check('face-gap')).toHaveAttribute('data-verdict', 'pass');
    await expect(check('face-cuts')).toHaveAttribute('data-verdict', 'pass');
    await expect(check('face-cuts')).toContainText('One continuous shot.');
    await expect(check('face-size')).toHaveAttribute('data-verdict', 'pass');
    await expect(check('face-size')).toContainText(/The face is \d+ % of the guide's oval \(median/);
    const size = take.checks.find((item) => item.id === 'face-size')?.value ?? 0;
    expect(size).toBeGreaterThanOrEqual(faceQuality.sizeOfGuide.min);
    expect(size).toBeLessThanOrEqual(faceQuality.sizeOfGuide.max);
    await check('face-one').scrollIntoViewIfNeeded();
    await review.screenshot({ path: path.join(shots, 'faces-take-review.png') });
  } finally {
    await browser.close();
  }
});
