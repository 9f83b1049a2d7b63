/**
 * Debian's Chromium driven by Playwright, with fake camera and microphone devices that play real
 * media files, as the e2e tests and benchmarks use it. Never a downloaded browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, type Page, chromium } from '@playwright/test';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type FakeDevices = {
  /** WAV the fake microphone plays (looped unless `audioOnce`). */
  audio?: string;
  audioOnce?: boolean;
  /** y4m the fake camera shows. */
  video?: string;
  /** Let getUserMedia prompts be answered "deny" instead of "allow". */
  denyMedia?: boolean;
};

export type StudioBrowser = { context: BrowserContext; close(): Promise<void> };

export async function launchChromium(devices: FakeDevices = {}): Promise<StudioBrowser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'twin-studio-chromium-'));
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
  ];
  if (!devices.denyMedia) args.push('--use-fake-ui-for-media-stream');
  else args.push('--deny-permission-prompts');
  if (devices.audio) args.push(`--use-file-for-fake-audio-capture=${devices.audio}${devices.audioOnce ? '%noloop' : ''}`);
  if (devices.video) args.push(`--use-file-for-fake-video-capture=${devices.video}`);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args,
    viewport: { width: 1360, height: 860 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Collects into `problems` what a page must never show: a Content-Security-Policy violation (as
 * Chromium logs it) and an uncaught page error. A spec asserts the list is empty at its end.
 */
export function watchPageProblems(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}
