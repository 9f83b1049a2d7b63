/**
 * No credential over plain HTTP, as a person meets it in Settings in a real Chromium: a plain-http API
 * base URL, S3 endpoint and presign endpoint are each refused at their field with the reason (the
 * main process's reason: nothing is checked only in the page), nothing is saved, and http:// to this
 * computer is still accepted. A storage.json written by hand with a plain-http endpoint is shown as
 * not used, with the same reason.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { type StudioBrowser, chromiumPath, launchChromium } from '../support/chromium';
import { missingPrerequisite } from '../support/prerequisites';
import { type RunningHost, repoRoot, startStudioHost } from '../support/studio-host';

const shots = path.join(repoRoot, 'tests', '.artifacts', 'screenshots');
const allowedOnlyHere = '(http:// is allowed only for this computer: localhost, 127.0.0.1.)';

let host: RunningHost;

/** The API base URL in settings.json; null while the file was never written. */
function savedApiBaseUrl(): string | null {
  try {
    return (JSON.parse(readFileSync(path.join(host.dataDir, 'settings.json'), 'utf8')) as { apiBaseUrl: string }).apiBaseUrl;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
let browser: StudioBrowser;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const missing = missingPrerequisite([chromiumPath], 'The credential address e2e test');
  test.skip(missing !== null, missing ?? '');
  mkdirSync(shots, { recursive: true });
  // A storage.json as an older version or a hand edit left it: a plain-http S3 endpoint.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-data-'));
  writeFileSync(
    path.join(dataDir, 'storage.json'),
    JSON.stringify({
      target: {
        kind: 's3',
        endpoint: 'http://minio.office.example:9000',
        region: 'us-east-1',
        bucket: 'media',
        keyPrefix: 'twin-studio/',
        pathStyle: true,
        accessKeyId: 'AKIAEXAMPLEEXAMPLE',
        publicBaseUrl: 'https://cdn.example.com/media',
      },
      lastTest: null,
    }),
  );
  host = await startStudioHost({ dataDir, args: ['--api-base-url', 'http://127.0.0.1:9'] });
  browser = await launchChromium();
  page = await browser.context.newPage();
});

test.afterAll(async () => {
  // The host is stopped even when closing the browser fails (it would outlive the run otherwise).
  try {
    await browser?.close();
  } finally {
    await host?.stop();
  }
});

test('the API base URL: plain http elsewhere is refused at the field with the reason, this computer is fine', async () => {
  await page.goto(host.url);
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const field = page.getByLabel('API base URL', { exact: true });
  await expect(field).toHaveValue('http://127.0.0.1:9');

  await field.fill('http://api.example.com');
  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  const reason = page.locator('#settings-base-url-error');
  await expect(reason).toHaveText(
    `The API address must start with https:// — over plain http the API key would cross the network readable by anyone. ${allowedOnlyHere}`,
  );
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Saved.', { exact: true })).toHaveCount(0);
  await page.screenshot({ path: path.join(shots, 'settings-api-base-url-refused.png'), fullPage: true });
  // Nothing was saved: the file, if there is one yet, still holds the launch's address.
  expect(savedApiBaseUrl() ?? 'http://127.0.0.1:9').toBe('http://127.0.0.1:9');

  // A user name in front of a loopback-looking host still goes elsewhere.
  await field.fill('http://127.0.0.1@api.example.com');
  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  await expect(reason).toHaveText(/must not contain a user name or password/);

  await field.fill('http://localhost:8787');
  await expect(reason).toHaveCount(0);
  await page.getByRole('button', { name: 'Save', exact: true }).first().click();
  await expect(page.getByText('Saved.', { exact: true })).toBeVisible();
  await expect(field).not.toHaveAttribute('aria-invalid', 'true');
  expect(savedApiBaseUrl()).toBe('http://localhost:8787');
});

test('storage saved by hand with a plain-http endpoint: shown as not used, with the reason', async () => {
  const storage = page.getByTestId('storage-section');
  await expect(storage.getByText('The saved storage settings are not used')).toBeVisible();
  await expect(
    storage.getByText(
      /The storage endpoint must start with https:\/\/ — over plain http the storage key’s signed requests would cross the network readable by anyone\./,
    ),
  ).toBeVisible();
  await expect(storage.getByRole('button', { name: 'Test storage' })).toBeDisabled();
});

test('the S3 endpoint: plain http elsewhere is refused at the field with the reason; nothing is saved', async () => {
  const storage = page.getByTestId('storage-section');
  await storage.getByLabel('Endpoint', { exact: true }).fill('http://minio.office.example:9000');
  await storage.getByLabel('Bucket', { exact: true }).fill('media');
  await storage.getByLabel('Access key id', { exact: true }).fill('AKIAEXAMPLEEXAMPLE');
  await storage.getByLabel('Secret access key', { exact: true }).fill('example-secret-access-key-123');
  await storage.getByLabel('Public base URL', { exact: true }).fill('https://cdn.example.com/media');
  await storage.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(storage.locator('#storage-endpoint-hint')).toHaveText(
    `The storage endpoint must start with https:// — over plain http the storage key’s signed requests would cross the network readable by anyone. ${allowedOnlyHere}`,
  );
  await expect(storage.getByLabel('Endpoint', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // The message below the form is plain words, not the call's name and field paths.
  await expect(storage.getByText('Not saved: see the marked field above.')).toBeVisible();
  await expect(storage.getByText(/Invalid argument|target\.endpoint/)).toHaveCount(0);
  // The other fields were fine and say nothing.
  await expect(storage.getByLabel('Public base URL', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: path.join(shots, 'settings-storage-endpoint-refused.png'), fullPage: true });
  // The hand-written file is untouched: the rejected save changed nothing.
  expect(JSON.parse(readFileSync(path.join(host.dataDir, 'storage.json'), 'utf8')).target.endpoint).toBe('http://minio.office.example:9000');
});

test('the presign endpoint: plain http elsewhere is refused at the field with the reason', async () => {
  const storage = page.getByTestId('storage-section');
  await storage.getByLabel('My own presign endpoint').check();
  await storage.getByLabel('Presign endpoint', { exact: true }).fill('http://uploads.example.com/presign');
  await storage.getByLabel('Token', { exact: true }).fill('presign-token-1234567890');
  await storage.getByRole('button', { name: 'Save', exact: true }).click();

  await expect(storage.locator('#storage-url-hint')).toHaveText(
    `The presign endpoint must start with https:// — over plain http its token would cross the network readable by anyone. ${allowedOnlyHere}`,
  );
  await expect(storage.getByLabel('Presign endpoint', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(storage.getByText('Not saved: see the marked field above.')).toBeVisible();
  await page.screenshot({ path: path.join(shots, 'settings-storage-presign-refused.png'), fullPage: true });
  expect(JSON.parse(readFileSync(path.join(host.dataDir, 'storage.json'), 'utf8')).target.kind).toBe('s3');
});
