/**
 * Where a draft stands and what it still needs, in the words every screen shows: the sidebar, the
 * step bar, the Library, Submit and the Twins screen's queue all take their words from draftStatus
 * and word no state themselves, so no two screens can say different things about one draft.
 */
import { z } from 'zod';
import { approvalState } from './approval';
import { voiceFromVideo } from './camera';
import { type SubmissionStep, submissionStates, submissionSteps } from './contract/submission';
import type { Draft, DraftFacts } from './drafts';
import { materialMissing, materialSteps, steps } from './progress';

/**
 * In order: material missing; complete, not approved; approved, then changed; approved; and the
 * submission's own states (needs-choice: the service did not answer a create and the person picks
 * which listed twin, if any, is this draft's).
 */
export const draftStages = [
  'material',
  'review',
  'changed',
  'approved',
  'queued',
  'submitting',
  'needs-choice',
  'generating',
  'ready',
  'failed',
  'cancelled',
] as const;
export type DraftStage = (typeof draftStages)[number];

/** How a screen colours the label: none (in progress), pass, warn, fail. */
export const statusTones = ['none', 'pass', 'warn', 'fail'] as const;
export type StatusTone = (typeof statusTones)[number];

/** The fields of a submission its status is read from; a full Submission has them. */
export const submissionGlanceSchema = z.object({
  state: z.enum(submissionStates),
  step: z.enum(submissionSteps),
  twin: z.object({ status: z.string().nullable() }).nullable(),
  error: z.object({ step: z.enum(submissionSteps), message: z.string() }).nullable(),
});
export type SubmissionGlance = z.infer<typeof submissionGlanceSchema>;

export const stepStatusSchema = z.object({
  step: z.enum(steps),
  done: z.boolean(),
  /** Under the step's name in the step bar: "Done", what it needs first, or what it stands at. */
  text: z.string(),
  /** The whole of it, lower case, after "Voice: " (the step's accessible name and tooltip). */
  detail: z.string(),
});
export type StepStatus = z.infer<typeof stepStatusSchema>;

export const draftStatusSchema = z.object({
  stage: z.enum(draftStages),
  /** A few words: the sidebar, the Library's State column, the Submit badge. */
  label: z.string(),
  /** One or two sentences: what it means and what to do next. */
  detail: z.string(),
  tone: z.enum(statusTones),
  /** What the draft still needs from the person, step by step ("a voice take" on voice); empty once submitted. */
  needs: z.array(z.object({ step: z.enum(steps), what: z.string() })),
  /** Every step of the step bar, in order. */
  steps: z.array(stepStatusSchema),
});
export type DraftStatus = z.infer<typeof draftStatusSchema>;

/** The facts a status is worked out from, read from the draft (drafts/list carries them as they are). */
export function draftFacts(draft: Draft): DraftFacts {
  return {
    avatarVersion: draft.person.avatarVersion,
    voiceFromVideo: voiceFromVideo(draft),
    approval: approvalState(draft),
    missing: materialMissing(draft),
  };
}

/** The names of the submission's steps, as the Submit screen lists them. */
export const submissionStepNames: Record<Exclude<SubmissionStep, 'done'>, string> = {
  validate: 'Check the draft',
  prepare: 'Check the approved files',
  upload: 'Upload and check public access',
  create: 'Request the twin',
  follow: 'Generation',
};

/** What a running submission is doing, after "Submitting: ". */
const runningWords: Record<SubmissionStep, string> = {
  validate: 'checking the draft',
  prepare: 'checking the files',
  upload: 'uploading',
  create: 'requesting the twin',
  follow: 'requesting the twin',
  done: 'finishing',
};

const twinStatusWords: Record<string, string> = {
  pending: 'Generating',
  generationCompleted: 'Generated, finishing',
  readyToUse: 'Ready to use',
  completed: 'Completed',
  failed: 'Failed',
  blocked: 'Blocked',
};

/** A twin's status on the service in words ("readyToUse" → "Ready to use"); a status the studio does not know, as sent. */
export function twinStatusWord(status: string | null): string {
  if (status === null) return 'Requested';
  return twinStatusWords[status] ?? status;
}

type Standing = Pick<DraftStatus, 'stage' | 'label' | 'detail' | 'tone'>;

/** Where a submission stands, whatever the draft holds: the Twins screen's queue shows this alone. */
export function submissionStatus(submission: SubmissionGlance): Standing {
  const twin = twinStatusWord(submission.twin?.status ?? null);
  switch (submission.state) {
    case 'queued':
      return {
        stage: 'queued',
        label: 'Queued to submit',
        detail: 'Submissions run one after another: this one starts when those before it are done.',
        tone: 'none',
      };
    case 'running':
      return {
        stage: 'submitting',
        label: `Submitting: ${runningWords[submission.step]}`,
        detail: 'The studio is sending it in the background; leaving the screen or quitting does not lose it.',
        tone: 'none',
      };
    case 'needs-choice':
      return {
        stage: 'needs-choice',
        label: 'Twin to confirm',
        detail: 'The service did not answer the request, and cannot prove which of its twins it made: choose on the Submit step.',
        tone: 'warn',
      };
    case 'following':
      return {
        stage: 'generating',
        label: `Twin ${twin.charAt(0).toLowerCase()}${twin.slice(1)}`,
        detail: 'The service is making the twin (a v2 twin can take hours); the studio checks on it in the background, also after a restart.',
        tone: 'none',
      };
    case 'done':
      return { stage: 'ready', label: 'Twin ready', detail: `${twin}: make an agent from it on the Twins screen.`, tone: 'pass' };
    case 'failed':
      return {
        stage: 'failed',
        label: submission.error?.step === 'follow' ? 'Twin failed' : 'Submission stopped',
        detail: submission.error?.message ?? 'The submission stopped: try again on the Submit step.',
        tone: 'fail',
      };
    case 'cancelled':
      return { stage: 'cancelled', label: 'Submission cancelled', detail: 'Uploaded files are kept; submitting again continues from there.', tone: 'warn' };
  }
}

/** Where a draft without a submission stands: its material, then its approval. */
function draftStanding(facts: DraftFacts, missingCount: number): Standing {
  if (facts.approval === 'approved') return { stage: 'approved', label: 'Approved', detail: 'Approved: submit it on the Submit step.', tone: 'pass' };
  if (facts.approval === 'stale') {
    return { stage: 'changed', label: 'Changed since approval', detail: 'Something changed after the approval: review and approve it again.', tone: 'warn' };
  }
  if (missingCount > 0) {
    const needs = materialSteps.flatMap((step) => facts.missing[step]);
    return { stage: 'material', label: `${missingCount} to do`, detail: `Needs ${needs.join(', ')}.`, tone: 'none' };
  }
  return {
    stage: 'review',
    label: 'Ready for review',
    detail: 'The material is complete: prepare the files, record the consent and approve it on the Review step.',
    tone: 'none',
  };
}

function materialStep(step: 'person' | 'camera', missing: string[]): StepStatus {
  return missing.length === 0
    ? { step, done: true, text: 'Done', detail: 'done' }
    : { step, done: false, text: missing[0]!, detail: `needs ${missing.join(', ')}` };
}

function voiceStep(facts: DraftFacts): StepStatus {
  if (!facts.voiceFromVideo) {
    const missing = facts.missing.voice;
    return missing.length === 0
      ? { step: 'voice', done: true, text: 'Done', detail: 'done' }
      : { step: 'voice', done: false, text: missing[0]!, detail: `needs ${missing.join(', ')}` };
  }
  // No voice take is asked for, but the voice is only there once the video is.
  const videoReady = facts.missing.camera.length === 0;
  return {
    step: 'voice',
    done: videoReady,
    text: 'Video’s sound',
    detail: videoReady ? 'done: the voice is the chosen video’s sound' : 'the voice will be the video’s sound: choose a video on the Camera step',
  };
}

/**
 * Where a draft stands (`label`, `detail`), what it still needs, and each step of the step bar.
 * A submission, when there is one, says where it stands; before that, the approval and the material do.
 */
export function draftStatus(draft: Draft | DraftFacts, submission?: SubmissionGlance | null): DraftStatus {
  const facts = 'schemaVersion' in draft ? draftFacts(draft) : draft;
  const materialNeeds = materialSteps.flatMap((step) => facts.missing[step].map((what) => ({ step, what })));
  const standing = submission ? submissionStatus(submission) : draftStanding(facts, materialNeeds.length);

  const approved = facts.approval === 'approved';
  const review: StepStatus = approved
    ? { step: 'review', done: true, text: 'Done', detail: 'done' }
    : facts.approval === 'stale'
      ? { step: 'review', done: false, text: 'approve again', detail: 'needs approving again: something changed since' }
      : materialNeeds.length > 0
        ? { step: 'review', done: false, text: 'complete material', detail: 'needs complete material' }
        : { step: 'review', done: false, text: 'approval', detail: 'needs approval' };
  const submit: StepStatus = submission
    ? { step: 'submit', done: standing.stage === 'ready', text: standing.label, detail: standing.label.toLowerCase() }
    : approved
      ? { step: 'submit', done: false, text: 'submission', detail: 'needs submitting' }
      : { step: 'submit', done: false, text: 'an approved draft', detail: 'needs an approved draft' };

  let needs: DraftStatus['needs'];
  if (submission) {
    needs =
      standing.stage === 'failed' || standing.stage === 'cancelled'
        ? [{ step: 'submit', what: 'submitting again' }]
        : standing.stage === 'needs-choice'
          ? [{ step: 'submit', what: 'your choice of twin' }]
          : [];
  } else if (standing.stage === 'approved') {
    needs = [{ step: 'submit', what: 'submission' }];
  } else if (standing.stage === 'review' || standing.stage === 'changed') {
    needs = [...materialNeeds, { step: 'review', what: standing.stage === 'changed' ? 'approving again' : 'approval' }];
  } else {
    needs = materialNeeds;
  }

  return {
    ...standing,
    needs,
    steps: [materialStep('person', facts.missing.person), voiceStep(facts), materialStep('camera', facts.missing.camera), review, submit],
  };
}
