/**
 * Calls of the submission pipeline: an approved draft goes validate → prepare → upload → create →
 * follow, each step recorded on disk before the next starts, so quitting or crashing anywhere
 * resumes where it stopped and never creates two twins for one draft.
 */
import { z } from 'zod';
import { submissionRoles } from '../consent';
import { errorCodes } from '../errors';
import { draftIdSchema } from '../ids';
import { defineCall } from './define';

export const submissionSteps = ['validate', 'prepare', 'upload', 'create', 'follow', 'done'] as const;
export type SubmissionStep = (typeof submissionSteps)[number];

/**
 * queued: waiting its turn; running: the queue is working on it; following: the twin exists and the
 * studio polls its status; done: ready to use; failed: stopped with a message and a way on; cancelled.
 */
export const submissionStates = ['queued', 'running', 'following', 'done', 'failed', 'cancelled'] as const;
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
});

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
    })
    .default({ state: 'not-sent', attempts: 0, lastSentAt: null }),
  twin: z
    .object({
      id: z.string(),
      status: z.string().nullable(),
      checkedAt: z.string().nullable(),
      readyAt: z.string().nullable().default(null),
    })
    .nullable()
    .default(null),
  /** Twins of earlier attempts that failed on the service: never adopted again. */
  previousTwinIds: z.array(z.string()).default([]),
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
  /** Queues a failed or cancelled submission again, from where it stopped. */
  'submission/retry': defineCall(byDraft, submissionSchema),
};

export const submissionEvents = {
  'submission/changed': submissionSchema,
};
