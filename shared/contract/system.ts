/** Calls about the host itself: which transport, where data lives, OS media permission. */
import { z } from 'zod';
import { settingsPatchSchema, settingsSchema } from '../settings';
import { defineCall } from './define';

export const systemInfoSchema = z.object({
  appName: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
  dataDir: z.string(),
});
export type SystemInfo = z.infer<typeof systemInfoSchema>;

export const systemCalls = {
  'system/info': defineCall(z.strictObject({}), systemInfoSchema),
  /** macOS asks the user once per kind; elsewhere the browser engine's own prompt decides. */
  'system/requestMediaAccess': defineCall(
    z.strictObject({
      kinds: z
        .array(z.enum(['microphone', 'camera']))
        .min(1)
        .max(2),
    }),
    z.object({ granted: z.boolean(), message: z.string().nullable() }),
  ),
  'settings/get': defineCall(z.strictObject({}), settingsSchema),
  'settings/update': defineCall(z.strictObject({ patch: settingsPatchSchema }), settingsSchema),
};

export const jobProgressSchema = z.object({
  jobId: z.string(),
  kind: z.string(),
  label: z.string(),
  ratio: z.number().min(0).max(1).nullable(),
  state: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  message: z.string().nullable(),
});

export const systemEvents = {
  /** Long work in the main process (transcoding, uploads) reports here. */
  'jobs/progress': jobProgressSchema,
};
