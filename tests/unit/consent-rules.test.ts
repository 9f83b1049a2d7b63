/** The consent code and statement, and the approval gate's rules: what blocks, what warns, what withdraws an approval. */
import { describe, expect, it } from 'vitest';
import { approvalBlockers, approvalState, approvalWarnings, materialKey, submissionRolesOf } from '../../shared/approval';
import { appearanceOf, voiceFromVideo } from '../../shared/camera';
import { consentCodeAlphabet, consentCodeFrom, consentCodeSchema, consentStatement, spokenCode } from '../../shared/consent';
import { type Draft, type Take, draftSchema } from '../../shared/drafts';

const take = (id: string, kind: Take['kind'], verdicts: ('pass' | 'warn' | 'fail')[] = ['pass']): Take => ({
  id,
  kind,
  source: 'recorded',
  fileName: `${kind}-${id}.webm`,
  mimeType: 'audio/webm',
  createdAt: '2025-01-01T10:00:00.000Z',
  state: 'complete',
  durationMs: 70_000,
  bytes: 1000,
  trim: null,
  checks: verdicts.map((verdict, index) => ({ id: `check${index}`, label: `Check ${index}`, verdict, reason: verdict, value: null })),
  originalName: null,
});

const voiceId = 't_voice000001';
const photoId = 't_photo000001';
const consentId = 't_consent0001';

/** A v1 draft with everything in place except what a test takes away. */
function completeDraft(): Draft {
  const code = 'ACD-EFG';
  return draftSchema.parse({
    id: 'd_0123456789',
    createdAt: '2025-01-01T09:00:00.000Z',
    updatedAt: '2025-01-01T09:00:00.000Z',
    person: {
      firstName: 'Ada',
      lastName: 'Lovelace',
      description: 'Analyst and writer; speaks precisely and warmly about engines.',
      gender: 'female',
      ethnicity: 'white',
      externalClientId: 'emp-1815',
      avatarVersion: 'v1',
    },
    voice: { takes: [take(voiceId, 'voice')], chosenTakeId: voiceId },
    camera: {
      photos: [{ id: photoId, source: 'camera', fileName: 'photo-1.jpg', createdAt: '2025-01-01T10:00:00.000Z', width: 1920, height: 1080, checks: [] }],
      chosenPhotoId: photoId,
    },
    consent: {
      code,
      statement: consentStatement('Ada Lovelace', code),
      take: take(consentId, 'consent'),
      attestation: { operatorName: 'Grace Hopper', date: '2025-01-01', attestedAt: '2025-01-01T10:05:00.000Z' },
    },
    prepared: [
      {
        role: 'voice',
        fileName: 'prepared-voice.mp3',
        sourceId: voiceId,
        sourceTrim: null,
        mimeType: 'audio/mpeg',
        info: { container: 'mp3', durationMs: 70_000, bytes: 1_200_000, audio: { codec: 'mp3', sampleRate: 44100, channels: 1 }, video: null },
        summary: 'MP3',
        sha256: 'a'.repeat(64),
        preparedAt: '2025-01-01T10:06:00.000Z',
      },
      {
        role: 'photo',
        fileName: 'prepared-photo.jpg',
        sourceId: photoId,
        sourceTrim: null,
        mimeType: 'image/jpeg',
        info: { container: 'jpeg', durationMs: null, bytes: 200_000, audio: null, video: { codec: 'mjpeg', width: 1920, height: 1080, fps: null } },
        summary: 'JPEG',
        sha256: 'b'.repeat(64),
        preparedAt: '2025-01-01T10:06:00.000Z',
      },
    ],
  });
}

describe('consent code and statement', () => {
  it('makes codes from an alphabet that reads aloud without confusion', () => {
    const codes = new Set<string>();
    for (let index = 0; index < 200; index++) {
      const bytes = new Uint8Array(12).map(() => Math.floor(Math.random() * 256));
      const code = consentCodeFrom(bytes);
      expect(consentCodeSchema.safeParse(code).success).toBe(true);
      codes.add(code);
    }
    expect(codes.size).toBeGreaterThan(190);
    for (const confusable of ['0', 'O', '1', 'I', 'L', '2', 'Z', '5', 'S', '8', 'B']) expect(consentCodeAlphabet).not.toContain(confusable);
    expect(() => consentCodeFrom(new Uint8Array(4))).toThrow();
  });

  it('names the person and spells the code in the statement', () => {
    const statement = consentStatement('Ada Lovelace', 'K7Q-M4T');
    expect(statement).toContain('My name is Ada Lovelace.');
    expect(statement).toContain(spokenCode('K7Q-M4T'));
    expect(spokenCode('K7Q-M4T')).toBe('K 7 Q, M 4 T');
  });
});

describe('approval gate', () => {
  it('lets a complete draft with its consent be approved', () => {
    expect(approvalBlockers(completeDraft())).toEqual([]);
  });

  it('refuses a draft without consent', () => {
    const draft = completeDraft();
    const withoutConsent = { ...draft, consent: { ...draft.consent, statement: null, take: null, attestation: null } };
    const blockers = approvalBlockers(withoutConsent);
    expect(blockers.map((blocker) => blocker.id)).toEqual(['consent:take', 'consent:attestation']);
    expect(blockers.every((blocker) => blocker.area === 'consent')).toBe(true);
  });

  it('needs the operator’s attestation, a consent take that passes, and the current name in the statement', () => {
    const draft = completeDraft();
    expect(approvalBlockers({ ...draft, consent: { ...draft.consent, attestation: null } }).map((b) => b.id)).toEqual(['consent:attestation']);
    const failing = { ...draft, consent: { ...draft.consent, take: take(consentId, 'consent', ['fail']) } };
    expect(approvalBlockers(failing).map((b) => b.id)).toEqual(['consent:take-checks']);
    const renamed = { ...draft, person: { ...draft.person, lastName: 'Byron' } };
    expect(approvalBlockers(renamed).map((b) => b.id)).toEqual(['consent:statement']);
  });

  it('refuses missing material, a failing take, and files prepared from an earlier choice', () => {
    const draft = completeDraft();
    expect(approvalBlockers({ ...draft, person: { ...draft.person, ethnicity: null } }).map((b) => b.area)).toEqual(['material']);
    const failingVoice = { ...draft, voice: { ...draft.voice, takes: [take(voiceId, 'voice', ['fail'])] } };
    expect(approvalBlockers(failingVoice).map((b) => b.message)).toEqual(['Needs a voice take that passes its checks.']);
    const trimmed = { ...draft, voice: { ...draft.voice, takes: [{ ...take(voiceId, 'voice'), trim: { startMs: 1000, endMs: 65_000 } }] } };
    expect(approvalBlockers(trimmed).map((b) => b.id)).toEqual(['prepared:voice']);
  });

  it('refuses a prepared file that breaks the service’s rules', () => {
    const draft = completeDraft();
    const big = draft.prepared.map((record) => (record.role === 'voice' ? { ...record, info: { ...record.info, bytes: 11 * 1024 * 1024 } } : record));
    expect(approvalBlockers({ ...draft, prepared: big }).map((b) => b.id)).toEqual(['prepared:voice:rules']);
    const square = draft.prepared.map((record) =>
      record.role === 'photo' ? { ...record, info: { ...record.info, video: { codec: 'mjpeg', width: 1080, height: 1080, fps: null } } } : record,
    );
    expect(approvalBlockers({ ...draft, prepared: square }).map((b) => b.message)).toEqual(['The prepared photo is not 16:9.']);
  });

  it('lists every warning on what would be submitted and on the consent take, with a stable key', () => {
    const draft = completeDraft();
    const warned = {
      ...draft,
      voice: { ...draft.voice, takes: [take(voiceId, 'voice', ['pass', 'warn']), take('t_other0000001', 'voice', ['warn'])] },
      consent: { ...draft.consent, take: take(consentId, 'consent', ['warn']) },
    };
    expect(approvalWarnings(warned).map((warning) => warning.key)).toEqual([`voice:${voiceId}:check1`, `consent:${consentId}:check0`]);
    expect(approvalBlockers(warned)).toEqual([]);
  });

  it('lets a v2 draft be made from a photo: a voice and a photo, no video, and the video’s voice does not count', () => {
    const fromPhoto: Draft = {
      ...completeDraft(),
      person: { ...completeDraft().person, avatarVersion: 'v2' },
      camera: { ...completeDraft().camera, v2AppearanceFrom: 'photo' },
    };
    expect(appearanceOf(fromPhoto)).toBe('photo');
    expect(submissionRolesOf(fromPhoto)).toEqual(['voice', 'photo']);
    expect(approvalBlockers(fromPhoto)).toEqual([]);
    // With no video there is no video sound to take the voice from: the voice take is still needed.
    const noVoice: Draft = { ...fromPhoto, camera: { ...fromPhoto.camera, useVideoAudioAsVoice: true }, voice: { takes: [], chosenTakeId: null } };
    expect(voiceFromVideo(noVoice)).toBe(false);
    expect(submissionRolesOf(noVoice)).toEqual(['voice', 'photo']);
    expect(approvalBlockers(noVoice).map((blocker) => blocker.id)).toEqual(['material:a voice take']);
    // From a video (the default), the same draft needs a video take and its prepared file.
    const fromVideo: Draft = { ...fromPhoto, camera: { ...fromPhoto.camera, v2AppearanceFrom: 'video' } };
    expect(appearanceOf(fromVideo)).toBe('video');
    expect(submissionRolesOf(fromVideo)).toEqual(['voice', 'video']);
    expect(approvalBlockers(fromVideo).map((blocker) => blocker.id)).toEqual(['material:a speaking video']);
    // A v1 draft is made from a photo whatever the v2 setting says.
    expect(appearanceOf({ ...fromVideo, person: { ...fromVideo.person, avatarVersion: 'v1' } })).toBe('photo');
  });

  it('withdraws an approval when what it vouched for changes', () => {
    const draft = completeDraft();
    const approved: Draft = {
      ...draft,
      approval: {
        approvedAt: '2025-01-01T11:00:00.000Z',
        approvedBy: 'Reviewer',
        acknowledgedWarnings: [],
        files: [],
        consentTakeSha256: null,
        receiptFileName: null,
        receiptSha256: null,
        materialKey: materialKey(draft),
      },
    };
    expect(approvalState(approved)).toBe('approved');
    expect(approvalState({ ...approved, person: { ...approved.person, description: `${approved.person.description} More.` } })).toBe('stale');
    expect(approvalState({ ...approved, voice: { ...approved.voice, chosenTakeId: null } })).toBe('stale');
    // The model, and what a v2 is made from, are part of what was approved.
    const asV2 = {
      ...approved,
      person: { ...approved.person, avatarVersion: 'v2' as const },
      camera: { ...approved.camera, v2AppearanceFrom: 'photo' as const },
    };
    expect(approvalState(asV2)).toBe('stale');
    const approvedV2: Draft = { ...asV2, approval: { ...approved.approval!, materialKey: materialKey(asV2) } };
    expect(approvalState(approvedV2)).toBe('approved');
    expect(approvalState({ ...approvedV2, camera: { ...approvedV2.camera, v2AppearanceFrom: 'video' as const } })).toBe('stale');
    expect(approvalState({ ...approved, approval: null })).toBe('none');
    // Old drafts load with an approval that names no material: it does not stand.
    expect(approvalState(draftSchema.parse({ ...draft, approval: { approvedAt: 'x', approvedBy: 'y' } }))).toBe('stale');
  });
});
