/**
 * The Person form in a real Chromium: guidance and a live count for the description, a client id
 * suggested from the name, errors beside fields, tag rows, and the ethnicity list from the service
 * (through the emulator), then from the cache when the service cannot be reached.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { type StudioBrowser, chromiumPath, launchChromium } from '../support/chromium';
import { type PrivateKeyring, keyringMissing, startPrivateKeyring } from '../support/keyring';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const key = 'person-form-e2e-key-5b7d0c2e91aa';
const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let keyring: PrivateKeyring;
let emulator: RunningEmulator;
let host: RunningHost;
let browser: StudioBrowser;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath], 'The Person form e2e test') ?? keyringMissing('The Person form e2e test');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  keyring = await startPrivateKeyring();
  emulator = await startEmulator({ apiKey: key, rateLimit: null });
  host = await startStudioHost({ env: keyring.env, args: ['--api-base-url', emulator.url] });
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'New draft' }).click();
  await expect(page.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await emulator?.close();
  await keyring?.stop();
});

const field = (label: string) => page.getByLabel(label, { exact: true });

test('without a key, ethnicity is typed and the form says where to set the key', async () => {
  await expect(field('Ethnicity')).toHaveJSProperty('tagName', 'INPUT');
  await expect(page.getByText(/Set the API key in Settings to load the list of ethnicities/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Open Settings' })).toHaveAttribute('href', '#/settings');
});

test('the description has guidance and a live character count', async () => {
  await expect(page.getByText('Communication style', { exact: true })).toBeVisible();
  await expect(page.getByText('0 / 5000 characters')).toBeVisible();
  await field('Description').fill('You are the head of research.');
  await expect(page.getByText('29 / 5000 characters')).toBeVisible();
  await field('Description').fill('Too short');
  await field('Description').blur();
  await expect(page.getByText(/at least 20 characters/)).toBeVisible();
  await field('Description').fill('You are the head of research. Calm, curious, and precise.');
  await expect(page.getByText(/at least 20 characters/)).toHaveCount(0);
});

test('the client id is suggested from the name and checked against the pattern', async () => {
  await field('First name').fill('José');
  await field('Last name').fill('Núñez Ortega');
  await page.getByRole('button', { name: 'Use “jose-nunez-ortega” (from the name)' }).click();
  await expect(field('Client id')).toHaveValue('jose-nunez-ortega');
  await field('Client id').fill('jose nunez!');
  await field('Client id').blur();
  await expect(page.getByText(/Use 1–32 letters, digits/)).toBeVisible();
  await expect(field('Client id')).toHaveAttribute('aria-invalid', 'true');
  await field('Client id').fill('EMP-00417');
  await expect(page.getByText(/Use 1–32 letters, digits/)).toHaveCount(0);
});

test('tags are key/value rows: duplicates are refused beside the row, the rest is saved', async () => {
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Tag 1 name').fill('department');
  await page.getByLabel('Tag 1 value').fill('research');
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Tag 2 name').fill('department');
  await page.getByLabel('Tag 2 value').fill('sales');
  await expect(page.getByText('“department” is already used above.')).toBeVisible();
  await page.getByLabel('Tag 2 name').fill('region');
  await expect(page.getByText('“department” is already used above.')).toHaveCount(0);
  await page.getByRole('button', { name: 'Add tag' }).click();
  await page.getByLabel('Tag 3 value').fill('orphan value');
  await expect(page.getByText('Give this tag a name.')).toBeVisible();
  await page.getByRole('button', { name: 'Remove tag 3' }).click();
  await field('First name').click();
  await expect(page.getByText('All changes saved')).toBeVisible();

  await page.reload();
  await expect(page.getByLabel('Tag 1 name')).toHaveValue('department');
  await expect(page.getByLabel('Tag 2 name')).toHaveValue('region');
  await expect(page.getByLabel('Tag 2 value')).toHaveValue('sales');
  await expect(page.getByLabel('Tag 3 name')).toHaveCount(0);
  await expect(field('Client id')).toHaveValue('EMP-00417');
});

test('once a key is set, ethnicity is chosen from the service’s list', async () => {
  // Set elsewhere (another window): the form hears `apiKey/changed` and loads the list.
  const set = await page.evaluate(
    async ({ token, value }) => {
      const response = await fetch('/api/call/apiKey/set', {
        method: 'POST',
        headers: { 'x-studio-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ key: value }),
      });
      return (await response.json()).ok as boolean;
    },
    { token: host.token, value: key },
  );
  expect(set).toBe(true);
  await expect(field('Ethnicity')).toHaveJSProperty('tagName', 'SELECT');
  await expect(field('Ethnicity').locator('option')).toHaveCount(11);
  await field('Ethnicity').selectOption('Hispanic');
  await field('Gender').selectOption('male');
  await expect(page.getByText(/The service’s list, fetched/)).toBeVisible();
  await field('First name').click();
  await expect(page.getByText('All changes saved')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'person-form.png'), fullPage: true });
});

test('offline, the list comes from the cache with the time it was fetched', async () => {
  await emulator.close();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByText(/The list saved .*could not be refreshed/)).toBeVisible();
  await expect(field('Ethnicity')).toHaveValue('Hispanic');
  await expect(field('Ethnicity').locator('option')).toHaveCount(11);
  await expect(page.getByRole('link', { name: /Person: done/ })).toBeVisible();
});
