/**
 * One truth about a draft's state: draftStatus over every stage a draft goes through, from an
 * empty form to a ready twin, and the same words for the same submission whoever asks.
 */
import { describe, expect, it } from 'vitest';
import { materialKey } from '../../shared/approval';
import { type SubmissionState, submissionStates, submissionSteps } from '../../shared/contract/submission';
import { type SubmissionGlance, draftFacts, draftStages, draftStatus, submissionStatus, twinStatusWord } from '../../shared/draft-status';
import { type Draft, type DraftFacts, type Take, draftSchema } from '../../shared/drafts';

const take = (id: string, kind: Take['kind'], verdict: 'pass' | 'warn' | 'fail' = 'pass'): Take => ({
  id,
  kind,
  source: 'recorded',
  fileName: `${kind}-${id}.webm`,
  mimeType: kind === 'video' ? 'video/mp4' : 'audio/webm',
  createdAt: '2025-01-01T10:00:00.000Z',
  state: 'complete',
  durationMs: 70_000,
  bytes: 1000,
  trim: null,
  checks: [{ id: 'level', label: 'Level', verdict, reason: verdict, value: null }],
  originalName: null,
});

const person = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  description: 'Analyst and writer; speaks precisely and warmly about engines.',
  gender: 'female',
  ethnicity: 'white',
  externalClientId: 'emp-1815',
};

function draft(overrides: Record<string, unknown> = {}): Draft {
  return draftSchema.parse({ id: 'd_0123456789', createdAt: '2025-01-01T09:00:00.000Z', updatedAt: '2025-01-01T09:00:00.000Z', ...overrides });
}

/** A v1 draft with its person, voice take and photo. */
function completeV1(): Draft {
  return draft({
    person: { ...person, avatarVersion: 'v1' },
    voice: { takes: [take('t_voice000001', 'voice')], chosenTakeId: 't_voice000001' },
    camera: {
      photos: [
        { id: 't_photo000001', source: 'camera', fileName: 'photo-1.jpg', createdAt: '2025-01-01T10:00:00.000Z', width: 1920, height: 1080, checks: [] },
      ],
      chosenPhotoId: 't_photo000001',
    },
  });
}

function approve(value: Draft): Draft {
  return {
    ...value,
    approval: {
      approvedAt: '2025-01-01T11:00:00.000Z',
      approvedBy: 'Rita Reviewer',
      acknowledgedWarnings: [],
      files: [],
      consentTakeSha256: null,
      receiptFileName: null,
      receiptSha256: null,
      materialKey: materialKey(value),
    },
  };
}

const glance = (state: SubmissionState, patch: Partial<SubmissionGlance> = {}): SubmissionGlance => ({
  state,
  step: 'validate',
  twin: null,
  error: null,
  ...patch,
});

const words = (status: ReturnType<typeof draftStatus>) => ({ stage: status.stage, label: status.label, tone: status.tone });
const stepBar = (status: ReturnType<typeof draftStatus>) => status.steps.map((step) => `${step.step}:${step.done ? '✓' : '·'}:${step.text}`);

describe('draftStatus before a submission', () => {
  it('an empty draft needs its material, and counts it', () => {
    const status = draftStatus(draft());
    expect(words(status)).toEqual({ stage: 'material', label: `${status.needs.length} to do`, tone: 'none' });
    expect(status.needs.map((need) => need.step)).toEqual(['person', 'person', 'person', 'person', 'person', 'person', 'voice', 'camera']);
    expect(status.needs.at(-1)).toEqual({ step: 'camera', what: 'a speaking video' });
    expect(status.detail).toMatch(/^Needs first name, .*a voice take, a speaking video\.$/);
    expect(stepBar(status)).toEqual([
      'person:·:first name',
      'voice:·:a voice take',
      'camera:·:a speaking video',
      'review:·:complete material',
      'submit:·:an approved draft',
    ]);
    expect(status.steps[1]!.detail).toBe('needs a voice take');
  });

  it('complete material is ready for review', () => {
    const status = draftStatus(completeV1());
    expect(words(status)).toEqual({ stage: 'review', label: 'Ready for review', tone: 'none' });
    expect(status.needs).toEqual([{ step: 'review', what: 'approval' }]);
    expect(stepBar(status)).toEqual(['person:✓:Done', 'voice:✓:Done', 'camera:✓:Done', 'review:·:approval', 'submit:·:an approved draft']);
  });

  it('a failing take is not material', () => {
    const value = completeV1();
    const failing = { ...value, voice: { takes: [take('t_voice000001', 'voice', 'fail')], chosenTakeId: 't_voice000001' } };
    const status = draftStatus(failing);
    expect(words(status)).toEqual({ stage: 'material', label: '1 to do', tone: 'none' });
    expect(status.needs).toEqual([{ step: 'voice', what: 'a voice take that passes its checks' }]);
  });

  it('an approved draft waits for its submission', () => {
    const status = draftStatus(approve(completeV1()));
    expect(words(status)).toEqual({ stage: 'approved', label: 'Approved', tone: 'pass' });
    expect(status.needs).toEqual([{ step: 'submit', what: 'submission' }]);
    expect(stepBar(status).slice(3)).toEqual(['review:✓:Done', 'submit:·:submission']);
  });

  it('a change after the approval withdraws it', () => {
    const approved = approve(completeV1());
    const changed = { ...approved, person: { ...approved.person, description: 'Someone else entirely.' } };
    const status = draftStatus(changed);
    expect(words(status)).toEqual({ stage: 'changed', label: 'Changed since approval', tone: 'warn' });
    expect(status.needs).toEqual([{ step: 'review', what: 'approving again' }]);
    expect(stepBar(status)[3]).toBe('review:·:approve again');
  });
});

describe('a v2 draft whose voice is the video’s sound', () => {
  const v2 = (withVideo: boolean) =>
    draft({
      person: { ...person, avatarVersion: 'v2' },
      camera: withVideo
        ? { videoTakes: [take('t_video000001', 'video')], chosenVideoTakeId: 't_video000001', useVideoAudioAsVoice: true }
        : { useVideoAudioAsVoice: true },
    });

  it('needs no voice take, and the step bar says where the voice comes from', () => {
    const status = draftStatus(v2(true));
    expect(draftFacts(v2(true)).voiceFromVideo).toBe(true);
    expect(status.stage).toBe('review');
    expect(status.steps[1]).toEqual({ step: 'voice', done: true, text: 'Video’s sound', detail: 'done: the voice is the chosen video’s sound' });
  });

  it('is not done before there is a video to take the sound from', () => {
    const status = draftStatus(v2(false));
    expect(status.steps[1]).toMatchObject({ step: 'voice', done: false, text: 'Video’s sound' });
    expect(status.steps[1]!.detail).toMatch(/choose a video on the Camera step/);
    // The missing video is counted once, on the camera step.
    expect(status.needs).toEqual([{ step: 'camera', what: 'a speaking video' }]);
  });

  it('a v1 draft with the switch left on still needs its voice take', () => {
    const value = draft({ person: { ...person, avatarVersion: 'v1' }, camera: { useVideoAudioAsVoice: true } });
    expect(draftFacts(value).voiceFromVideo).toBe(false);
    expect(draftStatus(value).steps[1]).toMatchObject({ done: false, text: 'a voice take' });
  });
});

describe('draftStatus with a submission', () => {
  const approved = approve(completeV1());

  it('words every submission state, and the submission decides the stage', () => {
    const cases: [SubmissionGlance, string, string][] = [
      [glance('queued'), 'queued', 'Queued to submit'],
      [glance('running', { step: 'validate' }), 'submitting', 'Submitting: checking the draft'],
      [glance('running', { step: 'prepare' }), 'submitting', 'Submitting: checking the files'],
      [glance('running', { step: 'upload' }), 'submitting', 'Submitting: uploading'],
      [glance('running', { step: 'create' }), 'submitting', 'Submitting: requesting the twin'],
      [glance('needs-choice', { step: 'create' }), 'needs-choice', 'Twin to confirm'],
      [glance('following', { step: 'follow', twin: { status: null } }), 'generating', 'Twin requested'],
      [glance('following', { step: 'follow', twin: { status: 'pending' } }), 'generating', 'Twin generating'],
      [glance('following', { step: 'follow', twin: { status: 'generationCompleted' } }), 'generating', 'Twin generated, finishing'],
      [glance('following', { step: 'follow', twin: { status: 'somethingNew' } }), 'generating', 'Twin somethingNew'],
      [glance('done', { step: 'done', twin: { status: 'readyToUse' } }), 'ready', 'Twin ready'],
      [glance('done', { step: 'done', twin: { status: 'completed' } }), 'ready', 'Twin ready'],
      [glance('failed', { step: 'upload', error: { step: 'upload', message: 'The bucket refused the upload.' } }), 'failed', 'Submission stopped'],
      [glance('failed', { step: 'follow', error: { step: 'follow', message: 'The service could not make the twin.' } }), 'failed', 'Twin failed'],
      [glance('cancelled'), 'cancelled', 'Submission cancelled'],
    ];
    for (const [submission, stage, label] of cases) {
      const status = draftStatus(approved, submission);
      expect({ stage: status.stage, label: status.label }).toEqual({ stage, label });
      // The step bar's Submit says the same as the sidebar, the Library and Submit.
      expect(status.steps[4]!.text).toBe(label);
      expect(status.steps[4]!.done).toBe(stage === 'ready');
    }
    const covered = new Set(cases.map(([submission]) => submission.state));
    expect([...submissionStates].filter((state) => !covered.has(state))).toEqual([]);
  });

  it('a ready twin: done everywhere, nothing more needed, the twin’s status in words', () => {
    const status = draftStatus(approved, glance('done', { step: 'done', twin: { status: 'readyToUse' } }));
    expect(words(status)).toEqual({ stage: 'ready', label: 'Twin ready', tone: 'pass' });
    expect(status.detail).toBe('Ready to use: make an agent from it on the Twins screen.');
    expect(status.needs).toEqual([]);
    expect(status.steps.every((step) => step.done)).toBe(true);
  });

  it('a stopped submission says why, and needs submitting again', () => {
    const status = draftStatus(approved, glance('failed', { step: 'upload', error: { step: 'upload', message: 'The bucket refused the upload.' } }));
    expect(words(status)).toEqual({ stage: 'failed', label: 'Submission stopped', tone: 'fail' });
    expect(status.detail).toBe('The bucket refused the upload.');
    expect(status.needs).toEqual([{ step: 'submit', what: 'submitting again' }]);
  });

  it('says the same of one submission whatever the draft holds, and whoever passes the draft', () => {
    const submission = glance('queued');
    const fromDraft = draftStatus(approved, submission);
    const fromFacts = draftStatus(draftFacts(approved), submission);
    const fromElsewhere = draftStatus(draft(), submission);
    expect(fromFacts).toEqual(fromDraft);
    expect(fromElsewhere.label).toBe(fromDraft.label);
    expect(submissionStatus(submission)).toEqual({ stage: fromDraft.stage, label: fromDraft.label, detail: fromDraft.detail, tone: fromDraft.tone });
  });

  it('every step of a submission is worded, and every stage is reachable', () => {
    const reached = new Set<string>();
    for (const state of submissionStates) for (const step of submissionSteps) reached.add(draftStatus(approved, glance(state, { step })).stage);
    for (const value of [draft(), completeV1(), approved, { ...approved, person: { ...approved.person, lastName: 'Byron' } }])
      reached.add(draftStatus(value).stage);
    expect([...reached].sort()).toEqual([...draftStages].sort());
    for (const step of submissionSteps) expect(draftStatus(approved, glance('running', { step })).label).toMatch(/^Submitting: [a-z]/);
  });
});

describe('facts travel in lists', () => {
  it('a summary’s facts give the status the full draft gives', () => {
    for (const value of [draft(), completeV1(), approve(completeV1())]) {
      const facts: DraftFacts = JSON.parse(JSON.stringify(draftFacts(value)));
      expect(draftStatus(facts)).toEqual(draftStatus(value));
    }
  });

  it('twin statuses in words', () => {
    expect(twinStatusWord('readyToUse')).toBe('Ready to use');
    expect(twinStatusWord('pending')).toBe('Generating');
    expect(twinStatusWord(null)).toBe('Requested');
    expect(twinStatusWord('archived')).toBe('archived');
  });
});
