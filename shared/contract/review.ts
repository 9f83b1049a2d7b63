/**
 * Calls of the review and the consent record: the operator's attestation, preparing the exact files
 * to submit, and the approval that writes the consent receipt. The consent take itself is a take
 * like any other (`takes/*` with kind `consent`). The main process refuses an approval the rules in shared/approval.ts do not allow.
 */
import { z } from 'zod';
import { attestationSchema, consentReceiptSchema, preparedRecordSchema, submissionRoles } from '../consent';
import { draftSchema } from '../drafts';
import { draftIdSchema } from '../ids';
import { jobIdSchema } from '../media';
import { defineCall } from './define';
import { likenessSchema } from '../consent';

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
  /** "Same person" between the consent take and the material (shared/approval.ts likenessOf); a mismatch needs an override with a reason. */
  likeness: z.array(likenessSchema),
});
export type ReviewState = z.infer<typeof reviewStateSchema>;

export const reviewCalls = {
  /** The review of a draft; gives the draft its consent code the first time. */
  'review/state': defineCall(z.strictObject({ draftId: draftIdSchema }), reviewStateSchema),
  /** Prepares (or prepares again) every file this draft would submit and records its hash. */
  'review/prepare': defineCall(z.strictObject({ draftId: draftIdSchema, jobId: jobIdSchema.optional() }), reviewStateSchema),
  /**
   * Approves the draft: every hard rule passes, every warning key is acknowledged, the consent is
   * complete. Writes the consent receipt. Refused with CONSENT_REQUIRED or CONFLICT otherwise.
   */
  'review/approve': defineCall(
    z.strictObject({
      draftId: draftIdSchema,
      approvedBy: z.string().trim().min(1, 'Enter your name').max(100),
      acknowledgedWarnings: z.array(z.string().max(200)).max(200),
      /** Why the reviewer approves although the faces look like different people; required when they do. */
      likenessOverride: z.string().trim().min(1).max(500).optional(),
    }),
    z.object({ state: reviewStateSchema, receipt: consentReceiptSchema }),
  ),
  'review/withdraw': defineCall(z.strictObject({ draftId: draftIdSchema }), reviewStateSchema),
  /** The receipt written on approval, as the file holds it (for saving a copy). */
  'review/receipt': defineCall(z.strictObject({ draftId: draftIdSchema }), z.object({ fileName: z.string(), text: z.string(), receipt: consentReceiptSchema })),
  'review/attest': defineCall(
    z.strictObject({ draftId: draftIdSchema, operatorName: attestationSchema.shape.operatorName, date: attestationSchema.shape.date }),
    draftSchema,
  ),
};

export const reviewEvents = {};
