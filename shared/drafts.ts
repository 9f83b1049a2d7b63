/**
 * A draft: everything the studio holds about one person until their twin is submitted. Stored as
 * draft.json beside its media; every field has a default so that older files still load.
 */
import { z } from 'zod';
import { draftIdSchema, mediaFileNameSchema, takeIdSchema } from './ids';
import { approvalDetailFields, attestationSchema, consentCodeSchema, preparedRecordSchema } from './consent';
import { faceRecordSchema, photoFacesSchema } from './faces';
import { voiceSourceSchema } from './media';

export const genders = ['male', 'female', 'nonBinary'] as const;
export const avatarVersions = ['v1', 'v2'] as const;
/** What a v2 avatar's appearance is made from: a speaking video (best) or, without one, a photo. v1 is always a photo. */
export const v2Appearances = ['video', 'photo'] as const;
export type V2Appearance = (typeof v2Appearances)[number];
export const externalClientIdPattern = /^[A-Za-z0-9_-]{1,32}$/;

const personFields = {
  firstName: z.string().max(100),
  lastName: z.string().max(100),
  description: z.string().max(5000),
  gender: z.enum(genders).nullable(),
  ethnicity: z.string().max(100).nullable(),
  externalClientId: z.string().max(32),
  tags: z.record(z.string().max(64), z.string().max(256)),
  avatarVersion: z.enum(avatarVersions),
};

/** The person as typed so far: anything may still be empty. The twin request schema is the strict form. */
export const personDraftSchema = z.object({
  firstName: personFields.firstName.default(''),
  lastName: personFields.lastName.default(''),
  description: personFields.description.default(''),
  gender: personFields.gender.default(null),
  ethnicity: personFields.ethnicity.default(null),
  externalClientId: personFields.externalClientId.default(''),
  tags: personFields.tags.default({}),
  avatarVersion: personFields.avatarVersion.default('v2'),
});

/** A change to some fields. No defaults here: zod 4 would fill every missing key with its default. */
export const personPatchSchema = z.strictObject(personFields).partial();
export type PersonPatch = z.infer<typeof personPatchSchema>;
export type PersonDraft = z.infer<typeof personDraftSchema>;

export const trimSchema = z
  .object({ startMs: z.number().int().min(0), endMs: z.number().int().positive() })
  .refine((trim) => trim.endMs > trim.startMs, 'trim end must come after its start');

export const checkResultSchema = z.object({
  id: z.string(),
  label: z.string(),
  verdict: z.enum(['pass', 'warn', 'fail']),
  reason: z.string(),
  value: z.number().nullable().default(null),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/**
 * Voice takes live in draft.voice, video takes in draft.camera, the consent take in draft.consent;
 * all stream, recover, repair and are checked the same way (electron/services/takes/take-kinds.ts).
 */
export const takeKinds = ['voice', 'video', 'consent'] as const;
export type TakeKind = (typeof takeKinds)[number];

export const takeSchema = z.object({
  id: takeIdSchema,
  kind: z.enum(takeKinds),
  source: z.enum(['recorded', 'imported']),
  fileName: mediaFileNameSchema,
  mimeType: z.string(),
  createdAt: z.string(),
  /** `recording` while chunks arrive; a take found in that state at start-up was interrupted. */
  state: z.enum(['recording', 'complete', 'recovered']),
  durationMs: z.number().nonnegative().nullable().default(null),
  bytes: z.number().int().nonnegative().default(0),
  trim: trimSchema.nullable().default(null),
  checks: z.array(checkResultSchema).default([]),
  /** An imported file's own name, shown beside the take. */
  originalName: z.string().max(255).nullable().default(null),
  /** The faces seen while it was recorded, second by second, and its face descriptor (shared/faces.ts); absent when none were measured (imports, older takes). */
  faces: faceRecordSchema.nullable().optional(),
  /** Voice takes: the track and channel mix checked, drawn and prepared (null: the file's only sound, as it is). */
  voiceSource: voiceSourceSchema.nullish(),
  /**
   * An import the studio rewrote (moved into another container, or a WebM given its duration): the
   * length the received file's header claimed, ms, since the stored file's header no longer says it.
   * Absent otherwise: the stored file is the one received.
   */
  headerDurationMs: z.number().nonnegative().nullish(),
});
export type Take = z.infer<typeof takeSchema>;

export const photoSchema = z.object({
  id: takeIdSchema,
  source: z.enum(['camera', 'imported']),
  fileName: mediaFileNameSchema,
  createdAt: z.string(),
  /** The size of the photo the avatar is made from: the whole stored picture, or its 16:9 middle when `original` says it is cropped. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  checks: z.array(checkResultSchema).default([]),
  /** The faces found in its 16:9 part and the only one's descriptor (shared/faces.ts); absent when not measured (older photos, or the face model could not run). */
  faces: photoFacesSchema.nullable().optional(),
  /** An imported picture's own name, shown in the gallery (optional: older drafts and tests leave it out). */
  originalName: z.string().max(255).nullable().optional(),
  /**
   * An imported picture is kept whole, as sent: its upright size (after the EXIF `orientation`, 1–8)
   * and format. Preparation keeps its largest centred 16:9 box (shared/camera.ts photoCrop of this size).
   */
  original: z
    .object({
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      orientation: z.number().int().min(1).max(8),
      format: z.enum(['jpeg', 'png', 'webp', 'avif', 'tiff']),
    })
    .nullable()
    .optional(),
});
export type Photo = z.infer<typeof photoSchema>;

/** The code the person reads, the statement as it was shown, the take of them reading it, the operator's word. */
export const consentSchema = z.object({
  code: consentCodeSchema.nullable().default(null),
  statement: z.string().max(2000).nullable().default(null),
  take: takeSchema.nullable().default(null),
  /** A consent take being recorded, or cut short and recovered: it replaces `take` once complete. */
  recording: takeSchema.nullish(),
  /** The statement shown when `recording` was started (it names the person as they were named then). */
  recordingStatement: z.string().max(2000).nullish(),
  attestation: attestationSchema.nullable().default(null),
});
export type Consent = z.infer<typeof consentSchema>;

export const draftSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  id: draftIdSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  person: personDraftSchema.default(() => personDraftSchema.parse({})),
  voice: z.object({ takes: z.array(takeSchema).default([]), chosenTakeId: takeIdSchema.nullable().default(null) }).default({ takes: [], chosenTakeId: null }),
  camera: z
    .object({
      videoTakes: z.array(takeSchema).default([]),
      chosenVideoTakeId: takeIdSchema.nullable().default(null),
      photos: z.array(photoSchema).default([]),
      chosenPhotoId: takeIdSchema.nullable().default(null),
      useVideoAudioAsVoice: z.boolean().default(false),
      /** v2 only (shared/camera.ts appearanceOf): from the chosen video take, or from the chosen photo. */
      v2AppearanceFrom: z.enum(v2Appearances).default('video'),
    })
    .default({ videoTakes: [], chosenVideoTakeId: null, photos: [], chosenPhotoId: null, useVideoAudioAsVoice: false, v2AppearanceFrom: 'video' }),
  /** The person's consent to this twin (shared/consent.ts); kept with the draft, never uploaded. */
  consent: consentSchema.default(() => consentSchema.parse({})),
  /** The upload files as the review prepared and hashed them. */
  prepared: z.array(preparedRecordSchema).default([]),
  approval: z
    .object({ approvedAt: z.string(), approvedBy: z.string(), ...approvalDetailFields })
    .nullable()
    .default(null),
});
export type Draft = z.infer<typeof draftSchema>;

/**
 * What a draft's own record says about its progress, small enough to travel in a list: where the
 * draft stands, in words, is worked out from this and its submission by shared/draft-status.ts.
 */
export const draftFactsSchema = z.object({
  avatarVersion: z.enum(avatarVersions),
  /** The twin's voice is the chosen video's sound: no voice take is needed. */
  voiceFromVideo: z.boolean(),
  /** stale: approved once, changed since. */
  approval: z.enum(['none', 'approved', 'stale']),
  /** What each material step still lacks, in words ("a voice take"); empty when the step is done. */
  missing: z.object({ person: z.array(z.string()), voice: z.array(z.string()), camera: z.array(z.string()) }),
});
export type DraftFacts = z.infer<typeof draftFactsSchema>;

export const draftSummarySchema = z.object({
  id: draftIdSchema,
  displayName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  avatarVersion: z.enum(avatarVersions),
  missing: z.array(z.string()),
  facts: draftFactsSchema,
});
export type DraftSummary = z.infer<typeof draftSummarySchema>;

/** A draft folder whose metadata could not be read: reported, moved aside, never dropped. */
export const draftProblemSchema = z.object({
  id: z.string(),
  message: z.string(),
  keptAs: z.string(),
});
export type DraftProblem = z.infer<typeof draftProblemSchema>;

export function displayName(person: Pick<PersonDraft, 'firstName' | 'lastName'>): string {
  const name = `${person.firstName} ${person.lastName}`.trim();
  return name || 'Unnamed person';
}
