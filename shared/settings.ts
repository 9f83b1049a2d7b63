/** Studio settings kept in the data folder. Secrets never live here: they are in the OS keychain. */
import { z } from 'zod';

export const defaultApiBaseUrl = 'https://companion-api.napster.com';

export const settingsSchema = z.object({
  apiBaseUrl: z.url({ protocol: /^https?$/ }).default(defaultApiBaseUrl),
  /** Optional `X-API-Version` header value. */
  apiVersion: z.string().max(32).nullable().default(null),
  preferredMicrophoneLabel: z.string().max(256).nullable().default(null),
  preferredCameraLabel: z.string().max(256).nullable().default(null),
});
export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial().strict();
