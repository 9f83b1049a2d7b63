/**
 * "Same person" end to end, in a real Chromium whose fake camera plays one person (A) and with
 * photos imported through the real handlers (so their faces were found by the main process's face
 * model): the photo's checks show its one face; a consent take of A against a photo of another
 * person (B) is a mismatch that keeps approval closed until the reviewer gives a reason, which the
 * receipt records with the scores; against a photo of A itself the faces match and nothing is asked.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import type { ConsentReceipt } from '../../shared/consent';
import type { Draft, Photo } from '../../shared/drafts';
import { type StudioBrowser, chromiumPath, launchChromium } from '../support/chromium';
import { personPhoto, personY4m } from '../support/face-fixtures';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { openSeedStudio } from '../support/seed-studio';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
let draftId = '';
const photos: { same: string; other: string } = { same: '', other: '' };

test.describe.configure({ mode: 'serial' });
// The page's face model loads on two shared cores before the consent take can carry a descriptor.
test.setTimeout(360_000);

function readDraft(): Draft {
  return JSON.parse(readFileSync(path.join(host.dataDir, 'drafts', draftId, 'draft.json'), 'utf8')) as Draft;
}

function readReceipt(): ConsentReceipt {
  const draft = readDraft();
  return JSON.parse(readFileSync(path.join(host.dataDir, 'drafts', draftId, draft.approval!.receiptFileName!), 'utf8')) as ConsentReceipt;
}

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'espeak-ng', 'sox'], 'The same-person end-to-end test');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  // A complete v1 draft: a voice take and two imported photos, one of A and one of B (chosen).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-faces-'));
  const seed = await openSeedStudio(dataDir);
  try {
    const draft = await seed.call('drafts/create', {
      person: {
        firstName: 'Ada',
        lastName: 'Lovelace',
        description: 'Head of research. Explains engines patiently, precisely and with warmth; prefers examples to theory.',
        gender: 'female',
        ethnicity: 'white',
        externalClientId: 'emp-1815',
        avatarVersion: 'v1',
      },
    });
    draftId = draft.id;
    const voice = await seed.recordTake(draftId, 'voice', seed.recorderWebm(speechWav(70)), 'audio/webm;codecs=opus');
    await seed.call('takes/choose', { draftId, takeId: voice.id });
    const importPhoto = async (file: string, name: string): Promise<Photo> => {
      const bytes = readFileSync(file);
      const { photoId } = await seed.call('camera/photoBegin', {
        draftId,
        source: 'imported',
        mimeType: 'image/jpeg',
        originalName: name,
        expectedBytes: bytes.length,
      });
      await seed.call('camera/photoAppend', { draftId, photoId, seq: 0, bytes: new Uint8Array(bytes) });
      return seed.call('camera/photoFinish', { draftId, photoId });
    };
    photos.same = (await importPhoto(personPhoto('left'), 'person-a.jpg')).id;
    photos.other = (await importPhoto(personPhoto('other'), 'person-b.jpg')).id;
    await seed.call('camera/photoChoose', { draftId, photoId: photos.other });
  } finally {
    await seed.close();
  }
  host = await startStudioHost({ dataDir });
  browser = await launchChromium({ audio: speechWav(30), video: personY4m('left') });
  page = await browser.context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.log(`page ${message.type()}: ${message.text()}`);
  });
  await page.setViewportSize({ width: 1360, height: 1100 });
  await page.goto(host.url);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function openStep(step: 'camera' | 'review') {
  await page.goto(`${host.origin}/#/draft/${draftId}/${step}`);
  await expect(page.getByRole('heading', { name: step === 'camera' ? 'Camera' : 'Review', level: 2 })).toBeVisible();
}

/** Approval with the reviewer's name and every warning ticked; `reason` for a mismatch. */
async function fillApproval(reason?: string) {
  await page.getByLabel('Your name (reviewer)').fill('Rita Reviewer');
  const warnings = page.locator('.warning-ack input');
  const count = await warnings.count();
  for (let index = 0; index < count; index++) await warnings.nth(index).check();
  if (reason !== undefined) await page.getByLabel(/The faces look like different people/).fill(reason);
}

test("an imported photo's checks show its one face, found by the main process", async () => {
  const draft = readDraft();
  for (const id of [photos.same, photos.other]) {
    const photo = draft.camera.photos.find((item) => item.id === id)!;
    expect(photo.faces?.count).toBe(1);
    expect(photo.faces?.descriptor).toHaveLength(1024);
  }
  await openStep('camera');
  await page.locator(`li[data-photo="${photos.other}"] button`).click();
  const detail = page.locator(`.photo-detail[data-photo="${photos.other}"]`);
  await expect(detail.locator('[data-check="face-one"][data-verdict="pass"]')).toContainText('One face');
  await expect(detail.locator('[data-check="face-framing"]')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'faces-photo-checks.png') });
});

test('a consent take of another person than the photo blocks approval until the reviewer gives a reason', async () => {
  await openStep('review');
  await page.getByRole('button', { name: 'Prepare files' }).click();
  await expect(page.getByTestId('prepared-files').locator('[data-role="photo"][data-state="prepared"]')).toBeVisible({ timeout: 120_000 });

  await page.getByRole('button', { name: 'Record consent' }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  // The descriptor is taken while the take records, once the page's model has loaded and sees the face.
  await expect(page.getByTestId('face-verdict')).toHaveAttribute('data-faces', '1', { timeout: 240_000 });
  // The first descriptor also warms the descriptor model up: on two busy cores that takes a while.
  await page.waitForTimeout(30_000);
  await page.locator('.consent').screenshot({ path: path.join(shots, 'faces-consent-recording.png') });
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('consent-take')).toBeVisible({ timeout: 60_000 });
  await expect.poll(() => readDraft().consent.take?.faces?.descriptor?.length ?? 0, { timeout: 30_000 }).toBe(1024);

  await page.getByLabel('Operator’s name').fill('Grace Operator');
  await page.getByLabel(/I saw and heard this person/).check();
  await page.getByRole('button', { name: 'Attest consent' }).click();
  await expect(page.getByTestId('attested')).toContainText('Grace Operator');

  const row = page.getByTestId('likeness').locator('.likeness-row').filter({ hasText: 'Consent take and photo' });
  await expect(row).toHaveAttribute('data-same', 'false');
  await expect(row).toContainText('Looks like a different person');
  const approve = page.getByRole('button', { name: 'Approve for submission' });
  await fillApproval();
  await expect(approve).toBeDisabled();
  // Nothing on the page says all is well while the faces differ.
  await expect(page.getByTestId('approval-badge')).toHaveText('Faces to confirm');
  await expect(page.getByText(/Every hard rule passes|Ready for approval/)).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'faces-mismatch-blocked.png'), fullPage: true });
  await fillApproval('Checked in person: the photo is ten years old');
  await expect(approve).toBeEnabled();
  await approve.click();
  await expect(page.getByTestId('approval').getByText('Approved', { exact: true })).toBeVisible({ timeout: 60_000 });

  const receipt = readReceipt();
  expect(receipt.likeness?.override).toBe('Checked in person: the photo is ten years old');
  const comparison = receipt.likeness?.comparisons.find((item) => item.id === 'consent-photo');
  expect(comparison).toMatchObject({ same: false });
  expect(comparison!.similarity).toBeLessThan(0.8);
});

test('against a photo of the same person the faces match and approval asks for no reason', async () => {
  await openStep('camera');
  await page.locator(`li[data-photo="${photos.same}"] button`).click();
  await page.getByRole('button', { name: 'Use this photo' }).click();
  await expect.poll(() => readDraft().camera.chosenPhotoId).toBe(photos.same);

  await openStep('review');
  await page.getByRole('button', { name: 'Prepare files' }).click();
  await expect(page.getByTestId('prepared-files').locator('[data-role="photo"][data-state="prepared"]')).toBeVisible({ timeout: 120_000 });
  const row = page.getByTestId('likeness').locator('.likeness-row').filter({ hasText: 'Consent take and photo' });
  await expect(row).toHaveAttribute('data-same', 'true');
  await expect(row).toContainText('Same person');
  await expect(page.getByLabel(/The faces look like different people/)).toHaveCount(0);
  await fillApproval();
  const approve = page.getByRole('button', { name: 'Approve for submission' });
  await expect(approve).toBeEnabled();
  await expect(page.getByTestId('approval-badge')).toHaveText('Every hard rule passes');
  await page.screenshot({ path: path.join(shots, 'faces-same-person.png'), fullPage: true });
  await approve.click();
  await expect(page.getByTestId('approval').getByText('Approved', { exact: true })).toBeVisible({ timeout: 60_000 });
  const receipt = readReceipt();
  expect(receipt.likeness?.override).toBeNull();
  expect(receipt.likeness?.comparisons.find((item) => item.id === 'consent-photo')).toMatchObject({ same: true });
});
