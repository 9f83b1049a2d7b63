/**
 * The face model in the main process on real photographs (from `@vladmandic/face-api`'s package,
 * cut at test time): Human's Node build on TensorFlow.js's WebAssembly in a worker thread, started
 * from the TypeScript sources and from the bundle the Electron build makes; a photo's face checks
 * against the v1 guide; a video's faces second by second from its frames; same person or not.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideoTakeChecker } from '../../electron/services/camera/video-checks';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';
import { createMediaEngine } from '../../electron/services/media/engine';
import { TakeService } from '../../electron/services/takes/take-service';
import { FaceModel } from '../../electron/services/faces/face-model';
import { FaceService, type VideoFrame } from '../../electron/services/faces/face-service';
import { faceTakeChecks, samePerson } from '../../shared/faces';
import { personPhoto, personY4m, samplePhoto } from '../support/face-fixtures';
import { cameraY4m, speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';
import { repoRoot } from '../support/studio-host';

const skip = missingPrerequisite(['ffmpeg', 'espeak-ng', 'sox'], 'the face model tests');
const log = createLogger('faces', () => undefined);

/** Frames of a video file as the frame sampler gives them: upright RGBA at `width` across, `fps` a second. */
function framesOf(file: string, width: number, height: number, fps: number, seconds: number): VideoFrame[] {
  const raw = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-stream_loop',
      '-1',
      '-i',
      file,
      '-t',
      String(seconds),
      '-vf',
      `fps=${fps},scale=${width}:${height}`,
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgba',
      '-',
    ],
    { maxBuffer: 1 << 30 },
  );
  const size = width * height * 4;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, index) => ({
    timeMs: (index * 1000) / fps,
    width,
    height,
    channels: 4 as const,
    data: new Uint8Array(raw.subarray(index * size, (index + 1) * size)),
  }));
}

/** Parts of a video one after the other, each `framesOf(…, fps)`, as one sampling of the file. */
async function* stream(fps: number, ...parts: VideoFrame[][]): AsyncIterable<VideoFrame> {
  let index = 0;
  for (const frames of parts) for (const frame of frames) yield { ...frame, timeMs: (index++ * 1000) / fps };
}

describe.skipIf(skip !== null)('face model in the main process', () => {
  let model: FaceModel;
  let faces: FaceService;
  let dir = '';

  beforeAll(() => {
    model = new FaceModel(log);
    faces = new FaceService({ detector: model, log });
    mkdirSync(path.join(repoRoot, 'dist'), { recursive: true });
    dir = mkdtempSync(path.join(repoRoot, 'dist', '.face-bundle-'));
  });
  afterAll(async () => {
    await faces?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds three people in a group photograph, each with a descriptor, from the package files on disk', async () => {
    const result = await faces.photoFaces(samplePhoto('sample1'), null);
    expect(result.faces?.count).toBe(3);
    // The only face's descriptor: a group has none.
    expect(result.faces?.descriptor).toBeNull();
    expect(result.checks).toEqual([expect.objectContaining({ id: 'face-one', verdict: 'fail', value: 3 })]);
    expect(result.checks[0]!.reason).toMatch(/3 faces/);
    expect(model.loadTimes).toHaveLength(1);
  }, 120_000);

  it('judges a waist-up photo of one person: one face, in the guide, with its descriptor', async () => {
    const result = await faces.photoFaces(personPhoto('left'), null);
    expect(result.checks.map((check) => [check.id, check.verdict])).toEqual([
      ['face-one', 'pass'],
      ['face-framing', 'pass'],
    ]);
    expect(result.checks[1]!.value).toBeGreaterThan(0.7);
    expect(result.checks[1]!.value).toBeLessThan(1.4);
    expect(result.faces?.descriptor).toHaveLength(1024);
  }, 120_000);

  it('says a face at a third of the guide is too small, and a face in the corner is off centre', async () => {
    const small = await faces.photoFaces(personPhoto('left', { faceHeight: 80 }), null);
    expect(small.checks.find((check) => check.id === 'face-framing')).toMatchObject({ verdict: 'warn', reason: expect.stringMatching(/Face too small/) });
    const aside = await faces.photoFaces(personPhoto('left', { centre: { x: 400, y: 360 } }), null);
    expect(aside.checks.find((check) => check.id === 'face-framing')).toMatchObject({ verdict: 'warn', reason: expect.stringMatching(/Off centre/) });
  }, 120_000);

  it('finds no face in the plain test pattern', async () => {
    const pattern = path.join(dir, 'pattern.png');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-frames:v', '1', pattern]);
    const result = await faces.photoFaces(pattern, null);
    expect(result.faces).toEqual({ count: 0, descriptor: null });
    expect(result.checks).toEqual([expect.objectContaining({ id: 'face-one', verdict: 'fail' })]);
  }, 120_000);

  it('looks only at the region asked for: the 16:9 part of a wider picture', async () => {
    // One person on the left of a 3000-wide picture: in its left 16:9 part, not in its right one.
    const wide = personPhoto('left', { width: 3000, height: 1080, centre: { x: 400, y: 360 } });
    const left = await faces.photoFaces(wide, { x: 0, y: 0, width: 1920, height: 1080 });
    const right = await faces.photoFaces(wide, { x: 1080, y: 0, width: 1920, height: 1080 });
    expect(left.faces?.count).toBe(1);
    expect(right.faces?.count).toBe(0);
  }, 120_000);

  it('tells the same person from another: a photo against a video of the same person, and of someone else', async () => {
    const photoLeft = (await faces.photoFaces(personPhoto('left'), null)).faces!.descriptor!;
    const photoOther = (await faces.photoFaces(personPhoto('other'), null)).faces!.descriptor!;
    const video = await faces.videoFaces(stream(2, framesOf(personY4m('left'), 640, 360, 2, 3)));
    expect(video?.descriptor).toHaveLength(1024);
    const same = samePerson(video!.descriptor!, photoLeft);
    const other = samePerson(video!.descriptor!, photoOther);
    expect(same).toMatchObject({ same: true, headline: 'Same person' });
    expect(other).toMatchObject({ same: false, headline: 'Looks like a different person' });
    expect(same.similarity).toBeGreaterThan(other.similarity);
  }, 180_000);

  it("keeps a video's faces second by second and judges them as a recorded take", async () => {
    // Three seconds of one person, then three of the test pattern: one face half the time, a 3 s gap.
    const record = await faces.videoFaces(stream(2, framesOf(personY4m('left'), 640, 360, 2, 3), framesOf(cameraY4m(1280, 720), 640, 360, 2, 3)));
    expect(record?.seconds.map((second) => second.faces)).toEqual([1, 1, 1, 0, 0, 0]);
    const checks = faceTakeChecks(record!);
    expect(checks.find((check) => check.id === 'face-one')).toMatchObject({ verdict: 'fail', value: 0.5 });
    expect(checks.find((check) => check.id === 'face-gap')).toMatchObject({ value: 3 });
    // The person on grey changing to the colour pattern is a scene change.
    expect(record?.seconds[3]?.cut).toBe(true);
  }, 180_000);

  it('finds the faces of an imported video in its frames and judges them as a recording; a trim keeps them', async () => {
    // Four seconds of one person, then two of the test pattern, with speech: an H.264 MP4 as a phone exports it.
    const video = path.join(dir, 'person-then-pattern.mp4');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-stream_loop', '-1', '-i', personY4m('left'), '-stream_loop', '-1', '-i', cameraY4m(1280, 720), '-i', speechWav(6)],
      ...['-filter_complex', '[0]trim=duration=4,setpts=PTS-STARTPTS[a];[1]trim=duration=2,setpts=PTS-STARTPTS[b];[a][b]concat=n=2:v=1:a=0[v]'],
      ...['-map', '[v]', '-map', '2:a', '-t', '6', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', video],
    ]);
    const dataDir = mkdtempSync(path.join(dir, 'data-'));
    const engine = createMediaEngine({ log });
    const drafts = new DraftStore({ dataDir, log });
    await drafts.init();
    const takes = new TakeService({ drafts, engine, log, checkers: { video: createVideoTakeChecker(engine, faces) } });
    try {
      const draft = await drafts.create({ avatarVersion: 'v2' });
      const bytes = readFileSync(video);
      const begun = await takes.begin({
        draftId: draft.id,
        kind: 'video',
        source: 'imported',
        mimeType: '',
        originalName: 'clip.mp4',
        expectedBytes: bytes.length,
      });
      await takes.append(draft.id, begun.id, 0, new Uint8Array(bytes));
      const take = await takes.finish(draft.id, begun.id);
      expect(take.faces?.seconds.map((second) => second.faces)).toEqual([1, 1, 1, 1, 0, 0]);
      expect(take.faces?.descriptor).toHaveLength(1024);
      const verdicts = Object.fromEntries(take.checks.map((check) => [check.id, check.verdict]));
      expect(verdicts).toMatchObject({ 'face-one': 'fail', 'face-cuts': 'warn' });
      expect(take.checks.find((check) => check.id === 'face-gap')?.value).toBe(2);
      // A trim judges the range's sound and length again, and keeps the faces found once.
      const trimmed = await takes.trim(draft.id, take.id, { startMs: 0, endMs: 5000 });
      expect(trimmed.checks.filter((check) => check.id.startsWith('face-'))).toEqual(take.checks.filter((check) => check.id.startsWith('face-')));
      expect(trimmed.faces).toEqual(take.faces);
    } finally {
      await takes.close();
      await engine.close();
    }
  }, 240_000);

  it('starts ahead of the first photo when warmed, and stops again when left idle', async () => {
    const warmed = new FaceModel(log, { idleMs: 5000 });
    try {
      warmed.warm();
      warmed.warm();
      await expect.poll(() => warmed.loadTimes.length, { timeout: 60_000, interval: 100 }).toBe(1);
      // The first photo finds the model loaded: no second start.
      const ready = new FaceService({ detector: warmed, log });
      expect((await ready.photoFaces(personPhoto('left'), null)).checks[0]).toMatchObject({ id: 'face-one', verdict: 'pass' });
      expect(warmed.loadTimes).toHaveLength(1);
      // Idle for longer than its idle time, it was stopped: the next picture starts it again.
      await new Promise((resolve) => setTimeout(resolve, 6000));
      await ready.photoFaces(personPhoto('left'), null);
      expect(warmed.loadTimes).toHaveLength(2);
    } finally {
      await warmed.close();
    }
  }, 120_000);

  it('runs from the bundle the Electron build makes, reading the models beside it', async () => {
    await build({
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'error',
      entryPoints: [path.join(repoRoot, 'electron/services/faces/face-worker.ts')],
      outfile: path.join(dir, 'face-worker.cjs'),
      logOverride: { 'empty-import-meta': 'silent' },
    });
    const bundled = new FaceModel(log, { entry: { file: path.join(dir, 'face-worker.cjs'), eval: false } });
    try {
      const service = new FaceService({ detector: bundled, log });
      const result = await service.photoFaces(personPhoto('other'), null);
      expect(result.faces?.count).toBe(1);
    } finally {
      await bundled.close();
    }
  }, 180_000);
});
