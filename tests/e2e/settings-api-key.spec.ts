/**
 * The API key through the Settings screen in a real Chromium against the browser host, which runs in
 * a private D-Bus session with a real gnome-keyring and talks to the emulator. The page may send the
 * key once (when it is saved) but must never receive it: every StudioApi answer and event the page
 * got, its DOM, the host's log and every file in the data folder are searched for it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { type StudioBrowser, chromiumPath, launchChromium } from '../support/chromium';
import { type PrivateKeyring, keyringMissing, startPrivateKeyring } from '../support/keyring';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const key = `nap_live_${randomBytes(20).toString('hex')}`;
const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let keyring: PrivateKeyring;
let emulator: RunningEmulator;
let host: RunningHost;
let browser: StudioBrowser;
let page: Page;
/** Bodies of every StudioApi answer, as the browser received them. */
const answers: { call: string; body: string }[] = [];
/** Every event frame the page's own event stream delivered, read inside the page. */
let pageEvents: () => Promise<string[]>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

async function lookupKey(): Promise<string | null> {
  try {
    return await keyring.secretTool('lookup', 'service', 'Twin Studio', 'username', 'napster-api-key');
  } catch (error) {
    if ((error as { code?: number }).code === 1) return null;
    throw error;
  }
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath], 'The API key e2e test') ?? keyringMissing('The API key e2e test');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  keyring = await startPrivateKeyring();
  emulator = await startEmulator({ apiKey: key, rateLimit: null });
  // The host process joins the private session bus, so it uses the test keyring and never the user's.
  host = await startStudioHost({ env: keyring.env, args: ['--api-base-url', emulator.url] });
  browser = await launchChromium();
  page = await browser.context.newPage();

  // Inside the page: copy every event-stream chunk the studio client reads (SSE bodies cannot be
  // read from outside until the stream ends).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __studioEvents: string[] }).__studioEvents = seen;
    const original = window.fetch.bind(window);
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      const response = await original(...args);
      const url = String(args[0] instanceof Request ? args[0].url : args[0]);
      if (url.includes('/api/events') && response.body) {
        const [mine, theirs] = response.body.tee();
        void (async () => {
          const reader = mine.pipeThrough(new TextDecoderStream()).getReader();
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            seen.push(value);
          }
        })();
        return new Response(theirs, { status: response.status, statusText: response.statusText, headers: response.headers });
      }
      return response;
    };
  });
  pageEvents = () => page.evaluate(() => (window as unknown as { __studioEvents: string[] }).__studioEvents.slice());
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/call/')) return;
    void response.text().then((body) => answers.push({ call: decodeURIComponent(url.pathname.slice('/api/call/'.length)), body }));
  });
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await emulator?.close();
  await keyring?.stop();
});

test('set the key in Settings: the keychain holds it, the page shows only its ending', async () => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByText('Not set')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Test key' })).toBeDisabled();

  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByText(`Configured, ends in …${key.slice(-4)}`)).toBeVisible();
  await expect(page.getByText('Key saved in the system keychain.')).toBeVisible();
  await expect(page.getByLabel('New API key')).toHaveValue('');
  expect(await lookupKey()).toBe(key);
  await page.screenshot({ path: path.join(shots, 'settings-api-key-set.png'), fullPage: true });

  await page.getByRole('button', { name: 'Test key' }).click();
  await expect(page.getByText('The service accepted the key.')).toBeVisible();
});

test('after a reload the key is still configured (read back from the keychain)', async () => {
  await page.reload();
  await expect(page.getByText(`Configured, ends in …${key.slice(-4)}`)).toBeVisible();
});

test('the Person form lists the service’s ethnicities once the key is set', async () => {
  await page.getByRole('button', { name: 'New draft' }).click();
  const ethnicity = page.getByLabel('Ethnicity', { exact: true });
  await expect(ethnicity.locator('option', { hasText: 'Caucasian' })).toHaveCount(1);
  await ethnicity.selectOption('East Asian');
  await expect(page.getByText(/The service’s list, fetched/)).toBeVisible();
  await page.getByLabel('First name', { exact: true }).click();
  await expect(page.getByText('All changes saved')).toBeVisible();
});

test('replacing it with a revoked key: the test says so; removing it asks first', async () => {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const revoked = `nap_live_${randomBytes(20).toString('hex')}`;
  await page.getByLabel('New API key').fill(revoked);
  await page.getByRole('button', { name: 'Replace key' }).click();
  await expect(page.getByText(`Configured, ends in …${revoked.slice(-4)}`)).toBeVisible();
  await page.getByRole('button', { name: 'Test key' }).click();
  await expect(page.getByText(/wrong, expired or revoked/)).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'settings-api-key-revoked.png'), fullPage: true });

  await page.getByRole('button', { name: 'Remove key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove the API key?' });
  await dialog.getByRole('button', { name: 'Remove key' }).click();
  await expect(page.getByText('Not set')).toBeVisible();
  expect(await lookupKey()).toBeNull();
  // Put the real key back for the search below: it must be absent even while configured.
  await page.getByLabel('API key', { exact: true }).fill(key);
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByText(`Configured, ends in …${key.slice(-4)}`)).toBeVisible();
});

test('the page never received the key, and the studio never wrote it down', async () => {
  await expect.poll(() => answers.some((answer) => answer.call === 'apiKey/set')).toBe(true);
  const events = await pageEvents();
  expect(events.join('')).toContain('apiKey/changed');
  expect(answers.map((answer) => answer.call)).toEqual(
    expect.arrayContaining(['apiKey/status', 'apiKey/set', 'apiKey/test', 'apiKey/remove', 'service/ethnicities']),
  );

  const piece = key.slice(10, 30);
  const haystacks: [string, string][] = [
    ...answers.map((answer): [string, string] => [`answer to ${answer.call}`, answer.body]),
    ['events', events.join('')],
    ['page DOM', await page.content()],
    ['page storage', await page.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }))],
    ['host log', host.log()],
    ...filesUnder(host.dataDir).map((file): [string, string] => [file, readFileSync(file).toString('latin1')]),
  ];
  expect(filesUnder(host.dataDir).some((file) => file.endsWith('ethnicities.json'))).toBe(true);
  for (const [where, text] of haystacks) {
    expect(text.includes(key), where).toBe(false);
    expect(text.includes(piece), where).toBe(false);
  }
  expect(await lookupKey()).toBe(key);
});
