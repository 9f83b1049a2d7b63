/**
 * Calls about the link to the Napster service: the API key (kept in the OS keychain; the renderer only
 * ever learns whether one is set and its last characters) and the service's lists the forms need.
 */
import { z } from 'zod';
import { defineCall } from './define';

/** Shorter keys show no ending at all: four characters of an eight-character key would say too much. */
export const apiKeyEndingMinLength = 16;
export const apiKeyEndingLength = 4;

export const apiKeyStatusSchema = z.object({
  configured: z.boolean(),
  /** The last characters of the key, e.g. `a1b2`, so a person can tell which key is set. */
  endsWith: z.string().max(apiKeyEndingLength).nullable(),
  keychain: z.object({
    available: z.boolean(),
    /** Why the keychain cannot be used and what to do about it. */
    message: z.string().nullable(),
  }),
});
export type ApiKeyStatus = z.infer<typeof apiKeyStatusSchema>;

export const apiKeyInputSchema = z
  .string()
  .trim()
  .min(8, 'That is too short to be an API key.')
  .max(512, 'That is too long to be an API key.')
  .regex(/^[\x21-\x7e]+$/, 'An API key has no spaces or special characters: paste it again from the dashboard.');

export const apiKeyTestSchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  testedAt: z.string(),
});
export type ApiKeyTest = z.infer<typeof apiKeyTestSchema>;

export const ethnicitiesSchema = z.object({
  values: z.array(z.string()),
  /** When the list was fetched from the service (ISO time). */
  fetchedAt: z.string(),
  /** `cache`: the copy kept for offline use, because the service could not be asked or was not needed. */
  source: z.enum(['service', 'cache']),
  /** Why the cached copy is shown when a fresh one was asked for, or null. */
  notice: z.string().nullable(),
});
export type Ethnicities = z.infer<typeof ethnicitiesSchema>;

export const serviceCalls = {
  'apiKey/status': defineCall(z.strictObject({}), apiKeyStatusSchema),
  'apiKey/set': defineCall(z.strictObject({ key: apiKeyInputSchema }), apiKeyStatusSchema),
  /** Asks the service with the stored key whether it is accepted. */
  'apiKey/test': defineCall(z.strictObject({}), apiKeyTestSchema),
  'apiKey/remove': defineCall(z.strictObject({}), apiKeyStatusSchema),
  /** The allowed ethnicity values: from the service, or its cached copy when offline or recent. */
  'service/ethnicities': defineCall(z.strictObject({ refresh: z.boolean().optional() }), ethnicitiesSchema),
};

export const serviceEvents = {
  /** The key was set, replaced or removed (in this window or another). */
  'apiKey/changed': apiKeyStatusSchema,
};
