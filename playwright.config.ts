/** Browser end-to-end tests: Debian's Chromium against the browser host (and Electron where it exists). */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/e2e',
  // Fails the run if a browser host, Chromium, radosgw, dbus or gnome-keyring it started outlives it.
  globalSetup: './tests/support/playwright-global.ts',
  outputDir: 'tests/.artifacts/test-results',
  // Two cores: one browser at a time keeps recordings real-time.
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
});
