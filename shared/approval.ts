/**
 * The approval gate, one set of rules for the review screen (what to show, whether the button is
 * live) and the main process (which refuses an approval these rules do not allow): every hard rule
 * passes, the consent is complete, the files to submit are prepared from the current choices, and
 * every warning is acknowledged by name.
 */
import { type PreparedRecord, type SubmissionRole, consentStatement, fullName } from './consent';
import { appearanceOf, voiceFromVideo } from './camera';
import type { CheckResult, Draft, Photo, Take } from './drafts';
import { samePerson } from './faces';
import { missingBeforeApproval } from './progress';
import { consentRules, photoRules, videoRules, voiceRules } from './requirements';

export type BlockerArea = 'material' | 'consent' | 'prepared';
export type Blocker = { id: string; area: BlockerArea; message: string };
export type ReviewWarning = { key: string; source: string; label: string; reason: string };

function chosen<T extends { id: string }>(items: T[], id: string | null): T | null {
  return (id && items.find((item) => item.id === id)) || null;
}

export function chosenVoiceTake(draft: Draft): Take | null {
  return chosen(draft.voice.takes, draft.voice.chosenTakeId);
}

export function chosenVideoTake(draft: Draft): Take | null {
  return chosen(draft.camera.videoTakes, draft.camera.chosenVideoTakeId);
}

export function chosenPhoto(draft: Draft): Photo | null {
  return chosen(draft.camera.photos, draft.camera.chosenPhotoId);
}

/**
 * The files a twin request of this draft carries: a voice and a photo (v1, or v2 made from a photo),
 * or a video and (unless the video carries it) a voice.
 */
export function submissionRolesOf(draft: Draft): SubmissionRole[] {
  if (appearanceOf(draft) === 'photo') return ['voice', 'photo'];
  return voiceFromVideo(draft) ? ['video'] : ['voice', 'video'];
}

/** The take or photo a role's file is made from, and its trim. */
export function sourceOf(draft: Draft, role: SubmissionRole): { id: string; trim: Take['trim'] } | null {
  if (role === 'photo') {
    const photo = chosenPhoto(draft);
    return photo ? { id: photo.id, trim: null } : null;
  }
  const take = role === 'voice' ? chosenVoiceTake(draft) : chosenVideoTake(draft);
  return take ? { id: take.id, trim: take.trim } : null;
}

function sameTrim(a: Take['trim'], b: Take['trim']): boolean {
  return (a?.startMs ?? null) === (b?.startMs ?? null) && (a?.endMs ?? null) === (b?.endMs ?? null);
}

/** The prepared file of a role, if it was made from the current choice (same take, same trim). */
export function currentPrepared(draft: Draft, role: SubmissionRole): PreparedRecord | null {
  const source = sourceOf(draft, role);
  const record = draft.prepared.find((item) => item.role === role);
  if (!source || !record) return null;
  return record.sourceId === source.id && sameTrim(record.sourceTrim, source.trim) ? record : null;
}

/** Why a prepared file breaks the service's rules, or null. */
export function preparedFileProblem(record: PreparedRecord): string | null {
  const seconds = (record.info.durationMs ?? 0) / 1000;
  if (record.role === 'voice') {
    if (record.info.bytes > voiceRules.maxBytes) return `The prepared voice file is larger than ${voiceRules.maxBytes / 1024 / 1024} MB.`;
    if (seconds < voiceRules.minSeconds || seconds > voiceRules.maxSeconds) {
      return `The prepared voice file lasts ${Math.round(seconds)} s; the service takes ${voiceRules.minSeconds}–${voiceRules.maxSeconds} s.`;
    }
  }
  if (record.role === 'video') {
    if (!record.info.video) return 'The prepared video file has no picture.';
    if (seconds < videoRules.minSeconds || seconds > videoRules.maxSeconds) {
      return `The prepared video lasts ${Math.round(seconds)} s; the service takes ${videoRules.minSeconds}–${videoRules.maxSeconds} s.`;
    }
  }
  if (record.role === 'photo') {
    const video = record.info.video;
    if (!video) return 'The prepared photo could not be read.';
    const ratio = video.width / video.height;
    if (Math.abs(ratio - photoRules.aspect) > photoRules.aspect * photoRules.aspectTolerance) return 'The prepared photo is not 16:9.';
    if (video.width < photoRules.minWidth || video.height < photoRules.minHeight) {
      return `The prepared photo is ${video.width}×${video.height}; it needs at least ${photoRules.minWidth}×${photoRules.minHeight}.`;
    }
  }
  return null;
}

/** What the consent still lacks, in the order an operator would fix it. */
export function consentBlockers(draft: Draft): Blocker[] {
  const blockers: Blocker[] = [];
  const name = fullName(draft.person);
  const consent = draft.consent;
  const block = (id: string, message: string) => blockers.push({ id: `consent:${id}`, area: 'consent', message });
  if (!draft.person.firstName.trim() || !draft.person.lastName.trim()) block('name', 'Enter the person’s full name: the consent statement names them.');
  if (!consent.take) block('take', 'Record the person reading the consent statement.');
  else {
    if (consent.take.state !== 'complete') block('take-state', 'The consent take was interrupted: record it again.');
    if (consent.take.checks.some((check) => check.verdict === 'fail')) block('take-checks', 'The consent take fails its checks: record it again.');
    if (consent.code && name && consent.statement !== consentStatement(name, consent.code)) {
      block('statement', 'The person’s name changed after the consent was recorded: record the statement again.');
    }
  }
  if (!consent.attestation) block('attestation', 'The operator has not attested the consent yet (name and date).');
  return blockers;
}

/** Every hard rule that stands between this draft and its approval; empty means it may be approved. */
export function approvalBlockers(draft: Draft): Blocker[] {
  const blockers: Blocker[] = missingBeforeApproval(draft).map((missing) => ({
    id: `material:${missing}`,
    area: 'material' as const,
    message: `Needs ${missing}.`,
  }));
  blockers.push(...consentBlockers(draft));
  for (const role of submissionRolesOf(draft)) {
    if (!sourceOf(draft, role)) continue; // already reported as missing material
    const record = currentPrepared(draft, role);
    if (!record) {
      blockers.push({ id: `prepared:${role}`, area: 'prepared', message: `Prepare the ${role} file from the current ${role === 'photo' ? 'photo' : 'take'}.` });
      continue;
    }
    const problem = preparedFileProblem(record);
    if (problem) blockers.push({ id: `prepared:${role}:rules`, area: 'prepared', message: problem });
  }
  return blockers;
}

function warningsOf(source: string, label: string, id: string, checks: CheckResult[]): ReviewWarning[] {
  return checks
    .filter((check) => check.verdict === 'warn')
    .map((check) => ({ key: `${source}:${id}:${check.id}`, source: label, label: check.label, reason: check.reason }));
}

/** Every warning on the material that would be submitted and on the consent take: each needs an acknowledgement. */
export function approvalWarnings(draft: Draft): ReviewWarning[] {
  const warnings: ReviewWarning[] = [];
  const roles = submissionRolesOf(draft);
  const voice = chosenVoiceTake(draft);
  if (voice && roles.includes('voice')) warnings.push(...warningsOf('voice', 'Voice take', voice.id, voice.checks));
  const video = chosenVideoTake(draft);
  if (video && roles.includes('video')) warnings.push(...warningsOf('video', 'Video take', video.id, video.checks));
  const photo = chosenPhoto(draft);
  if (photo && roles.includes('photo')) warnings.push(...warningsOf('photo', 'Photo', photo.id, photo.checks));
  const consentTake = draft.consent.take;
  if (consentTake) warnings.push(...warningsOf('consent', 'Consent take', consentTake.id, consentTake.checks));
  return warnings;
}

/**
 * Everything an approval vouches for, as one string: the person, the choices and trims, the consent
 * and the prepared files' hashes. A change to any of them withdraws the approval.
 */
export function materialKey(draft: Draft): string {
  const roles = submissionRolesOf(draft);
  return JSON.stringify({
    person: draft.person,
    roles,
    sources: roles.map((role) => sourceOf(draft, role)),
    prepared: roles.map((role) => currentPrepared(draft, role)?.sha256 ?? null),
    consent: { code: draft.consent.code, take: draft.consent.take?.id ?? null, attestation: draft.consent.attestation },
  });
}

export type ApprovalState = 'none' | 'approved' | 'stale';

export function approvalState(draft: Draft): ApprovalState {
  if (!draft.approval) return 'none';
  return draft.approval.materialKey === materialKey(draft) ? 'approved' : 'stale';
}

/** The consent take's own checks: the statement cannot fit in a few seconds, and silence says nothing. */
export function consentDurationCheck(durationMs: number): CheckResult {
  const seconds = durationMs / 1000;
  if (seconds < consentRules.minSeconds) {
    return {
      id: 'duration',
      label: 'Length',
      verdict: 'fail',
      reason: `${seconds.toFixed(1)} s is too short to hold the whole statement (at least ${consentRules.minSeconds} s).`,
      value: seconds,
    };
  }
  if (seconds > consentRules.maxSeconds) {
    return {
      id: 'duration',
      label: 'Length',
      verdict: 'warn',
      reason: `${Math.round(seconds)} s is longer than the statement needs; make sure it is all there.`,
      value: seconds,
    };
  }
  return { id: 'duration', label: 'Length', verdict: 'pass', reason: `${seconds.toFixed(1)} s`, value: seconds };
}

/**
 * "Same person": the consent take's face against the face of what is submitted (the chosen video
 * take, kept from the faces seen while it was recorded or found in an imported file, or the chosen
 * photo, found when it was taken or imported), and the video against the photo when the draft has
 * chosen both. A pair is listed only when both sides have a face descriptor.
 */
export type Likeness = { id: string; label: string; similarity: number; same: boolean; headline: string };

export function likenessOf(draft: Draft): Likeness[] {
  const consent = draft.consent.take?.faces?.descriptor ?? null;
  const video = chosenVideoTake(draft)?.faces?.descriptor ?? null;
  const photo = chosenPhoto(draft)?.faces?.descriptor ?? null;
  const roles = submissionRolesOf(draft);
  const pairs: { id: string; label: string; a: number[] | null; b: number[] | null }[] = [
    { id: 'consent-video', label: 'Consent take and video take', a: consent, b: roles.includes('video') ? video : null },
    { id: 'consent-photo', label: 'Consent take and photo', a: consent, b: roles.includes('photo') ? photo : null },
    { id: 'video-photo', label: 'Video take and photo', a: video, b: photo },
  ];
  return pairs.flatMap(({ id, label, a, b }) => (a && b ? [{ id, label, ...samePerson(a, b) }] : []));
}

/** The mismatches an approval must override with a reason (the main process refuses it otherwise). */
export function likenessMismatches(draft: Draft): Likeness[] {
  return likenessOf(draft).filter((item) => !item.same);
}
