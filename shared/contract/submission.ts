/**
 * Calls of the submission pipeline: an approved draft goes validate → prepare → upload → create →
 * follow, each step recorded on disk before the next starts, so quitting or crashing anywhere
 * resumes where it stopped and never creates two twins for one draft, nor adopts another's.
 */
import { z } from 'zod';
import { submissionRoles } from '../consent';
import { draftSchema } from '../drafts';
import { errorCodes } from '../errors';
import { draftIdSchema, takeIdSchema } from '../ids';
import { defineCall } from './define';

export const submissionSteps = ['validate', 'prepare', 'upload', 'create', 'follow', 'done'] as const;
export type SubmissionStep = (typeof submissionSteps)[number];

/**
 * queued: waiting its turn; running: the queue is working on it; following: the twin exists and the
 * studio polls its status; done: ready to use; failed: stopped with a message and a way on; cancelled;
 * needs-choice: a create had no answer and the service's list cannot prove which twin (if any) it
 * made, so the person chooses among `candidates` or asks for a new twin.
 */
export const submissionStates = ['queued', 'running', 'following', 'done', 'failed', 'cancelled', 'needs-choice'] as const;
export type SubmissionState = (typeof submissionStates)[number];

/** The tag every twin the studio creates carries: the draft it came from, so it can be found again. */
export const draftTagKey = 'twinStudioDraft';

export const submissionFileSchema = z.object({
  role: z.enum(submissionRoles),
  fileName: z.string(),
  contentType: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string(),
  sentBytes: z.number().int().nonnegative().default(0),
  /** Where the service will fetch it; set once uploaded. */
  publicUrl: z.string().nullable().default(null),
  uploadedAt: z.string().nullable().default(null),
  /** The anonymous check (HTTPS, 200, same length and type) passed at this time. */
  verifiedAt: z.string().nullable().default(null),
});
export type SubmissionFile = z.infer<typeof submissionFileSchema>;

export const submissionErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  step: z.enum(submissionSteps),
  at: z.string(),
  retryAfterSeconds: z.number().optional(),
  /** Form fields of the draft the message is about (the service's 400s). */
  fields: z.record(z.string(), z.string()).optional(),
  /** The service's own error code (`CompanionV2NotEnabled`, …), when it sent one: the screen offers a way on by it. */
  serviceCode: z.string().optional(),
});

/**
 * A twin the service lists that might be the one an unanswered create made, with what the studio
 * could and could not prove about it (`reasons`, plain sentences), for the person to decide.
 */
export const twinCandidateSchema = z.object({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  /** Null when the service did not say. */
  externalClientId: z.string().nullable(),
  status: z.string().nullable(),
  /** ISO 8601, when the service says when it was made. */
  createdAt: z.string().nullable(),
  reasons: z.array(z.string()),
});
export type TwinCandidate = z.infer<typeof twinCandidateSchema>;

export const submissionSchema = z.object({
  draftId: draftIdSchema,
  state: z.enum(submissionStates),
  step: z.enum(submissionSteps),
  queuedAt: z.string(),
  updatedAt: z.string(),
  files: z.array(submissionFileSchema).default([]),
  create: z
    .object({
      /** sending: recorded before the request left; uncertain: no answer came, the twin may exist. */
      state: z.enum(['not-sent', 'sending', 'uncertain', 'created']),
      attempts: z.number().int().nonnegative(),
      lastSentAt: z.string().nullable(),
      /**
       * When the first request of this twin left (ISO 8601): a twin the service made before it cannot be
       * this draft's. Cleared only when a new twin is asked for after a failed one.
       */
      firstSentAt: z.string().nullable().default(null),
      /** Who the last request named: a listed twin without tags is this draft's only if these match. */
      sentAs: z.object({ firstName: z.string(), lastName: z.string(), externalClientId: z.string() }).nullable().default(null),
      /**
       * Ids of the twins of the same name the service listed just before the first request left: none
       * of them can be what it made, whatever the service says (or does not say) about when. Null when
       * that listing could not be had.
       */
      existingBefore: z.array(z.string()).nullable().default(null),
    })
    .default({ state: 'not-sent', attempts: 0, lastSentAt: null, firstSentAt: null, sentAs: null, existingBefore: null }),
  twin: z
    .object({
      id: z.string(),
      status: z.string().nullable(),
      checkedAt: z.string().nullable(),
      readyAt: z.string().nullable().default(null),
    })
    .nullable()
    .default(null),
  /** Never adopted for this draft: twins of earlier attempts that failed, and twins the person said are not this draft's. */
  previousTwinIds: z.array(z.string()).default([]),
  /** With state `needs-choice`: the twins that might be this draft's, none proven. */
  candidates: z.array(twinCandidateSchema).default([]),
  error: submissionErrorSchema.nullable().default(null),
  /** The last things that happened, newest last, for the Submit screen. */
  history: z.array(z.object({ at: z.string(), step: z.enum(submissionSteps), message: z.string() })).default([]),
  /** Marked in the sandbox: the twin lives in the emulator, not on the service. */
  sandbox: z.boolean().default(false),
});
export type Submission = z.infer<typeof submissionSchema>;

const byDraft = z.strictObject({ draftId: draftIdSchema });

export const submissionCalls = {
  /** Queues an approved draft; refused with a message when it cannot be submitted yet. */
  'submission/start': defineCall(byDraft, submissionSchema),
  'submission/get': defineCall(byDraft, submissionSchema.nullable()),
  /** Every draft's submission that is not finished, in queue order, and the finished ones after. */
  'submission/list': defineCall(z.strictObject({}), z.object({ items: z.array(submissionSchema) })),
  /** Stops a queued or running submission before its twin is requested; a created twin is only no longer followed. */
  'submission/cancel': defineCall(byDraft, submissionSchema),
  /** Queues a failed or cancelled submission again, from where it stopped; `needs-choice`: looks for the twin again. */
  'submission/retry': defineCall(byDraft, submissionSchema),
  /**
   * `needs-choice` only: `twinId` is this draft's twin (one of the candidates) and is followed from
   * now on; null says none of them is, and a new twin is requested (those candidates are never adopted).
   */
  'submission/choose': defineCall(z.strictObject({ draftId: draftIdSchema, twinId: z.string().min(1).nullable() }), submissionSchema),
  /**
   * After the service answered `CompanionV2NotEnabled`: the draft becomes a v1 twin made from
   * `photoId` (one of its photos). Everything else is kept; the approval no longer matches, so the
   * draft is prepared and approved again on the Review step before it is submitted.
   */
  'submission/switchToV1': defineCall(z.strictObject({ draftId: draftIdSchema, photoId: takeIdSchema }), draftSchema),
};

export const submissionEvents = {
  'submission/changed': submissionSchema,
};
