/** StudioApi handlers for the sandbox calls. */
import type { StudioHandlers } from '../../../shared/contract';
import type { sandboxCalls } from '../../../shared/contract/sandbox';
import { type Sandbox, readNextLaunch, sandboxStatus, writeNextLaunch } from './sandbox';

/** `baseDataDir` is the studio's own folder (not the sandbox's), where the next-launch choice lives. */
export function sandboxHandlers(sandbox: Sandbox | null, baseDataDir: string): Pick<StudioHandlers, keyof typeof sandboxCalls> {
  return {
    'sandbox/status': async () => sandboxStatus(sandbox, await readNextLaunch(baseDataDir)),
    'sandbox/setNextLaunch': async ({ mode }) => {
      await writeNextLaunch(baseDataDir, mode);
      return sandboxStatus(sandbox, mode);
    },
  };
}
