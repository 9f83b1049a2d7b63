/**
 * The library, the offline review and the consent record in a real Chromium with fake camera and
 * microphone: every draft listed with its picture and state; the review of everything that will be
 * submitted; approval closed until the consent is recorded and attested and every warning
 * acknowledged; the receipt; delete with undo; export, import elsewhere, a tampered archive refused.
 */
import { mkdirSync, mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { type StudioBrowser, chromiumPath, launchChromium } from '../support/chromium';
import { seedLibrary, type Seeded } from '../support/library-seed';
import { cameraY4m, speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let seeded: Seeded;
let host: RunningHost;
let elsewhere: RunningHost;
let browser: StudioBrowser;
let page: Page;
let archivePath: string;

test.describe.configure({ mode: 'serial' });

/** The page scrolls inside <main>: grow the viewport to the content so the picture shows all of it. */
async function shot(name: string, whole = true) {
  const height = whole ? await page.evaluate(() => document.getElementById('main')?.scrollHeight ?? 860) : 860;
  await page.setViewportSize({ width: 1360, height: Math.min(Math.max(height, 860), 5000) });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
  await page.setViewportSize({ width: 1360, height: 860 });
}

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'espeak-ng', 'sox'], 'The library and review e2e test');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  seeded = await seedLibrary();
  host = await startStudioHost({ dataDir: seeded.dataDir });
  browser = await launchChromium({ audio: speechWav(30), video: cameraY4m() });
  page = await browser.context.newPage();
  await page.goto(host.url);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await elsewhere?.stop();
});

const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name }) });

test('the library lists every draft with its picture, progress, check verdicts and state', async () => {
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Library', level: 2 })).toBeVisible();
  await expect(page.getByRole('row')).toHaveCount(4);
  const ada = row('Ada Lovelace');
  await expect(ada.locator('img.thumb')).toHaveAttribute('src', new RegExp(`/media/${seeded.ada}/photo-seed\\.jpg$`));
  await expect(ada.getByText('Ready for review')).toBeVisible();
  await expect(ada.getByLabel(/3 of 5 steps done/)).toBeVisible();
  await expect(ada.getByLabel(/\d+ pass, 1 warnings, 0 fail/)).toBeVisible();
  // A video thumbnail for the v2 draft, initials for the empty one.
  await expect(row('Grace Hopper').locator('video')).toHaveAttribute('src', /video-seed\.webm#t=1$/);
  await expect(row('Alan Turing').locator('.thumb-initials')).toHaveText('AT');
  await expect(page.getByText(seeded.dataDir, { exact: true })).toBeVisible();
  await expect(page.getByText(/in use · .* free on this disk/)).toBeVisible();
  await shot('library-01-list');
});

test('search narrows the list and sort orders it', async () => {
  await page.getByLabel('Search the library').fill('hop');
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(row('Grace Hopper')).toBeVisible();
  await page.getByLabel('Search the library').fill('');
  await page.getByLabel('Sort by').selectOption('name');
  const names = await page.locator('.library-name a').allTextContents();
  expect(names).toEqual(['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
  await page.getByLabel('Sort by').selectOption('progress');
  expect((await page.locator('.library-name a').allTextContents())[0]).toBe('Ada Lovelace');
});

test('the review shows everything that will be submitted, and approval stays closed without consent', async () => {
  await row('Ada Lovelace').getByRole('link', { name: 'Ada Lovelace' }).click();
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  const blockers = page.getByTestId('blockers');
  await expect(blockers.locator('[data-blocker="consent:take"]')).toBeVisible();
  await expect(blockers.locator('[data-blocker="consent:attestation"]')).toBeVisible();
  await expect(blockers.locator('[data-blocker="prepared:voice"]')).toBeVisible();
  // The form fields, the voice take with its waveform and checks, the photo.
  await expect(page.getByText('emp-1815')).toBeVisible();
  await expect(page.locator('.review-player[data-ready="true"]')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Waveform of the chosen voice take' })).toBeVisible();
  await expect(page.locator('[data-check="level"]').first()).toBeVisible();
  await expect(page.getByRole('img', { name: /Reference photo, 1920×1080/ })).toBeVisible();
  await expect(page.getByTestId('consent-statement')).toContainText('My name is Ada Lovelace.');
  await expect(page.getByRole('button', { name: 'Approve for submission' })).toBeDisabled();
  await shot('review-01-not-ready');
});

test('preparing shows the exact files: format, duration, size and hash', async () => {
  const files = page.getByTestId('prepared-files');
  // Cancelled at once: nothing is recorded as prepared, and it says so without an error.
  await page.getByRole('button', { name: 'Prepare files' }).click();
  await files.getByRole('status').getByRole('button', { name: 'Cancel' }).click();
  await expect(files.getByText('Preparation was cancelled.', { exact: false })).toBeVisible({ timeout: 30_000 });
  await expect(files.getByRole('alert')).toHaveCount(0);
  await expect(files.locator('[data-role="voice"]')).toHaveAttribute('data-state', 'missing');

  await page.getByRole('button', { name: 'Prepare files' }).click();
  await expect(files.locator('[data-role="voice"][data-state="prepared"]')).toBeVisible({ timeout: 60_000 });
  await expect(files.locator('[data-role="photo"][data-state="prepared"]')).toBeVisible();
  await expect(files.locator('[data-role="voice"]')).toContainText('MP3');
  await expect(files.locator('[data-role="voice"]')).toContainText(/1:0\d|1:1\d/);
  await expect(files.getByRole('img', { name: 'Prepared photo' })).toBeVisible();
  await expect(page.getByTestId('blockers').locator('[data-blocker^="prepared"]')).toHaveCount(0);
});

test('the consent is recorded on camera, played back and attested', async () => {
  const code = (await page.locator('.consent-code strong').textContent())!;
  expect(code).toMatch(/^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
  await page.getByRole('button', { name: 'Record consent' }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(page.locator('.consent-preview')).toBeVisible();
  await shot('review-02-consent-recording', false);
  await page.waitForTimeout(10_000);
  await page.getByRole('button', { name: 'Stop' }).click();
  const take = page.getByTestId('consent-take');
  await expect(take).toBeVisible({ timeout: 30_000 });
  await expect(take.locator('[data-check="duration"][data-verdict="pass"]')).toBeVisible();
  await expect(take.locator('[data-check="speech"][data-verdict="pass"]')).toBeVisible();
  await page.getByLabel('Operator’s name').fill('Grace Operator');
  await expect(page.getByRole('button', { name: 'Attest consent' })).toBeDisabled();
  await page.getByLabel(/I saw and heard this person/).check();
  await page.getByRole('button', { name: 'Attest consent' }).click();
  await expect(page.getByTestId('attested')).toContainText('Grace Operator');
});

test('approval needs every warning acknowledged, then writes a receipt that can be saved', async () => {
  await expect(page.getByText('Ready for approval')).toBeVisible();
  const approve = page.getByRole('button', { name: 'Approve for submission' });
  await page.getByLabel('Your name (reviewer)').fill('Rita Reviewer');
  const warnings = page.locator('.warning-ack input');
  const count = await warnings.count();
  expect(count).toBeGreaterThan(0);
  await expect(approve).toBeDisabled();
  await shot('review-03-ready');
  for (let index = 0; index < count; index++) await warnings.nth(index).check();
  await expect(approve).toBeEnabled();
  await approve.click();
  const approval = page.getByTestId('approval');
  await expect(approval.getByText('Approved', { exact: true })).toBeVisible();
  await expect(page.getByText(/Approved by Rita Reviewer/).first()).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save consent receipt' }).click()]);
  const receipt = JSON.parse(readFileSync((await download.path())!, 'utf8'));
  expect(receipt).toMatchObject({ kind: 'twin-studio-consent-receipt', approvedBy: 'Rita Reviewer', operator: { name: 'Grace Operator' } });
  expect(receipt.statement).toContain('My name is Ada Lovelace.');
  expect(receipt.files.map((file: { role: string }) => file.role)).toEqual(['voice', 'photo']);
  await shot('review-04-approved');
});

test('a deleted draft goes to the trash and comes back with Undo or Restore', async () => {
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  await row('Alan Turing').getByRole('button', { name: 'Delete Alan Turing' }).click();
  const toast = page.getByRole('status').filter({ hasText: 'Deleted Alan Turing' });
  await expect(toast).toBeVisible();
  await expect(row('Alan Turing')).toHaveCount(0);
  await expect(page.locator('.trash-list')).toContainText('Alan Turing');
  await shot('library-02-deleted');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('heading', { name: 'Alan Turing', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  await row('Alan Turing').getByRole('button', { name: 'Delete Alan Turing' }).click();
  await page.getByRole('button', { name: 'Restore Alan Turing' }).click();
  await expect(page.getByRole('heading', { name: 'Alan Turing', level: 1 })).toBeVisible();
});

test('duplicating a draft copies its material but not its consent', async () => {
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  await row('Grace Hopper').getByRole('button', { name: 'Duplicate Grace Hopper' }).click();
  await expect(page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Grace Hopper' }) })).toHaveCount(2);
});

test('an approved draft is exported, downloaded and imported into another data folder with its approval', async () => {
  await row('Ada Lovelace').getByRole('button', { name: 'Export Ada Lovelace' }).click();
  await expect(page.getByText(/Exported one draft/)).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download a copy' }).click()]);
  archivePath = path.join(mkdtempSync(path.join(os.tmpdir(), 'library-e2e-')), download.suggestedFilename());
  await download.saveAs(archivePath);
  expect(path.basename(archivePath)).toMatch(/^twin-studio-ada-lovelace-\d{8}-\d{6}\.zip$/);
  await shot('library-03-exported', false);

  elsewhere = await startStudioHost();
  await page.goto(elsewhere.url);
  await page.goto(`${elsewhere.origin}/#/library`);
  await expect(page.locator('.empty-state')).toContainText('No drafts yet');
  await page.getByLabel('Import an archive').setInputFiles(archivePath);
  await expect(page.getByText('Imported Ada Lovelace')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText(/Every file matched its SHA-256/)).toBeVisible();
  await expect(row('Ada Lovelace').getByText('Approved')).toBeVisible();
  await shot('library-04-imported');
  await page.getByRole('link', { name: 'Review Ada Lovelace' }).click();
  await expect(page.getByTestId('approval').getByText('Approved', { exact: true })).toBeVisible();
  await expect(page.getByTestId('prepared-files').locator('[data-state="prepared"]')).toHaveCount(2);
});

test('a tampered archive is refused with a clear message, and nothing is imported', async () => {
  // One byte of the consent take changed: still a valid zip, but no longer the file the manifest hashed.
  const bytes = await fs.readFile(archivePath);
  const tampered = Buffer.from(bytes);
  const at = tampered.indexOf(Buffer.from('webm')) + 4000;
  tampered[at] = tampered[at]! ^ 0xff;
  const target = path.join(path.dirname(archivePath), 'tampered.zip');
  await fs.writeFile(target, tampered);

  await elsewhere?.stop();
  elsewhere = await startStudioHost();
  await page.goto(elsewhere.url);
  await page.goto(`${elsewhere.origin}/#/library`);
  await page.getByLabel('Import an archive').setInputFiles(target);
  const refusal = page.getByRole('alert').filter({ hasText: 'The archive was refused' });
  await expect(refusal).toBeVisible({ timeout: 30_000 });
  await expect(refusal).toContainText(/damaged or changed|damaged/);
  await expect(refusal).toContainText('Nothing was imported.');
  await expect(page.locator('.empty-state')).toContainText('No drafts yet');
  expect(await fs.readdir(path.join(elsewhere.dataDir, 'drafts'))).toEqual([]);
  await shot('library-05-refused', false);
});
