/**
 * v2 not enabled for the organisation, in a real Chromium against the sandbox with v2 turned off
 * (`TWIN_STUDIO_SANDBOX_V2=off`): an approved v2 draft (voice take, 1280×720 video take, consent,
 * approval; made through the real handlers before the host starts) is submitted, the service's
 * `CompanionV2NotEnabled` is said plainly and everything is kept; the person takes a still from the
 * video, switches to v1 with it, approves again and submits: a v1 twin made from that still.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import type { Draft } from '../../shared/drafts';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { recordedPersonMp4 } from '../support/face-fixtures';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { openSeedStudio } from '../support/seed-studio';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let dataDir: string;
let draftId: string;
let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
const violations: string[] = [];

test.describe.configure({ mode: 'serial' });

async function shot(name: string) {
  await page.screenshot({ path: path.join(shots, `submission-v2-off-${name}.png`), fullPage: true });
}

function readDraft(): Draft {
  return JSON.parse(readFileSync(path.join(dataDir, 'sandbox', 'drafts', draftId, 'draft.json'), 'utf8')) as Draft;
}

/** An approved v2 draft with a voice take and a video take (no photo), in the sandbox folder of `dir`. */
async function seedV2Draft(dir: string): Promise<string> {
  const seed = await openSeedStudio(path.join(dir, 'sandbox'));
  const { call, recordTake, recorderWebm } = seed;
  try {
    const draft = await call('drafts/create', {
      person: {
        firstName: 'Vera',
        lastName: 'Twofold',
        description: 'Runs the front desk. Warm, quick, and always points people to the next step.',
        gender: 'female',
        ethnicity: 'Mixed',
        externalClientId: 'emp-v2off-1',
        avatarVersion: 'v2',
      },
    });
    const voice = await recordTake(draft.id, 'voice', recorderWebm(speechWav(70)), 'audio/webm;codecs=opus');
    await call('takes/choose', { draftId: draft.id, takeId: voice.id });
    const video = recordedPersonMp4({ seconds: 64, fps: 10, height: 720 });
    const take = await recordTake(draft.id, 'video', readFileSync(video), 'video/mp4;codecs=avc1,opus');
    await call('takes/choose', { draftId: draft.id, takeId: take.id });
    await seed.consentAndApprove(draft.id);
    return draft.id;
  } finally {
    await seed.close();
  }
}

test.beforeAll(async () => {
  test.setTimeout(420_000);
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'espeak-ng', 'sox'], 'The v2-not-enabled e2e test');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-v2-off-'));
  draftId = await seedV2Draft(dataDir);
  host = await startStudioHost({ dataDir, args: ['--sandbox'], env: { TWIN_STUDIO_SANDBOX_V2: 'off', TWIN_STUDIO_SANDBOX_GENERATION_SECONDS: '3' } });
  browser = await launchChromium();
  page = await browser.context.newPage();
  watchPageProblems(page, violations);
  await page.goto(host.url);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

test('v2 not enabled: said plainly, everything kept, and the offer to go on as v1', async () => {
  test.setTimeout(180_000);
  await page.goto(`${host.url}#/draft/${draftId}/submit`);
  await expect(page.getByRole('heading', { name: 'Submit', level: 2 })).toBeVisible();
  await page.getByTestId('submit-ready').getByRole('button', { name: 'Submit' }).click();
  const submission = page.getByTestId('submission');
  await expect(submission).toHaveAttribute('data-state', 'failed', { timeout: 120_000 });
  await expect(submission.getByRole('alert')).toContainText(
    'Avatar v2 is not enabled for your organisation, so the service made no twin. Ask Napster to enable v2, or submit this twin as v1 (made from a photo). Everything recorded and uploaded is kept.',
  );
  await expect(submission.getByText('Uploaded, public')).toHaveCount(2);
  // Kept: still the approved v2 draft, no photo yet.
  expect(readDraft().person.avatarVersion).toBe('v2');
  expect(readDraft().camera.photos).toEqual([]);
  const offer = page.getByTestId('v1-offer');
  await expect(offer.getByRole('heading', { name: 'Submit as v1 instead' })).toBeVisible();
  await expect(offer).toContainText('This draft has no photo yet.');
  await expect(offer.getByRole('button', { name: 'Switch to v1 with this photo' })).toBeDisabled();
  await shot('01-refused');
});

test('a still from the video, chosen by the person, makes the draft v1', async () => {
  test.setTimeout(180_000);
  const offer = page.getByTestId('v1-offer');
  await offer.getByRole('button', { name: 'Take a still from the video' }).click();
  const still = offer.getByRole('radio');
  await expect(still).toHaveCount(1, { timeout: 120_000 });
  await expect(still).toBeChecked();
  await expect(offer.locator('label.choice')).toContainText('1280×720');
  // Offered, not chosen: nothing about the draft changed yet.
  expect(readDraft().person.avatarVersion).toBe('v2');
  expect(readDraft().camera.chosenPhotoId).toBeNull();
  await shot('02-still');
  await offer.getByRole('button', { name: 'Switch to v1 with this photo' }).click();
  await expect(page.getByText('Now a v1 twin')).toBeVisible();
  await expect.poll(() => readDraft().person.avatarVersion).toBe('v1');
  expect(readDraft().camera.chosenPhotoId).toBe(readDraft().camera.photos[0]!.id);
  expect(readDraft().camera.videoTakes).toHaveLength(1);
});

test('approved again on Review, then submitted: a v1 twin made from the still', async () => {
  test.setTimeout(480_000);
  await page.getByRole('link', { name: 'Prepare the files and approve again on the Review step' }).click();
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Prepare files' }).click();
  const files = page.getByTestId('prepared-files');
  await expect(files.locator('[data-role="voice"][data-state="prepared"]')).toBeVisible({ timeout: 300_000 });
  await expect(files.locator('[data-role="photo"][data-state="prepared"]')).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Your name (reviewer)').fill('Rhea Reviewer');
  const warnings = page.locator('.warning-ack input');
  for (let index = 0; index < (await warnings.count()); index++) await warnings.nth(index).check();
  await page.getByRole('button', { name: 'Approve for submission' }).click();
  await expect(page.getByTestId('approval').getByText('Approved', { exact: true })).toBeVisible();

  await page.goto(`${host.url}#/draft/${draftId}/submit`);
  await expect(page.getByText('Approved as v1. Press “Try again” to submit it.')).toBeVisible();
  await page.getByRole('button', { name: 'Try again' }).click();
  const submission = page.getByTestId('submission');
  await expect(submission).toHaveAttribute('data-state', /following|done/, { timeout: 120_000 });
  await expect(page.getByTestId('v1-offer')).toHaveCount(0);
  await expect(submission).toHaveAttribute('data-state', 'done', { timeout: 120_000 });
  await shot('03-done');

  const state = JSON.parse(readFileSync(path.join(dataDir, 'sandbox', 'emulator-state.json'), 'utf8')) as {
    twins: { tags: Record<string, string>; version: string; pictureUrl: string | null; videoUrl: string | null; voiceUrl: string | null }[];
  };
  const twins = state.twins.filter((twin) => twin.tags.twinStudioDraft === draftId);
  expect(twins).toHaveLength(1);
  expect(twins[0]).toMatchObject({ version: 'v1', videoUrl: null, pictureUrl: expect.stringMatching(/\.jpg$/), voiceUrl: expect.stringMatching(/\.mp3$/) });
  expect(violations).toEqual([]);
});

test('a v2 draft can be made from a photo: the Camera step asks, and Review says so', async () => {
  await page.getByRole('button', { name: 'New draft' }).click();
  await expect(page.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
  const newId = /#\/draft\/([^/]+)\//.exec(page.url())![1]!;
  const read = () => JSON.parse(readFileSync(path.join(dataDir, 'sandbox', 'drafts', newId, 'draft.json'), 'utf8')) as Draft;
  expect(read().person.avatarVersion).toBe('v2');
  await page.getByRole('link', { name: /^Camera:/ }).click();
  const choice = page.getByTestId('v2-appearance');
  await expect(choice.getByRole('radio', { name: /a speaking video/ })).toBeChecked();
  await expect(page.getByRole('button', { name: 'Turn on camera and microphone' })).toBeVisible();
  await choice.getByRole('radio', { name: /a photo, when there is no video/ }).check();
  await expect.poll(() => read().camera.v2AppearanceFrom).toBe('photo');
  // The photo capture of v1, for a v2 twin.
  await expect(page.getByRole('button', { name: 'Turn on camera', exact: true })).toBeVisible();
  await expect(page.getByLabel('Import a picture')).toBeAttached();
  await expect(page.getByText('This v2 avatar is made from a photo')).toBeVisible();
  await expect(page.getByRole('link', { name: /^Camera:/ })).toContainText(/photo/);
  await page.getByRole('link', { name: /^Review:/ }).click();
  await expect(page.getByText('v2 · from a photo')).toBeVisible();
  await shot('04-v2-from-photo');
  expect(violations).toEqual([]);
});
