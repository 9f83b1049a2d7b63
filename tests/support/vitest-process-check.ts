/**
 * Vitest global setup, listed first so its teardown runs last (after radosgw has stopped): marks the
 * run and fails it if any process it started is still alive at the end.
 */
import { assertNoProcessLeft, markTestRun } from './process-leaks';

export default function setup(): () => Promise<void> {
  const marker = markTestRun();
  return () => assertNoProcessLeft(marker, 'The unit and integration tests (Vitest)');
}
