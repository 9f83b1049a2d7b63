/** Unit and integration tests run in Node; the browser is exercised by Playwright in tests/e2e. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One radosgw per run, started only if a test asks for it (tests/support/radosgw-shared.ts).
    // The process check comes first so that its teardown runs last, after radosgw has stopped.
    globalSetup: ['tests/support/vitest-process-check.ts', 'tests/support/radosgw-global-setup.ts'],
  },
});
