/** Test prerequisites: outside CI a missing tool skips with a reason; with CI=true it is a failure. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const inCi = process.env.CI === 'true' || process.env.CI === '1';

export function hasCommand(command: string): boolean {
  if (command.startsWith('/')) return existsSync(command);
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Returns null when every command exists, else the reason to skip. In CI it throws instead, so a
 * missing prerequisite can never pass as a skipped test.
 */
export function missingPrerequisite(commands: string[], purpose: string): string | null {
  const missing = commands.filter((command) => !hasCommand(command));
  if (missing.length === 0) return null;
  const reason = `${purpose} needs ${missing.join(', ')} (apt packages; .ci/run installs them)`;
  if (inCi) throw new Error(`CI=true and a prerequisite is missing: ${reason}`);
  console.warn(`skipped: ${reason}`);
  return reason;
}
