/** Playwright's global setup: marks the run; its teardown fails the run if any process it started is still alive. */
import { assertNoProcessLeft, markTestRun } from './process-leaks';

export default function globalSetup(): () => Promise<void> {
  const marker = markTestRun();
  return () => assertNoProcessLeft(marker, 'The browser tests (Playwright)');
}
