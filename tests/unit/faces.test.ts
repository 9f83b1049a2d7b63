/** The face rules (shared/faces.ts) and the "same person" gate (shared/approval.ts), on measured-shaped inputs. */
import { describe, expect, it } from 'vitest';
import { likenessMismatches, likenessOf } from '../../shared/approval';
import { framingGuide } from '../../shared/camera';
import { type Draft, draftSchema } from '../../shared/drafts';
import {
  type FaceFrame,
  type FaceObservation,
  FaceRecorder,
  faceSimilarity,
  faceTakeChecks,
  faceBoxOf,
  faceVerdict,
  laplacianVariance,
  observeFace,
  photoFaceChecks,
  samePerson,
} from '../../shared/faces';
import { faceQuality } from '../../shared/requirements';

const width = 1280;
const height = 720;

/** A face filling `share` of the v2 guide's oval, centred on it, looking straight ahead. */
function faceInOval(share: number, change: Partial<FaceObservation> = {}): FaceObservation {
  const { head } = framingGuide('v2', width, height);
  const faceHeight = (head.ry * 2 * share) / height;
  const faceWidth = (faceHeight * height * 0.8) / width;
  return {
    box: { x: head.cx / width - faceWidth / 2, y: head.cy / height - faceHeight / 2, width: faceWidth, height: faceHeight },
    score: 0.9,
    yaw: 2,
    pitch: -3,
    eyeOpening: 0.28,
    sharpness: 80,
    ...change,
  };
}

const frame = (faces: FaceObservation[], change: number | null = 0.01, descriptor: number[] | null = null): FaceFrame => ({
  faces,
  change,
  descriptor,
  elapsedMs: 90,
});
const verdictOf = (faces: FaceObservation[]) => faceVerdict({ faces }, 'v2', width, height).code;

describe('live verdict', () => {
  it('says what is wrong, one problem at a time, in the order a person fixes them', () => {
    expect(verdictOf([])).toBe('no-face');
    expect(verdictOf([faceInOval(1), faceInOval(0.5, { box: { x: 0.05, y: 0.1, width: 0.1, height: 0.2 } })])).toBe('several-faces');
    expect(verdictOf([faceInOval(1 / 3)])).toBe('too-small');
    expect(verdictOf([faceInOval(2)])).toBe('too-large');
    expect(verdictOf([faceInOval(1, { box: { x: 0.02, y: 0.3, width: 0.1, height: 0.25 } })])).toBe('off-centre');
    expect(verdictOf([faceInOval(1, { yaw: faceQuality.maxTurnDegrees + 5 })])).toBe('turned-away');
    expect(verdictOf([faceInOval(1, { pitch: -(faceQuality.maxTurnDegrees + 5) })])).toBe('turned-away');
    expect(verdictOf([faceInOval(1, { eyeOpening: 0.05 })])).toBe('eyes-closed');
    expect(verdictOf([faceInOval(1, { sharpness: 2 })])).toBe('blurry');
    expect(verdictOf([faceInOval(1)])).toBe('good');
    expect(faceVerdict({ faces: [] }, 'v2', width, height).headline).toBe('No face');
  });

  it('judges size against the guide of the model: a head-and-shoulders face is too large for the v1 waist-up guide', () => {
    expect(faceVerdict({ faces: [faceInOval(1)] }, 'v1', width, height).code).toBe('too-large');
  });

  it('measures blur as the Laplacian variance: a flat picture has none, a checkerboard much', () => {
    const flat = new Uint8Array(64 * 64).fill(128);
    const checker = Uint8Array.from({ length: 64 * 64 }, (_, i) => (((i % 64) + Math.floor(i / 64)) % 2 ? 255 : 0));
    expect(laplacianVariance(flat, 64, 64)).toBe(0);
    expect(laplacianVariance(checker, 64, 64)).toBeGreaterThan(faceQuality.minSharpness * 100);
  });
});

describe('take checks from the faces kept per second', () => {
  it('passes one face all the time; counts the share, the longest gap and cuts', () => {
    const steady = new FaceRecorder('v2');
    for (let ms = 0; ms < 60_000; ms += 200) steady.add(ms, frame([faceInOval(1)]), width, height);
    const checks = faceTakeChecks(steady.record()!);
    expect(checks.find((check) => check.id === 'face-one')).toMatchObject({ verdict: 'pass', value: 1 });
    expect(checks.find((check) => check.id === 'face-gap')).toMatchObject({ verdict: 'pass', value: 0 });
    expect(checks.find((check) => check.id === 'face-cuts')).toMatchObject({ verdict: 'pass', value: 0 });
    expect(checks.find((check) => check.id === 'face-size')?.value).toBeCloseTo(1, 1);

    const broken = new FaceRecorder('v2');
    for (let ms = 0; ms < 100_000; ms += 200) {
      const away = ms >= 40_000 && ms < 52_000; // 12 s without the face
      const cut = ms === 70_000 ? faceQuality.cutLumaChange + 0.2 : 0.01;
      broken.add(ms, frame(away ? [] : [faceInOval(1)], cut), width, height);
    }
    const judged = faceTakeChecks(broken.record()!);
    expect(judged.find((check) => check.id === 'face-one')).toMatchObject({ verdict: 'warn', value: 0.88 });
    expect(judged.find((check) => check.id === 'face-gap')).toMatchObject({ verdict: 'fail', value: 12 });
    expect(judged.find((check) => check.id === 'face-cuts')).toMatchObject({ verdict: 'warn', value: 1 });
  });

  it('judges the face size only over seconds with exactly one face, so it never passes beside "no face"', () => {
    // A noisy clip: one frame in five finds a face, so every second is mostly without one.
    const flicker = new FaceRecorder('v2');
    for (let ms = 0; ms < 28_000; ms += 200) flicker.add(ms, frame(ms % 1000 === 0 ? [faceInOval(0.9)] : []), width, height);
    const record = flicker.record()!;
    expect(record.seconds.every((second) => second.faces === 0 && second.size === null)).toBe(true);
    const checks = faceTakeChecks(record);
    expect(checks.find((check) => check.id === 'face-one')).toMatchObject({ verdict: 'fail', value: 0 });
    expect(checks.find((check) => check.id === 'face-size')).toBeUndefined();

    // A record kept before that rule (sizes on seconds without one face) is read by the same rule.
    const old = faceTakeChecks({
      seconds: [
        { faces: 0, size: 0.9, cut: false },
        { faces: 1, size: 0.2, cut: false },
      ],
      descriptor: null,
    });
    expect(old.find((check) => check.id === 'face-size')).toMatchObject({ verdict: 'warn', value: 0.2 });
  });

  it('fills seconds the busy machine did not analyse from their neighbours, and averages the descriptor', () => {
    const kept = new FaceRecorder('v2');
    kept.add(2500, frame([faceInOval(1)], 0.01, [1, 0, ...new Array<number>(62).fill(0)]), width, height);
    kept.add(4500, frame([faceInOval(1)], 0.01, [0, 1, ...new Array<number>(62).fill(0)]), width, height);
    const record = kept.record()!;
    expect(record.seconds.map((second) => second.faces)).toEqual([1, 1, 1, 1, 1]);
    expect(record.descriptor?.slice(0, 2)).toEqual([0.5, 0.5]);
  });
});

describe('same person', () => {
  const descriptor = (seed: number) => Array.from({ length: 1024 }, (_, i) => Math.sin((i + 1) * (seed + 0.5) * 12.9898) * 0.3);

  it('scores a descriptor against itself 1 and against another face low', () => {
    expect(faceSimilarity(descriptor(1), descriptor(1))).toBe(1);
    expect(samePerson(descriptor(1), descriptor(1)).same).toBe(true);
    const other = samePerson(descriptor(1), descriptor(2));
    expect(other.same).toBe(false);
    expect(other.headline).toBe('Looks like a different person');
  });

  it('lists the consent take against the chosen video; a mismatch is what approval must override', () => {
    const draft = (consent: number[], video: number[]): Draft =>
      draftSchema.parse({
        id: 'd_0123456789',
        createdAt: '2025-01-01T09:00:00.000Z',
        updatedAt: '2025-01-01T09:00:00.000Z',
        person: { firstName: 'Ada', lastName: 'Lovelace', avatarVersion: 'v2' },
        camera: {
          videoTakes: [
            {
              id: 't_video000001',
              kind: 'video',
              source: 'recorded',
              fileName: 'video-1.mp4',
              mimeType: 'video/mp4',
              createdAt: '2025-01-01T10:00:00.000Z',
              state: 'complete',
              faces: { seconds: [{ faces: 1, size: 1, cut: false }], descriptor: video },
            },
          ],
          chosenVideoTakeId: 't_video000001',
        },
        consent: {
          take: {
            id: 't_consent0001',
            kind: 'consent',
            source: 'recorded',
            fileName: 'consent-1.webm',
            mimeType: 'video/webm',
            createdAt: '2025-01-01T10:00:00.000Z',
            state: 'complete',
            faces: { seconds: [{ faces: 1, size: 1, cut: false }], descriptor: consent },
          },
        },
      });
    expect(likenessOf(draft(descriptor(1), descriptor(1)))).toEqual([expect.objectContaining({ id: 'consent-video', same: true, similarity: 1 })]);
    expect(likenessMismatches(draft(descriptor(1), descriptor(1)))).toEqual([]);
    expect(likenessMismatches(draft(descriptor(1), descriptor(2)))).toEqual([
      expect.objectContaining({ same: false, headline: 'Looks like a different person' }),
    ]);
  });

  it('compares the consent take with a v1 photo, and the video with the photo when a draft has chosen both', () => {
    const take = (id: string, kind: 'video' | 'consent', value: number[]) => ({
      id,
      kind,
      source: 'recorded',
      fileName: `${kind}-1.mp4`,
      mimeType: 'video/mp4',
      createdAt: '2025-01-01T10:00:00.000Z',
      state: 'complete',
      faces: { seconds: [{ faces: 1, size: 1, cut: false }], descriptor: value },
    });
    const photo = (value: number[]) => ({
      id: 't_photo000001',
      source: 'imported',
      fileName: 'photo-1.jpg',
      createdAt: '2025-01-01T10:00:00.000Z',
      width: 1920,
      height: 1080,
      faces: { count: 1, descriptor: value },
    });
    const base = { id: 'd_0123456789', createdAt: '2025-01-01T09:00:00.000Z', updatedAt: '2025-01-01T09:00:00.000Z' };
    const v1 = draftSchema.parse({
      ...base,
      person: { firstName: 'Ada', lastName: 'Lovelace', avatarVersion: 'v1' },
      camera: { photos: [photo(descriptor(2))], chosenPhotoId: 't_photo000001' },
      consent: { take: take('t_consent0001', 'consent', descriptor(1)) },
    });
    expect(likenessOf(v1)).toEqual([expect.objectContaining({ id: 'consent-photo', label: 'Consent take and photo', same: false })]);
    const v2 = draftSchema.parse({
      ...base,
      person: { firstName: 'Ada', lastName: 'Lovelace', avatarVersion: 'v2' },
      camera: {
        videoTakes: [take('t_video000001', 'video', descriptor(1))],
        chosenVideoTakeId: 't_video000001',
        photos: [photo(descriptor(1))],
        chosenPhotoId: 't_photo000001',
      },
      consent: { take: take('t_consent0001', 'consent', descriptor(1)) },
    });
    // The v2 avatar is made from the video: the consent take against it, and the video against the chosen photo.
    expect(likenessOf(v2).map((item) => [item.id, item.same])).toEqual([
      ['consent-video', true],
      ['video-photo', true],
    ]);
    // A photo without a face descriptor (none found, or older) is not compared.
    const faceless = draftSchema.parse({ ...v1, camera: { ...v1.camera, photos: [{ ...photo(descriptor(1)), faces: { count: 0, descriptor: null } }] } });
    expect(likenessOf(faceless)).toEqual([]);
  });
});

describe("a photo's face", () => {
  const photoWidth = 1920;
  const photoHeight = 1080;
  /** A face filling `share` of the v1 waist-up guide's oval, its centre `dx` half-widths of the oval off. */
  function faceInPhoto(share: number, dx = 0): FaceObservation {
    const { head } = framingGuide('v1', photoWidth, photoHeight);
    const faceHeight = (head.ry * 2 * share) / photoHeight;
    const faceWidth = (faceHeight * photoHeight * 0.8) / photoWidth;
    const cx = (head.cx + dx * head.rx) / photoWidth;
    return {
      box: { x: cx - faceWidth / 2, y: head.cy / photoHeight - faceHeight / 2, width: faceWidth, height: faceHeight },
      score: 0.9,
      yaw: 1,
      pitch: 2,
      eyeOpening: 0.3,
      sharpness: 60,
    };
  }

  it('passes one face that fills the waist-up guide, in its place', () => {
    const checks = photoFaceChecks([faceInPhoto(1)], photoWidth, photoHeight);
    expect(checks.map((check) => [check.id, check.verdict])).toEqual([
      ['face-one', 'pass'],
      ['face-framing', 'pass'],
    ]);
    expect(checks[1]!.value).toBeCloseTo(1, 5);
  });

  it('fails no face and several faces, and warns a face too small, too large or off centre', () => {
    expect(photoFaceChecks([], photoWidth, photoHeight)).toEqual([expect.objectContaining({ id: 'face-one', verdict: 'fail', value: 0 })]);
    const two = photoFaceChecks([faceInPhoto(1, -2), faceInPhoto(1, 2)], photoWidth, photoHeight);
    expect(two).toEqual([expect.objectContaining({ id: 'face-one', verdict: 'fail', value: 2, reason: expect.stringMatching(/^2 faces/) })]);
    const framing = (face: FaceObservation) => photoFaceChecks([face], photoWidth, photoHeight)[1]!;
    expect(framing(faceInPhoto(faceQuality.sizeOfGuide.min * 0.8))).toMatchObject({ verdict: 'warn', reason: expect.stringMatching(/^Face too small/) });
    expect(framing(faceInPhoto(faceQuality.sizeOfGuide.max * 1.2))).toMatchObject({ verdict: 'warn', reason: expect.stringMatching(/^Face too large/) });
    expect(framing(faceInPhoto(1, 2))).toMatchObject({ verdict: 'warn', reason: expect.stringMatching(/^Off centre/) });
  });

  it("turns Human's result into an observation: the face's own box, turn and eyes only with a mesh", () => {
    const box = faceBoxOf([0.1, 0.2, 0.5, 0.5]);
    // The face is the middle 54 % of Human's box each way.
    expect(box.x).toBeCloseTo(0.215, 9);
    expect(box.y).toBeCloseTo(0.315, 9);
    expect(box.width).toBeCloseTo(0.27, 9);
    expect(box.height).toBeCloseTo(0.27, 9);
    const withoutMesh = observeFace({ boxRaw: [0.1, 0.2, 0.5, 0.5], boxScore: 0.8, mesh: [], rotation: { angle: { yaw: 0.5, pitch: -0.2 } } }, 40);
    expect(withoutMesh).toMatchObject({ score: 0.8, yaw: null, pitch: null, eyeOpening: null, sharpness: 40 });
    const mesh = Array.from({ length: 468 }, (_, i) => [i % 7, i % 5, 0]);
    const meshed = observeFace({ boxRaw: [0.1, 0.2, 0.5, 0.5], boxScore: 0.8, mesh, rotation: { angle: { yaw: Math.PI / 6, pitch: 0 } } }, null);
    expect(meshed.yaw).toBeCloseTo(30, 5);
    expect(meshed.pitch).toBe(0);
    expect(meshed.eyeOpening).not.toBeNull();
  });
});
