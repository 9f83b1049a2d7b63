/**
 * Calls of the review and the consent record: the consent take (streamed like any take), the
 * operator's attestation, preparing the exact files to submit, and the approval that writes the
 * consent receipt. The main process refuses an approval the rules in shared/approval.ts do not allow.
 */
import { z } from 'zod';
import { attestationSchema, consentReceiptSchema, preparedRecordSchema, submissionRoles } from '../consent';
import { draftSchema, takeSchema } from '../drafts';
import { draftIdSchema, takeIdSchema } from '../ids';
import { jobIdSchema } from '../media';
import { defineCall } from './define';
import { takeStreaming } from './takes';

const blockerSchema = z.object({ id: z.string(), area: z.enum(['material', 'consent', 'prepared']), message: z.string() });
const warningSchema = z.object({ key: z.string(), source: z.string(), label: z.string(), reason: z.string() });

export const reviewStateSchema = z.object({
  draft: draftSchema,
  /** The statement to read now: the person's current full name and this draft's code. */
  statement: z.string().nullable(),
  code: z.string().nullable(),
  roles: z.array(z.enum(submissionRoles)),
  /** Each file to submit: prepared from the current choice, stale (made from an earlier one), or missing. */
  files: z.array(
    z.object({
      role: z.enum(submissionRoles),
      state: z.enum(['prepared', 'stale', 'missing']),
      record: preparedRecordSchema.nullable(),
      /** The file on disk still has the hash the review recorded (null when there is nothing to compare). */
      intact: z.boolean().nullable(),
    }),
  ),
  blockers: z.array(blockerSchema),
  warnings: z.array(warningSchema),
  approval: z.enum(['none', 'approved', 'stale']),
  canApprove: z.boolean(),
});
export type ReviewState = z.infer<typeof reviewStateSchema>;

const takeRef = { draftId: draftIdSchema, takeId: takeIdSchema };

export const consentCalls = {
  /** The review of a draft; gives the draft its consent code the first time. */
  'review/state': defineCall(z.strictObject({ draftId: draftIdSchema }), reviewStateSchema),
  /** Prepares (or prepares again) every file this draft would submit and records its hash. */
  'review/prepare': defineCall(
    z.strictObject({ draftId: draftIdSchema, jobId: jobIdSchema.optional() }),
    reviewStateSchema,
  ),
  /**
   * Approves the draft: every hard rule passes, every warning key is acknowledged, the consent is
   * complete. Writes the consent receipt. Refused with CONSENT_REQUIRED or CONFLICT otherwise.
   */
  'review/approve': defineCall(
    z.strictObject({
      draftId: draftIdSchema,
      approvedBy: z.string().trim().min(1, 'Enter your name').max(100),
      acknowledgedWarnings: z.array(z.string().max(200)).max(200),
    }),
    z.object({ state: reviewStateSchema, receipt: consentReceiptSchema }),
  ),
  'review/withdraw': defineCall(z.strictObject({ draftId: draftIdSchema }), reviewStateSchema),
  /** The receipt written on approval, as the file holds it (for saving a copy). */
  'consent/receipt': defineCall(
    z.strictObject({ draftId: draftIdSchema }),
    z.object({ fileName: z.string(), text: z.string(), receipt: consentReceiptSchema }),
  ),
  /** Starts the consent take: the person reads the statement shown now (kept with the take). */
  'consent/beginTake': defineCall(
    z.strictObject({ draftId: draftIdSchema, mimeType: z.string().max(120) }),
    z.object({ takeId: takeIdSchema, statement: z.string(), code: z.string() }),
  ),
  'consent/appendTake': defineCall(
    z.strictObject({
      ...takeRef,
      seq: z.number().int().min(0),
      bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= takeStreaming.maxChunkBytes, 'chunk too large'),
    }),
    z.object({ nextSeq: z.number().int(), bytes: z.number().int() }),
  ),
  /** Ends the consent take: repaired, probed and checked; it replaces any earlier consent take. */
  'consent/finishTake': defineCall(z.strictObject(takeRef), takeSchema),
  'consent/discardTake': defineCall(z.strictObject({ draftId: draftIdSchema }), z.object({ discarded: z.boolean() })),
  'consent/attest': defineCall(
    z.strictObject({ draftId: draftIdSchema, operatorName: attestationSchema.shape.operatorName, date: attestationSchema.shape.date }),
    draftSchema,
  ),
};

export const consentEvents = {};
