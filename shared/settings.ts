/** Studio settings kept in the data folder. Secrets never live here: they are in the OS keychain. */
import { z } from 'zod';
import { credentialUrlSchema } from './credential-url';

export const defaultApiBaseUrl = 'https://companion-api.napster.com';

const settingsFields = {
  /** It carries the API key: HTTPS, or http:// to this computer only (see credential-url.ts). */
  apiBaseUrl: credentialUrlSchema('api'),
  /** Optional `X-API-Version` header value. */
  apiVersion: z.string().max(32).nullable(),
  preferredMicrophoneLabel: z.string().max(256).nullable(),
  preferredCameraLabel: z.string().max(256).nullable(),
};

export const settingsSchema = z.object({
  apiBaseUrl: settingsFields.apiBaseUrl.default(defaultApiBaseUrl),
  apiVersion: settingsFields.apiVersion.default(null),
  preferredMicrophoneLabel: settingsFields.preferredMicrophoneLabel.default(null),
  preferredCameraLabel: settingsFields.preferredCameraLabel.default(null),
});
export type Settings = z.infer<typeof settingsSchema>;

/** A change to some settings. No defaults here: zod 4 would fill every missing key with its default. */
export const settingsPatchSchema = z.strictObject(settingsFields).partial();
