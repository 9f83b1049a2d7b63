/**
 * Calls about where media is uploaded: an S3-compatible bucket (the main process signs presigned PUTs)
 * or the user's own presign endpoint. Secrets (the bucket's secret key, the endpoint's token) live in
 * the OS keychain; the renderer only learns whether one is set and how it ends.
 */
import { z } from 'zod';
import { credentialUrlSchema } from '../credential-url';
import { defineCall } from './define';

/** S3 bucket names (the rules every S3-compatible store accepts). */
const bucketSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'A bucket name is 3–63 lower-case letters, digits, dots or hyphens.');

/** A prefix of plain path segments, e.g. `twins/` (empty for the bucket's root). */
const keyPrefixSchema = z
  .string()
  .trim()
  .max(200)
  .regex(/^([A-Za-z0-9_.-]+\/?)*$/, 'Use letters, digits, "_", "-", "." and "/" only, e.g. twin-studio/')
  .refine((prefix) => !prefix.split('/').some((part) => part === '.' || part === '..'), 'A prefix cannot contain "." or ".." segments.')
  .transform((prefix) => (prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix));

const httpUrl = z.url({ protocol: /^https?$/, message: 'Enter a full http(s):// address.' }).max(2048);

export const s3TargetSchema = z.object({
  kind: z.literal('s3'),
  /**
   * Null: AWS S3 itself (the endpoint follows from the region). R2, MinIO, Ceph: their endpoint. It
   * receives signed requests: HTTPS, or http:// to this computer only (see credential-url.ts).
   */
  endpoint: credentialUrlSchema('storage').nullable(),
  /** `us-east-1`, `eu-central-1`; R2 uses `auto`. */
  region: z
    .string()
    .trim()
    .min(1, 'Enter the region (R2: auto).')
    .max(64)
    .regex(/^[a-z0-9-]+$/, 'A region is lower-case letters, digits and hyphens.'),
  bucket: bucketSchema,
  keyPrefix: keyPrefixSchema,
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key`: MinIO and Ceph usually need it. */
  pathStyle: z.boolean(),
  accessKeyId: z.string().trim().min(1, 'Enter the access key id.').max(128),
  /** Where an uploaded key is publicly readable: the bucket's public URL or a CDN in front of it. */
  publicBaseUrl: httpUrl,
});
export type S3Target = z.infer<typeof s3TargetSchema>;

export const presignTargetSchema = z.object({
  kind: z.literal('presign'),
  /**
   * The user's backend: POST `{fileName, contentType, size, sha256}` → `{uploadUrl, headers?, publicUrl}`,
   * sent with the token: HTTPS, or http:// to this computer only (see credential-url.ts).
   */
  url: credentialUrlSchema('presign'),
});
export type PresignTarget = z.infer<typeof presignTargetSchema>;

export const storageTargetSchema = z.discriminatedUnion('kind', [s3TargetSchema, presignTargetSchema]);
export type StorageTarget = z.infer<typeof storageTargetSchema>;

/** What a presign endpoint is asked, and must answer. */
export const presignRequestSchema = z.object({
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PresignRequest = z.infer<typeof presignRequestSchema>;

export const presignAnswerSchema = z.object({
  uploadUrl: httpUrl,
  /** Headers the PUT must carry (signed ones, typically Content-Type). */
  headers: z.record(z.string(), z.string()).optional(),
  publicUrl: httpUrl,
});
export type PresignAnswer = z.infer<typeof presignAnswerSchema>;

export const storageTestStepSchema = z.object({
  id: z.enum(['sign', 'upload', 'public', 'cleanup']),
  label: z.string(),
  ok: z.boolean(),
  message: z.string(),
});
export type StorageTestStep = z.infer<typeof storageTestStepSchema>;

export const storageTestSchema = z.object({
  ok: z.boolean(),
  testedAt: z.string(),
  /** One line for the whole test; the steps say where it stopped. */
  message: z.string(),
  steps: z.array(storageTestStepSchema),
  publicUrl: z.string().nullable(),
});
export type StorageTest = z.infer<typeof storageTestSchema>;

export const storageStatusSchema = z.object({
  target: storageTargetSchema.nullable(),
  secret: z.object({
    configured: z.boolean(),
    /** Last characters of the secret key or token, so a person can tell which one is set. */
    endsWith: z.string().max(4).nullable(),
  }),
  keychain: z.object({ available: z.boolean(), message: z.string().nullable() }),
  /** The sandbox's own loopback host: fixed for this launch, nothing to configure. */
  sandbox: z.boolean(),
  lastTest: storageTestSchema.nullable(),
  /**
   * Why the saved settings are not used, in words for the person (a file from an older version or
   * edited by hand, e.g. a plain-http endpoint); null when there is nothing to say.
   */
  savedProblem: z.string().nullable(),
});
export type StorageStatus = z.infer<typeof storageStatusSchema>;

export const storageSecretSchema = z
  .string()
  .trim()
  .min(8, 'That is too short to be a secret key or token.')
  .max(4096)
  .regex(/^[\x21-\x7e]+$/, 'A secret key or token has no spaces: paste it again.');

export const storageCalls = {
  'storage/status': defineCall(z.strictObject({}), storageStatusSchema),
  /** Saves the target; `secret` replaces the stored one (omit it to keep the one in the keychain). */
  'storage/save': defineCall(z.strictObject({ target: storageTargetSchema, secret: storageSecretSchema.optional() }), storageStatusSchema),
  /** Round trip: sign, upload a small file, read it back anonymously from its public URL, remove it. */
  'storage/test': defineCall(z.strictObject({}), storageTestSchema),
  'storage/remove': defineCall(z.strictObject({}), storageStatusSchema),
};

export const storageEvents = {
  'storage/changed': storageStatusSchema,
};
