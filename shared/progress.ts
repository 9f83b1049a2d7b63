/** What each draft's material still lacks, step by step; where the draft stands as a whole is shared/draft-status.ts. */
import { appearanceOf, voiceFromVideo } from './camera';
import type { Draft } from './drafts';
import { twinPersonSchema } from './twin';

export const steps = ['person', 'voice', 'camera', 'review', 'submit'] as const;
export type Step = (typeof steps)[number];

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
  if (voiceFromVideo(draft)) return [];
  const take = chosen(draft.voice.takes, draft.voice.chosenTakeId);
  if (!take) return ['a voice take'];
  if (hasFailingCheck(take.checks)) return ['a voice take that passes its checks'];
  return [];
}

function cameraMissing(draft: Draft): string[] {
  if (appearanceOf(draft) === 'photo') {
    const photo = chosen(draft.camera.photos, draft.camera.chosenPhotoId);
    if (!photo) return ['a reference photo'];
    return hasFailingCheck(photo.checks) ? ['a photo that passes its checks'] : [];
  }
  const take = chosen(draft.camera.videoTakes, draft.camera.chosenVideoTakeId);
  if (!take) return ['a speaking video'];
  return hasFailingCheck(take.checks) ? ['a video that passes its checks'] : [];
}

/** The steps whose material the draft itself holds; review and submit follow from them (shared/draft-status.ts). */
export const materialSteps = ['person', 'voice', 'camera'] as const;
export type MaterialStep = (typeof materialSteps)[number];

/** What each material step still lacks, in words ("a voice take"); an empty list means the step is done. */
export function materialMissing(draft: Draft): Record<MaterialStep, string[]> {
  return { person: personMissing(draft), voice: voiceMissing(draft), camera: cameraMissing(draft) };
}

/** Everything still missing before the draft can be approved, in step order. */
export function missingBeforeApproval(draft: Draft): string[] {
  const missing = materialMissing(draft);
  return materialSteps.flatMap((step) => missing[step]);
}
