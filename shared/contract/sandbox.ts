/**
 * Calls about sandbox mode: the whole flow on this computer with no account and no network (the
 * emulator with a generated key, a loopback presign endpoint and public media host beside it).
 */
import { z } from 'zod';
import { defineCall } from './define';

export const sandboxStatusSchema = z.object({
  /** This launch runs in the sandbox: twins, agents and uploads are all local and not real. */
  active: z.boolean(),
  /** What the next launch will be (the Settings switch); the command-line flag wins for its launch. */
  nextLaunch: z.enum(['sandbox', 'service']),
  emulatorUrl: z.string().nullable(),
  mediaHostUrl: z.string().nullable(),
});
export type SandboxStatus = z.infer<typeof sandboxStatusSchema>;

export const sandboxCalls = {
  'sandbox/status': defineCall(z.strictObject({}), sandboxStatusSchema),
  /** Chooses sandbox or service for the next launch; the studio must restart to switch. */
  'sandbox/setNextLaunch': defineCall(z.strictObject({ mode: z.enum(['sandbox', 'service']) }), sandboxStatusSchema),
};

export const sandboxEvents = {};
