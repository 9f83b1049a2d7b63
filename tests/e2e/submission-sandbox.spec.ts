/**
 * The whole flow in the sandbox (`npm run studio:browser -- --sandbox`) in a real Chromium with fake
 * camera and microphone: a person's details, a voice take recorded for real (~63 s), a photo, the
 * review with its consent take and approval, the submission (upload to the sandbox's presign host,
 * the twin requested from the in-process emulator), the twin followed to readyToUse, then an agent.
 * Everything on the way says "Sandbox".
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import type { Draft } from '../../shared/drafts';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { personY4m } from '../support/face-fixtures';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
let draftId: string;
const violations: string[] = [];

test.describe.configure({ mode: 'serial' });

async function shot(name: string) {
  const height = await page.evaluate(() => document.getElementById('main')?.scrollHeight ?? 860);
  await page.setViewportSize({ width: 1360, height: Math.min(Math.max(height, 860), 4000) });
  await page.screenshot({ path: path.join(shots, `submission-${name}.png`) });
  await page.setViewportSize({ width: 1360, height: 860 });
}

function readDraft(id: string): Draft {
  return JSON.parse(readFileSync(path.join(host.dataDir, 'sandbox', 'drafts', id, 'draft.json'), 'utf8')) as Draft;
}

const field = (label: string) => page.getByLabel(label, { exact: true });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'espeak-ng', 'sox'], 'The sandbox submission e2e test');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  host = await startStudioHost({ args: ['--sandbox'], env: { TWIN_STUDIO_SANDBOX_GENERATION_SECONDS: '4' } });
  // A real face before the camera: a photo without one fails "One face" and is not chosen.
  browser = await launchChromium({ audio: speechWav(90), video: personY4m('left') });
  page = await browser.context.newPage();
  watchPageProblems(page, violations);
  await page.goto(host.url);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

test('the sandbox is marked as such and needs no account', async () => {
  await page.getByRole('link', { name: 'Twins', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Twins', level: 2 })).toBeVisible();
  await expect(page.locator('.badge-sandbox')).toBeVisible();
  await expect(page.getByText('local, not real')).toBeVisible();
  await expect(page.locator('.empty-state')).toContainText('No twins yet');
  expect(host.log()).toContain('sandbox running');
});

test('a person, a recorded voice take and a photo', async () => {
  test.setTimeout(240_000);
  await page.getByRole('button', { name: 'New draft' }).click();
  await expect(page.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
  draftId = /#\/draft\/([^/]+)\//.exec(page.url())![1]!;
  await field('First name').fill('Sandy');
  await field('Last name').fill('Boxer');
  await field('Description').fill('Runs the front desk. Warm, quick, and always points people to the next step.');
  await field('Client id').fill('emp-sandbox-1');
  await field('Gender').selectOption('female');
  // The key is the sandbox's own, so the list comes from the emulator.
  await expect(field('Ethnicity')).toHaveJSProperty('tagName', 'SELECT');
  await field('Ethnicity').selectOption('Mixed');
  await page.getByRole('radio', { name: /v1, from a photo/ }).check();
  await expect.poll(() => readDraft(draftId).person.avatarVersion).toBe('v1');
  await expect.poll(() => readDraft(draftId).person.ethnicity).toBe('Mixed');

  await page.getByRole('link', { name: /^Voice:/ }).click();
  await page.getByRole('button', { name: 'Turn on microphone' }).click();
  await expect(page.getByTestId('recorder-status')).toHaveText('Listening · not recording');
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await expect(page.getByTestId('recorder-status')).toContainText('Recording');
  const startedAt = Date.now();
  await expect(page.getByTestId('duration-state').first()).toHaveText('Good length', { timeout: 75_000 });
  while (Date.now() - startedAt < 63_000) await page.waitForTimeout(250);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.locator('section.review')).toHaveAttribute('data-saved', 'true', { timeout: 30_000 });
  await expect.poll(() => readDraft(draftId).voice.chosenTakeId, { timeout: 15_000 }).not.toBeNull();
  const take = readDraft(draftId).voice.takes[0]!;
  expect(take).toMatchObject({ source: 'recorded', state: 'complete' });

  await page.getByRole('link', { name: /^Camera:/ }).click();
  await page.getByRole('button', { name: 'Turn on camera' }).click();
  await expect(page.getByTestId('camera-status')).toHaveText('Live');
  await page.getByRole('button', { name: 'Take photo' }).click();
  // The first photo also starts the main process's face model (seconds on a busy machine).
  await expect(page.locator('.photo-grid li')).toHaveCount(1, { timeout: 60_000 });
  await expect.poll(() => readDraft(draftId).camera.chosenPhotoId, { timeout: 30_000 }).not.toBeNull();
});

test('the review: files prepared, consent recorded and attested, approved', async () => {
  // ffmpeg.wasm prepares the voice file: seconds on an idle machine, minutes when the two cores are shared.
  test.setTimeout(420_000);
  await page.getByRole('link', { name: /^Review:/ }).click();
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  await page.getByRole('button', { name: 'Prepare files' }).click();
  const files = page.getByTestId('prepared-files');
  await expect(files.locator('[data-role="voice"][data-state="prepared"]')).toBeVisible({ timeout: 300_000 });
  await expect(files.locator('[data-role="photo"][data-state="prepared"]')).toBeVisible({ timeout: 60_000 });

  await page.getByRole('button', { name: 'Record consent' }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await page.waitForTimeout(10_000);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('consent-take')).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Operator’s name').fill('Olive Operator');
  await page.getByLabel(/I saw and heard this person/).check();
  await page.getByRole('button', { name: 'Attest consent' }).click();
  await expect(page.getByTestId('attested')).toContainText('Olive Operator');

  await page.getByLabel('Your name (reviewer)').fill('Rhea Reviewer');
  const warnings = page.locator('.warning-ack input');
  for (let index = 0; index < (await warnings.count()); index++) await warnings.nth(index).check();
  await page.getByRole('button', { name: 'Approve for submission' }).click();
  await expect(page.getByTestId('approval').getByText('Approved', { exact: true })).toBeVisible();
});

test('submitted: uploaded to the sandbox host, the twin followed to readyToUse', async () => {
  test.setTimeout(120_000);
  await page.getByRole('link', { name: /^Submit:/ }).click();
  await expect(page.getByRole('heading', { name: 'Submit', level: 2 })).toBeVisible();
  await expect(page.locator('.badge-sandbox')).toBeVisible();
  const ready = page.getByTestId('submit-ready');
  await expect(ready.getByText('Approved on the Review step')).toBeVisible();
  await expect(ready.getByText('Sandbox storage')).toBeVisible();
  await shot('01-ready');
  await ready.getByRole('button', { name: 'Submit' }).click();
  const submission = page.getByTestId('submission');
  await expect(submission).toBeVisible();
  await expect(submission).toHaveAttribute('data-state', 'following', { timeout: 60_000 });
  await expect(page.getByTestId('submission-twin')).toContainText(/comp_/);
  await shot('02-following');
  await expect(submission).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('submission-state')).toHaveText('Twin ready');
  await expect(submission.locator('.submit-step.done')).toHaveCount(5);
  await expect(submission.getByText('Uploaded, public')).toHaveCount(2);
  await shot('03-done');

  // The emulator holds exactly one twin for this draft, tagged with it, made from the uploaded files.
  const state = JSON.parse(readFileSync(path.join(host.dataDir, 'sandbox', 'emulator-state.json'), 'utf8')) as {
    twins: { tags: Record<string, string>; voiceUrl: string; pictureUrl: string }[];
  };
  const twins = state.twins.filter((twin) => twin.tags.twinStudioDraft === draftId);
  expect(twins).toHaveLength(1);
  expect(twins[0]!.voiceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/[0-9a-f]{64}\.mp3$/);
  expect(twins[0]!.pictureUrl).toMatch(/\.jpg$/);
});

test('the Twins screen shows the ready twin with its preview, and makes an agent', async () => {
  await page.getByRole('link', { name: 'Make an agent from it on the Twins screen.' }).click();
  await expect(page.getByRole('heading', { name: 'Twins', level: 2 })).toBeVisible();
  const card = page.getByTestId('twin-card').filter({ hasText: 'Sandy Boxer' });
  await expect(card).toHaveAttribute('data-status', /readyToUse|completed/);
  await expect(card.getByRole('img', { name: 'Preview of Sandy Boxer' })).toBeVisible();
  await card.getByRole('button', { name: 'New agent…' }).click();
  await card.getByLabel('Agent name').fill('Front desk');
  await card.getByLabel('Temperature').fill('0.5');
  await card.getByLabel('Instructions (optional)').fill('Greet visitors and find who they came to see.');
  await card.getByRole('button', { name: 'Create agent' }).click();
  await expect(page.getByTestId('created-agent')).toContainText(/Front desk: agent_/);
  await expect(card.getByTestId('agent')).toContainText('Front desk');
  await page.getByLabel('Search twins').fill('Boxer');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('twin-card')).toHaveCount(1);
  await shot('04-twins-agent');
  expect(violations).toEqual([]);
});
