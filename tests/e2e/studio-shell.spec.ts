/**
 * The studio's frame in a real Chromium against the browser host: every screen reachable and
 * screenshotted, keyboard use, draft life cycle, and the host's security rules.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { type StudioBrowser, chromiumPath, launchChromium } from '../support/chromium';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');

let host: RunningHost;
let browser: StudioBrowser;
let page: Page;

// One browser session walks through the studio in order, like a person would.
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath], 'The browser end-to-end tests');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  host = await startStudioHost();
  browser = await launchChromium();
  page = await browser.context.newPage();
});

test.afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function shot(name: string) {
  await page.screenshot({ path: path.join(shots, `shell-${name}.png`), fullPage: true });
}

test('opens with the launch URL and hides the token from the address bar', async () => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Create a digital twin' })).toBeVisible();
  expect(page.url()).not.toContain(host.token);
  await shot('01-welcome');
});

test('the page has no Node and no Electron bridge', async () => {
  const globals = await page.evaluate(() => ({
    require: typeof (globalThis as Record<string, unknown>).require,
    process: typeof (globalThis as Record<string, unknown>).process,
    bridge: typeof (globalThis as Record<string, unknown>).studioBridge,
    module: typeof (globalThis as Record<string, unknown>).module,
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', bridge: 'undefined', module: 'undefined' });
});

test('a new draft starts on the Person step and keeps what is typed', async () => {
  await page.getByRole('button', { name: 'New draft' }).click();
  await expect(page.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
  await page.getByLabel('First name', { exact: true }).fill('Ada');
  await page.getByLabel('Last name', { exact: true }).fill('Lovelace');
  await page.getByLabel('Last name', { exact: true }).blur();
  await expect(page.getByText('All changes saved')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Ada Lovelace', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: /Ada Lovelace/ })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('First name', { exact: true })).toHaveValue('Ada');
  await shot('02-person');
});

test('every step and screen can be reached and says what it still needs', async () => {
  for (const step of ['Voice', 'Camera', 'Review', 'Submit', 'Person']) {
    await page.getByRole('link', { name: new RegExp(`^${step}:`) }).click();
    await expect(page.getByRole('heading', { name: step, level: 2 })).toBeVisible();
    await shot(`03-step-${step.toLowerCase()}`);
  }
  await expect(page.getByRole('link', { name: /^Voice: needs a voice take/ })).toBeVisible();
  await page.getByRole('link', { name: /^Review:/ }).click();
  await expect(page.getByText('Not ready for review')).toBeVisible();
  for (const screen of ['Twins', 'Settings']) {
    await page.getByRole('link', { name: screen, exact: true }).click();
    await expect(page.getByRole('heading', { name: screen, level: 2 })).toBeVisible();
    await shot(`04-${screen.toLowerCase()}`);
  }
  await expect(page.getByText(host.dataDir)).toBeVisible();
});

test('the studio is usable from the keyboard', async () => {
  await page.goto(`${host.origin}/#/`);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Create a digital twin' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'New draft' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Person', level: 2 })).toBeVisible();
  await page.getByLabel('First name', { exact: true }).focus();
  await page.keyboard.type('Grace');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Hopper');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('heading', { name: 'Grace Hopper', level: 1 })).toBeVisible();
});

test('every control has an accessible name', async () => {
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea, a[href]')]
      .filter((element) => {
        const el = element as HTMLElement;
        const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el as HTMLInputElement).labels?.length;
        return !labelled && !el.textContent?.trim() && el.getAttribute('type') !== 'radio';
      })
      .map((element) => element.outerHTML.slice(0, 80)),
  );
  expect(unnamed).toEqual([]);
});

test('deleting a draft asks first and can be cancelled', async () => {
  await page.getByRole('button', { name: 'Delete draft' }).click();
  const dialog = page.getByRole('dialog', { name: /Delete Grace Hopper/ });
  await expect(dialog).toBeVisible();
  await shot('05-delete-confirm');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Grace Hopper', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Delete draft' }).click();
  await dialog.getByRole('button', { name: 'Delete draft' }).click();
  await expect(page.getByRole('heading', { name: 'Create a digital twin' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Grace Hopper/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Ada Lovelace/ })).toBeVisible();
});

test('an API call without the token is refused with 401', async () => {
  const result = await page.evaluate(async () => {
    const response = await fetch('/api/call/drafts/list', { method: 'POST', body: '{}' });
    return { status: response.status, body: await response.json() };
  });
  expect(result.status).toBe(401);
  expect(result.body.error.code).toBe('UNAUTHORIZED');
});

test('a malformed argument gets a schema error and never reaches a service', async () => {
  const result = await page.evaluate(
    async ({ token }) => {
      const response = await fetch('/api/call/drafts/get', {
        method: 'POST',
        headers: { 'x-studio-token': token, 'content-type': 'application/json' },
        body: JSON.stringify({ id: '../../etc/passwd' }),
      });
      return response.json();
    },
    { token: host.token },
  );
  expect(result.ok).toBe(false);
  expect(result.error.code).toBe('BAD_REQUEST');
  expect(result.error.message).toContain('drafts/get');
  expect(result.error.fields).toHaveProperty('id');
});

test('another origin or host name is refused', async () => {
  const page2 = await browser.context.newPage();
  const viaLocalhost = await page2.goto(host.url.replace('127.0.0.1', 'localhost'));
  expect(viaLocalhost?.status()).toBe(403);
  const crossSite = await fetch(`${host.origin}/api/call/drafts/list`, {
    method: 'POST',
    headers: { origin: 'https://evil.example', 'x-studio-token': host.token },
    body: '{}',
  });
  expect(crossSite.status).toBe(403);
  await page2.close();
});

test('the pages carry a strict Content-Security-Policy', async () => {
  const response = await page.request.get(`${host.origin}/`);
  const csp = response.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  // WebAssembly may be compiled (the face model), script may not be eval'ed.
  expect(csp).not.toMatch(/(?<!wasm-)unsafe-eval/);
  expect(csp).toContain("'wasm-unsafe-eval'");
  expect(csp).toContain("frame-ancestors 'none'");
});
