/**
 * One truth about a draft's state, in a real Chromium against the sandbox: two approved drafts
 * (made through the real handlers before the host starts) are submitted, and the sidebar, the step
 * bar, the Library and Submit say the same words at each stage; a v2 draft whose voice is its
 * video's sound says so on the Voice screen and in the step bar; one file is "the approved file".
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Locator, type Page, expect, test } from '@playwright/test';
import { type ApprovedSeed, seedApprovedDrafts } from '../support/approved-seed';
import { type StudioBrowser, chromiumPath, launchChromium, watchPageProblems } from '../support/chromium';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let seed: ApprovedSeed;
let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
const violations: string[] = [];

test.describe.configure({ mode: 'serial' });

async function shot(name: string) {
  await page.screenshot({ path: path.join(shots, `draft-status-${name}.png`), fullPage: true });
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const missing = missingPrerequisite([chromiumPath, 'ffmpeg', 'espeak-ng', 'sox'], 'The draft status e2e tests');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  seed = await seedApprovedDrafts();
  // Generation takes 30 s, then 30 s per later status: long enough to compare the screens while it runs.
  host = await startStudioHost({ dataDir: seed.dataDir, args: ['--sandbox'], env: { TWIN_STUDIO_SANDBOX_GENERATION_SECONDS: '30' } });
  browser = await launchChromium();
  page = await browser.context.newPage();
  watchPageProblems(page, violations);
  await page.goto(host.url);
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (seed) rmSync(seed.dataDir, { recursive: true, force: true });
});

/** The draft's line in the sidebar. */
const sidebar = (name: string): Locator =>
  page
    .getByRole('navigation', { name: 'Drafts' })
    .getByRole('link', { name: new RegExp(name) })
    .getByTestId('draft-status');
/** The draft's State in the Library. */
const library = (name: string): Locator =>
  page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name, exact: true }) })
    .getByTestId('draft-status');
/** What the step bar says under "Submit". */
const submitStep = (): Locator => page.getByRole('link', { name: /^Submit:/ }).locator('.step-status');

async function openStep(draftId: string, step: string) {
  await page.goto(`${host.url}#/draft/${draftId}/${step}`);
  await expect(page.getByRole('heading', { name: step.charAt(0).toUpperCase() + step.slice(1), level: 2 })).toBeVisible();
}

async function openLibrary() {
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Library', level: 2 })).toBeVisible();
}

test('approved and not yet submitted: the sidebar and the Library say “Approved”', async () => {
  const { name } = seed.photoDraft;
  await expect(sidebar(name)).toHaveText('Approved');
  await openLibrary();
  await expect(library(name)).toHaveText('Approved');
  await expect(library(seed.videoDraft.name)).toHaveText('Approved');
  await openStep(seed.photoDraft.id, 'submit');
  await expect(submitStep()).toHaveText('submission');
  await expect(page.getByTestId('submit-ready').getByText('Approved on the Review step')).toBeVisible();
});

test('a v2 draft whose voice is the video’s sound: the step bar and the Voice screen both say so', async () => {
  await openStep(seed.videoDraft.id, 'voice');
  const voiceStep = page.getByRole('link', { name: /^Voice:/ });
  await expect(voiceStep).toHaveAccessibleName('Voice: done: the voice is the chosen video’s sound');
  await expect(voiceStep.locator('.step-status')).toHaveText('Video’s sound');
  const notice = page.getByTestId('voice-from-video');
  await expect(notice).toContainText('The voice comes from the video’s sound');
  await expect(notice).toContainText(/cloned from the sound of the chosen video take \(1:04\), so no voice take is needed or sent/);
  await expect(page.getByText('No takes yet', { exact: false })).toHaveCount(0);
  await expect(page.getByText('No voice takes, and none is needed while the voice is the video’s sound.')).toBeVisible();
  await shot('01-voice-from-video');
});

test('submitted: the sidebar, the step bar, the Library and Submit say the same while the twin is made and once it is ready', async () => {
  test.setTimeout(240_000);
  const { id, name } = seed.photoDraft;
  await openStep(id, 'submit');
  await page.getByTestId('submit-ready').getByRole('button', { name: 'Submit' }).click();
  const badge = page.getByTestId('submission-state');

  // While the service makes the twin.
  await expect(badge).toHaveText('Twin generating', { timeout: 60_000 });
  await expect(sidebar(name)).toHaveText('Twin generating');
  await expect(submitStep()).toHaveText('Twin generating');
  await shot('02-submit-generating');
  await openLibrary();
  await expect(library(name)).toHaveText('Twin generating');
  await expect(sidebar(name)).toHaveText('Twin generating');
  await shot('03-library-generating');

  // Ready: the words the reporter saw differ ("ready for review" beside "Twin ready") are one now.
  await expect(library(name)).toHaveText('Twin ready', { timeout: 120_000 });
  await expect(sidebar(name)).toHaveText('Twin ready');
  await shot('04-library-ready');
  await openStep(id, 'submit');
  await expect(badge).toHaveText('Twin ready');
  await expect(submitStep()).toHaveText('Twin ready');
  await expect(sidebar(name)).toHaveText('Twin ready');
  await expect(page.getByRole('link', { name: /^Submit:/ })).toHaveClass(/done/);
  await expect(page.getByTestId('submission-twin')).toContainText('Ready to use');
  // Two files: "the 2 approved files are intact".
  await page.getByText('What happened').click();
  await expect(page.locator('.submit-history')).toContainText('The 2 approved files are intact.');
  await shot('05-submit-ready');
});

test('one file to submit is “the approved file”, not “the 1 approved files”', async () => {
  test.setTimeout(120_000);
  const { id, name } = seed.videoDraft;
  await openStep(id, 'submit');
  await page.getByTestId('submit-ready').getByRole('button', { name: 'Submit' }).click();
  await expect(page.getByTestId('submission')).toHaveAttribute('data-state', /following|done/, { timeout: 60_000 });
  await page.getByText('What happened').click();
  const history = page.locator('.submit-history');
  await expect(history).toContainText('The approved file is intact.');
  await expect(history).not.toContainText('1 approved files');
  // The sidebar follows the same submission as the badge.
  await expect
    .poll(async () => {
      const [here, there] = [await page.getByTestId('submission-state').textContent(), await sidebar(name).textContent()];
      return here === there ? here : `Submit “${here}”, sidebar “${there}”`;
    })
    .toMatch(/^Twin /);
  await shot('06-one-file');
  expect(violations).toEqual([]);
});
