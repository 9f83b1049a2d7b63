/** What each draft still lacks, step by step: drives the step indicator and the library. */
import type { Draft } from './drafts';
import { twinPersonSchema } from './twin';

export const steps = ['person', 'voice', 'camera', 'review', 'submit'] as const;
export type Step = (typeof steps)[number];

export type StepProgress = { step: Step; done: boolean; missing: string[] };

function personMissing(draft: Draft): string[] {
  const parsed = twinPersonSchema.safeParse(draft.person);
  if (parsed.success) return [];
  const fields = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? 'person')));
  const labels: Record<string, string> = {
    firstName: 'first name',
    lastName: 'last name',
    description: 'description',
    gender: 'gender',
    ethnicity: 'ethnicity',
    externalClientId: 'client id',
  };
  return [...fields].map((field) => labels[field] ?? field);
}

function chosen<T extends { id: string }>(items: T[], id: string | null): T | undefined {
  return id ? items.find((item) => item.id === id) : undefined;
}

function hasFailingCheck(checks: { verdict: string }[]): boolean {
  return checks.some((check) => check.verdict === 'fail');
}

function voiceMissing(draft: Draft): string[] {
  if (draft.person.avatarVersion === 'v2' && draft.camera.useVideoAudioAsVoice) return [];
  const take = chosen(draft.voice.takes, draft.voice.chosenTakeId);
  if (!take) return ['a voice take'];
  if (hasFailingCheck(take.checks)) return ['a voice take that passes its checks'];
  return [];
}

function cameraMissing(draft: Draft): string[] {
  if (draft.person.avatarVersion === 'v1') {
    const photo = chosen(draft.camera.photos, draft.camera.chosenPhotoId);
    if (!photo) return ['a reference photo'];
    return hasFailingCheck(photo.checks) ? ['a photo that passes its checks'] : [];
  }
  const take = chosen(draft.camera.videoTakes, draft.camera.chosenVideoTakeId);
  if (!take) return ['a speaking video'];
  return hasFailingCheck(take.checks) ? ['a video that passes its checks'] : [];
}

export function draftProgress(draft: Draft): StepProgress[] {
  const person = personMissing(draft);
  const voice = voiceMissing(draft);
  const camera = cameraMissing(draft);
  const materialReady = person.length + voice.length + camera.length === 0;
  const review = !materialReady ? ['complete material'] : draft.approval ? [] : ['approval'];
  const submit = review.length > 0 ? ['an approved draft'] : ['submission'];
  return [
    { step: 'person', done: person.length === 0, missing: person },
    { step: 'voice', done: voice.length === 0, missing: voice },
    { step: 'camera', done: camera.length === 0, missing: camera },
    { step: 'review', done: review.length === 0, missing: review },
    { step: 'submit', done: false, missing: submit },
  ];
}

/** Everything still missing before the draft can be approved, in step order. */
export function missingBeforeApproval(draft: Draft): string[] {
  return draftProgress(draft)
    .filter((progress) => progress.step === 'person' || progress.step === 'voice' || progress.step === 'camera')
    .flatMap((progress) => progress.missing);
}
