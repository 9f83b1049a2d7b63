/**
 * The Napster companion API's requests and answers as zod schemas: the emulator validates requests
 * with them strictly, the client types its calls with them and parses the service's answers leniently
 * (the real service may add fields or send nulls; that must not break the studio).
 */
import { z } from 'zod';
import { avatarVersions, externalClientIdPattern, genders } from './drafts';
import { twinRequestRules } from './requirements';

export const digitalTwinPersonaType = 'digitalTwin';

export const companionStatuses = ['pending', 'generationCompleted', 'readyToUse', 'completed', 'failed', 'blocked'] as const;
export type CompanionStatus = (typeof companionStatuses)[number];
/** A twin in one of these can be attached to an agent. */
export const agentReadyStatuses: readonly CompanionStatus[] = ['readyToUse', 'completed'];
/** Generation ended and will not recover. */
export const failedStatuses: readonly CompanionStatus[] = ['failed', 'blocked'];

/** The twin can be attached to an agent (`readyToUse` or `completed`). A status the contract does not name is neither ready nor failed. */
export function isReadyStatus(status: string | null | undefined): boolean {
  return (agentReadyStatuses as readonly (string | null | undefined)[]).includes(status);
}

/** Generation ended for good (`failed`, `blocked`). */
export function isFailedStatus(status: string | null | undefined): boolean {
  return (failedStatuses as readonly (string | null | undefined)[]).includes(status);
}

/** Error codes the service documents and the studio reacts to. */
export const serviceErrorCodes = {
  consentRequired: 'DigitalTwinConsentRequired',
  /** v2 avatars are not enabled for the organisation (ask Napster, or make a v1). */
  v2NotEnabled: 'CompanionV2NotEnabled',
  rateLimited: 'RequestRateLimitExceeded',
  unauthorized: 'Unauthorized',
  notFound: 'CompanionNotFound',
} as const;

/** `type` and `numericType` of an error body (the ErrorOr convention the service's bodies follow). */
export const serviceErrorTypes = {
  Failure: 0,
  Unexpected: 1,
  Validation: 2,
  Conflict: 3,
  NotFound: 4,
  Unauthorized: 5,
  Forbidden: 6,
} as const;
export type ServiceErrorType = keyof typeof serviceErrorTypes;

export const serviceErrorSchema = z.object({
  code: z.string(),
  description: z.string().nullish(),
  type: z.string().nullish(),
  numericType: z.number().nullish(),
});
export type ServiceError = z.infer<typeof serviceErrorSchema>;

/** Syntax only: whether a URL must be HTTPS (and reachable) is the service's check, made when it fetches. */
const mediaUrlSchema = z.url({ message: 'must be an absolute URL' }).max(2048);

export const twinTagsSchema = z
  .record(z.string().min(1, 'a tag needs a name').max(twinRequestRules.tagKeyMaxChars), z.string().max(twinRequestRules.tagValueMaxChars))
  .refine((tags) => Object.keys(tags).length <= twinRequestRules.maxTags, `at most ${twinRequestRules.maxTags} tags`);

const requiredText = (field: string, max: number) =>
  z
    .string({ message: `${field} is required` })
    .trim()
    .min(1, `${field} is required`)
    .max(max);

/**
 * `POST /public/digital-twins`. Every identity field is required; the media depend on `version`: v1
 * is made from a picture, v2 from a video or, when there is none, a picture (Napster's published
 * guide); a v2 video with clear speech may also carry the voice.
 */
export const createTwinRequestSchema = z
  .strictObject({
    firstName: requiredText('firstName', twinRequestRules.nameMaxChars),
    lastName: requiredText('lastName', twinRequestRules.nameMaxChars),
    description: requiredText('description', twinRequestRules.descriptionMaxChars),
    gender: z.enum(genders, { message: `gender must be one of ${genders.join(', ')}` }),
    ethnicity: requiredText('ethnicity', 100),
    externalClientId: z
      .string({ message: 'externalClientId is required' })
      .regex(externalClientIdPattern, 'externalClientId must be 1–32 letters, digits, "_" or "-"'),
    voiceUrl: mediaUrlSchema.optional(),
    pictureUrl: mediaUrlSchema.optional(),
    videoUrl: mediaUrlSchema.optional(),
    version: z.enum(avatarVersions, { message: `version must be one of ${avatarVersions.join(', ')}` }).default('v1'),
    tags: twinTagsSchema.optional(),
  })
  .superRefine((request, ctx) => {
    if (request.version === 'v1' && !request.pictureUrl) {
      ctx.addIssue({ code: 'custom', path: ['pictureUrl'], message: 'a v1 twin is made from a picture: pictureUrl is required' });
    }
    if (request.version === 'v2' && !request.videoUrl && !request.pictureUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['videoUrl'],
        message: 'a v2 twin is made from a video or, without one, a picture: videoUrl or pictureUrl is required',
      });
    }
    // The docs mark voiceUrl required, and also let a v2 video with clear speech supply the voice.
    if (!request.voiceUrl && !(request.version === 'v2' && request.videoUrl)) {
      ctx.addIssue({ code: 'custom', path: ['voiceUrl'], message: 'voiceUrl is required' });
    }
  });
export type CreateTwinRequest = z.input<typeof createTwinRequestSchema>;

/** The request fields a person edits on the Person screen, by the draft's names for them. */
export const requestFieldToPersonField: Record<string, string> = {
  firstName: 'firstName',
  lastName: 'lastName',
  description: 'description',
  gender: 'gender',
  ethnicity: 'ethnicity',
  externalClientId: 'externalClientId',
  tags: 'tags',
  version: 'avatarVersion',
  voiceUrl: 'voiceUrl',
  pictureUrl: 'pictureUrl',
  videoUrl: 'videoUrl',
};

const tagsAnswerSchema = z.record(z.string(), z.string().nullable()).nullish();

/** A companion as the service answers it: only `id` is relied on; everything else may be missing. */
export const companionSchema = z.object({
  id: z.string().min(1),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  description: z.string().nullish(),
  headline: z.string().nullish(),
  gender: z.string().nullish(),
  ethnicity: z.string().nullish(),
  externalClientId: z.string().nullish(),
  previewUrl: z.string().nullish(),
  videoLoopUrl: z.string().nullish(),
  tags: tagsAnswerSchema,
  /** Unknown future statuses pass through as strings rather than failing the whole answer. */
  status: z.union([z.enum(companionStatuses), z.string()]).nullish(),
  /** When the service made it (ISO 8601, or a Unix time in seconds or milliseconds), if it says; the docs do not promise it. */
  createdAt: z.union([z.string(), z.number()]).nullish(),
});
export type Companion = z.infer<typeof companionSchema>;

/** A companion's creation time in milliseconds since the epoch, or null when the service does not say (or says nonsense). */
export function companionCreatedAtMs(companion: Pick<Companion, 'createdAt'>): number | null {
  const raw = companion.createdAt;
  if (raw === null || raw === undefined) return null;
  // A number under 10^11 cannot be milliseconds of this century: it is seconds.
  const ms = typeof raw === 'number' ? (raw < 1e11 ? raw * 1000 : raw) : Date.parse(raw);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/** Whether a companion carries any tags: a service that does not echo them gives none, or an empty map. */
export function carriesTags(companion: Pick<Companion, 'tags'>): boolean {
  return Boolean(companion.tags && Object.keys(companion.tags).length > 0);
}

export const companionPageSchema = z.object({
  items: z.array(companionSchema),
  filteredCount: z.number().int().nonnegative(),
  totalCount: z.number().int().nonnegative(),
  pageIndex: z.number().int().nonnegative(),
  pageSize: z.number().int().nonnegative(),
  search: z.string().nullish(),
});
export type CompanionPage = z.infer<typeof companionPageSchema>;

export const maxPageSize = 100;

/** `GET /public/companions`: pageIndex is zero-based. Tags filter as `tags=key:value`, repeated. */
export const listTwinsQuerySchema = z.strictObject({
  pageIndex: z.number().int().min(0).default(0),
  pageSize: z.number().int().min(1).max(maxPageSize).default(20),
  search: z.string().max(200).optional(),
  tags: z.record(z.string().min(1), z.string()).optional(),
  statuses: z.array(z.enum(companionStatuses)).optional(),
  gender: z.enum(genders).optional(),
  ethnicity: z.string().max(100).optional(),
});
export type ListTwinsQuery = z.input<typeof listTwinsQuerySchema>;

/** `PATCH /public/companions/{id}`: only once the twin is `completed`. */
export const updateCompanionRequestSchema = z
  .strictObject({
    description: z.string().trim().min(1).max(twinRequestRules.descriptionMaxChars).optional(),
    headline: z.string().trim().max(200).optional(),
  })
  .refine((patch) => patch.description !== undefined || patch.headline !== undefined, 'send description or headline');
export type UpdateCompanionRequest = z.input<typeof updateCompanionRequestSchema>;

/** `POST /public/agents`. A twin brings its own voice, so there is no `voiceId`. */
export const createAgentRequestSchema = z.strictObject({
  companionId: z.string({ message: 'companionId is required' }).min(1, 'companionId is required'),
  name: requiredText('name', 100),
  providerSettings: z
    .strictObject({
      temperature: z.number().min(0).max(2).optional(),
      instructions: z.string().max(20_000).optional(),
    })
    .optional(),
});
export type CreateAgentRequest = z.input<typeof createAgentRequestSchema>;

export const agentSchema = z.object({
  id: z.string().min(1),
  name: z.string().nullish(),
  companionId: z.string().nullish(),
  providerSettings: z.object({ temperature: z.number().nullish(), instructions: z.string().nullish() }).nullish(),
});
export type Agent = z.infer<typeof agentSchema>;

/**
 * `GET /public/companions/ethnicities`. The docs do not show the answer's shape: accept a plain list,
 * a list of `{value|name|id}` objects, or either inside `{items}`, and normalise to strings.
 */
const ethnicityItemSchema = z.union([
  z.string(),
  z.object({ value: z.string() }).transform((item) => item.value),
  z.object({ name: z.string() }).transform((item) => item.name),
  z.object({ id: z.string() }).transform((item) => item.id),
]);
export const ethnicitiesAnswerSchema = z
  .union([z.array(ethnicityItemSchema), z.object({ items: z.array(ethnicityItemSchema) }).transform((body) => body.items)])
  .transform((values) => [...new Set(values.map((value) => value.trim()).filter(Boolean))]);

/** A starting value for `externalClientId` from the person's name: ASCII, lower case, hyphens, ≤ 32. */
export function suggestExternalClientId(firstName: string, lastName: string): string {
  const ascii = `${firstName} ${lastName}`
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii.slice(0, 32).replace(/-+$/, '');
}
