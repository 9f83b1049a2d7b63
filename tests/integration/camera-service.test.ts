/**
 * The camera step's main-process side against real files and the real media engine: photos judged
 * by their bytes (camera shots kept even when small, imports refused when not a picture or too
 * small, nothing left behind), and a video take recorded as Chromium records it (fragmented MP4,
 * H.264 + Opus) streamed through the takes service, repaired, checked as a video and trimmed, and a
 * still taken from it; the v2 choice between a video and a photo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { analyseExposure, lumaFromPixels } from '../../shared/exposure';
import type { FaceRecord } from '../../shared/faces';
import { CameraService } from '../../electron/services/camera/camera-service';
import { createVideoTakeChecker } from '../../electron/services/camera/video-checks';
import { scratchPrefix } from '../../electron/services/media/voice-source';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';
import { type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import { TakeService } from '../../electron/services/takes/take-service';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(['ffmpeg', 'ffprobe', 'espeak-ng', 'sox'], 'The camera integration tests');
const quiet = createLogger('camera-test', () => undefined);

let dataDir: string;
let scratch: string;
let engine: MediaEngine;
let drafts: DraftStore;
let camera: CameraService;
let takes: TakeService;

/** An RGBA picture: mid-grey with a soft gradient (well exposed), or the given luma everywhere. */
function pixels(width: number, height: number, level?: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = level ?? Math.round(110 + 40 * Math.sin((x / width) * Math.PI) * Math.cos((y / height) * Math.PI));
      data.set([value, value, value, 255], (y * width + x) * 4);
    }
  }
  return data;
}

function raw(width: number, height: number, level?: number) {
  return sharp(Buffer.from(pixels(width, height, level)), { raw: { width, height, channels: 4 } });
}

async function png(width: number, height: number, level?: number): Promise<Uint8Array> {
  return new Uint8Array(await raw(width, height, level).png().toBuffer());
}

async function jpg(width: number, height: number): Promise<Uint8Array> {
  return new Uint8Array(await raw(width, height).flatten().jpeg({ quality: 90 }).toBuffer());
}

async function store(draftId: string, bytes: Uint8Array, source: 'camera' | 'imported', name?: string) {
  const photoId = await camera.beginPhoto({ draftId, source, mimeType: 'image/png', originalName: name, expectedBytes: bytes.length });
  let seq = 0;
  for (let offset = 0; offset < bytes.length; offset += 256 * 1024)
    await camera.appendPhoto(draftId, photoId, seq++, bytes.subarray(offset, offset + 256 * 1024));
  return camera.finishPhoto(draftId, photoId);
}

async function folderNames(draftId: string): Promise<string[]> {
  return (await fs.readdir(drafts.folder(draftId))).filter((name) => name !== 'draft.json').sort();
}

beforeAll(async () => {
  if (missing) return;
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'camera-data-'));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'camera-scratch-'));
  engine = createMediaEngine({ log: quiet });
  drafts = new DraftStore({ dataDir, log: quiet });
  await drafts.init();
  camera = new CameraService({ drafts, engine, log: quiet });
  takes = new TakeService({ drafts, engine, log: quiet, checkers: { video: createVideoTakeChecker(engine) } });
});

afterAll(async () => {
  if (missing) return;
  await takes.close();
  await camera.close();
  await engine.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(missing !== null)('photos', () => {
  it('stores a 16:9 camera shot with passing size, shape and light checks', async () => {
    const draft = await drafts.create({ avatarVersion: 'v1' });
    const photo = await store(draft.id, await png(1280, 720), 'camera');
    expect(photo).toMatchObject({ source: 'camera', width: 1280, height: 720, fileName: `photo-${photo.id}.png` });
    expect(Object.fromEntries(photo.checks.map((check) => [check.id, check.verdict]))).toEqual({
      resolution: 'pass',
      shape: 'pass',
      brightness: 'pass',
      highlights: 'pass',
      shadows: 'pass',
      evenness: 'pass',
    });
    const stored = await drafts.get(draft.id);
    expect(stored.camera.photos.map((item) => item.id)).toEqual([photo.id]);
    expect(await folderNames(draft.id)).toEqual([photo.fileName]);
    // What is on disk is what was sent, byte for byte.
    expect(readFileSync(drafts.mediaFile(draft.id, photo.fileName)).length).toBe((await png(1280, 720)).length);
  });

  it('keeps a camera shot under the minimum, failing its resolution check', async () => {
    const draft = await drafts.create({ avatarVersion: 'v1' });
    const photo = await store(draft.id, await png(640, 360), 'camera');
    expect(photo.checks.find((check) => check.id === 'resolution')).toMatchObject({ verdict: 'fail' });
    expect((await drafts.get(draft.id)).camera.photos).toHaveLength(1);
  });

  it('judges the light of a dark picture', async () => {
    const draft = await drafts.create({ avatarVersion: 'v1' });
    const photo = await store(draft.id, await png(1280, 720, 12), 'camera');
    expect(photo.checks.find((check) => check.id === 'brightness')).toMatchObject({ verdict: 'fail', label: 'Brightness' });
  });

  it('imports a JPEG and keeps its name', async () => {
    const draft = await drafts.create({ avatarVersion: 'v1' });
    const photo = await store(draft.id, await jpg(1920, 1080), 'imported', 'portrait.jpg');
    expect(photo).toMatchObject({ source: 'imported', width: 1920, height: 1080, originalName: 'portrait.jpg' });
    expect(photo.fileName).toMatch(/\.jpg$/);
  });

  it('refuses an imported file that is not a picture, and one too small, leaving nothing behind', async () => {
    const draft = await drafts.create({ avatarVersion: 'v1' });
    const kept = await store(draft.id, await png(1280, 720), 'camera');
    const text = new TextEncoder().encode('this is not a picture at all, only text pretending to be one');
    await expect(store(draft.id, text, 'imported', 'notes.jpg')).rejects.toThrow(/not a picture the studio can use/);
    await expect(store(draft.id, await png(320, 180), 'imported', 'tiny.png')).rejects.toThrow(/320×180.*at least 1280×720/);
    // A PNG cut short: its signature is right, its content is not.
    await expect(store(draft.id, (await png(1280, 720)).subarray(0, 2000), 'imported', 'cut.png')).rejects.toThrow(/damaged/);
    const after = await drafts.get(draft.id);
    expect(after.camera.photos.map((photo) => photo.id)).toEqual([kept.id]);
    expect(await folderNames(draft.id)).toEqual([kept.fileName]);
  });

  it('refuses a picture larger than it keeps before any byte is written', async () => {
    const draft = await drafts.create({ avatarVersion: 'v1' });
    await expect(camera.beginPhoto({ draftId: draft.id, source: 'imported', mimeType: 'image/jpeg', expectedBytes: 60 * 1024 * 1024 })).rejects.toThrow(
      StudioError,
    );
    expect(await folderNames(draft.id)).toEqual([]);
  });

  it('chooses and discards photos; discarding the chosen one clears the choice', async () => {
    const draft = await drafts.create({ avatarVersion: 'v1' });
    const first = await store(draft.id, await png(1280, 720), 'camera');
    const second = await store(draft.id, await png(1280, 720), 'camera');
    await camera.choosePhoto(draft.id, second.id);
    expect((await drafts.get(draft.id)).camera.chosenPhotoId).toBe(second.id);
    await camera.discardPhoto(draft.id, second.id);
    const after = await drafts.get(draft.id);
    expect(after.camera.chosenPhotoId).toBeNull();
    expect(after.camera.photos.map((photo) => photo.id)).toEqual([first.id]);
    expect(await folderNames(draft.id)).toEqual([first.fileName]);
    // A second discard (a refused upload's cancel, a double click) finds nothing and is no fault.
    expect(await camera.discardPhoto(draft.id, second.id)).toBe(false);
  });

  it('removes staging files an interrupted upload left behind', async () => {
    const draft = await drafts.create({ avatarVersion: 'v1' });
    await fs.writeFile(path.join(drafts.folder(draft.id), '.photo-t_00000000000000000000.part'), 'half a picture');
    await camera.removeStaleUploads();
    expect(await folderNames(draft.id)).toEqual([]);
  });

  it('takes the voice from the video only for a v2 avatar', async () => {
    const v1 = await drafts.create({ avatarVersion: 'v1' });
    await expect(camera.setVideoAudioAsVoice(v1.id, true)).rejects.toThrow(/Only a v2 avatar/);
    const v2 = await drafts.create({ avatarVersion: 'v2' });
    expect(await camera.setVideoAudioAsVoice(v2.id, true)).toBe(true);
    expect((await drafts.get(v2.id)).camera.useVideoAudioAsVoice).toBe(true);
  });

  it('makes a v2 avatar from a photo only when chosen, and then takes no voice from a video', async () => {
    const v1 = await drafts.create({ avatarVersion: 'v1' });
    await expect(camera.setV2AppearanceFrom(v1.id, 'photo')).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/always made from a photo/),
    });
    const v2 = await drafts.create({ avatarVersion: 'v2' });
    expect((await drafts.get(v2.id)).camera.v2AppearanceFrom).toBe('video');
    expect(await camera.setV2AppearanceFrom(v2.id, 'photo')).toBe('photo');
    expect((await drafts.get(v2.id)).camera.v2AppearanceFrom).toBe('photo');
    await expect(camera.setVideoAudioAsVoice(v2.id, true)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/made from a photo/) });
    expect(await camera.setV2AppearanceFrom(v2.id, 'video')).toBe('video');
    expect(await camera.setVideoAudioAsVoice(v2.id, true)).toBe(true);
  });
});

describe.skipIf(missing !== null)('video takes', () => {
  /** What Chromium's MediaRecorder writes for video/mp4;codecs=avc1,opus: a fragmented MP4 with no duration up front. */
  function recorderMp4(seconds: number): Buffer {
    const out = path.join(scratch, `recorded-${seconds}s.mp4`);
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1280x720:rate=30`,
      '-i',
      speechWav(30),
      '-t',
      String(seconds),
      '-map',
      '0:v',
      '-map',
      '1:a',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'libopus',
      '-b:a',
      '128k',
      '-movflags',
      'frag_keyframe+empty_moov+default_base_moof',
      '-f',
      'mp4',
      out,
    ]);
    return readFileSync(out);
  }

  it('streams, repairs and checks a video take; the light and faces measured live are kept through a trim', async () => {
    const draft = await drafts.create({ avatarVersion: 'v2' });
    const bytes = recorderMp4(6);
    const begun = await takes.begin({ draftId: draft.id, kind: 'video', source: 'recorded', mimeType: 'video/mp4;codecs=avc1,opus' });
    expect((await drafts.get(draft.id)).camera.videoTakes.map((take) => take.state)).toEqual(['recording']);
    let seq = 0;
    for (let offset = 0; offset < bytes.length; offset += 200_000)
      await takes.append(draft.id, begun.id, seq++, new Uint8Array(bytes.subarray(offset, offset + 200_000)));
    // The light and the faces measured live on the frames come with the one finish call.
    const light = analyseExposure(lumaFromPixels(pixels(160, 90), 160, 90));
    const faces: FaceRecord = {
      seconds: Array.from({ length: 6 }, (_, second) => ({ faces: second === 2 ? 0 : 1, size: 1, cut: false })),
      descriptor: Array.from({ length: 1024 }, (_, i) => Math.sin(i) / 32),
    };
    const take = await takes.finish(draft.id, begun.id, 6000, { exposure: light, faces });
    expect(take).toMatchObject({ kind: 'video', state: 'complete', fileName: `video-${begun.id}.mp4` });
    expect(Math.abs(take.durationMs! - 6000)).toBeLessThan(150);
    const verdicts = Object.fromEntries(take.checks.map((check) => [check.id, check.verdict]));
    // Too short (kept, and failing), a real picture and real speech.
    expect(verdicts).toMatchObject({ duration: 'fail', picture: 'pass', level: expect.stringMatching(/pass|warn/), clipping: 'pass' });
    expect(take.checks.find((check) => check.id === 'picture')?.reason).toMatch(/1280×720 at 30 fps, H\.264/);
    expect((await drafts.get(draft.id)).voice.takes).toEqual([]);

    expect(take.checks.map((check) => check.id).slice(-8)).toEqual([
      'brightness',
      'highlights',
      'shadows',
      'evenness',
      'face-one',
      'face-gap',
      'face-cuts',
      'face-size',
    ]);
    // Five of six seconds with one face is under 95 %: a warning, kept on the take and in the draft with its record.
    expect(take.checks.find((check) => check.id === 'face-one')).toMatchObject({ verdict: 'warn', value: 5 / 6 });
    expect(take.faces).toEqual(faces);
    expect((await drafts.get(draft.id)).camera.videoTakes[0]?.faces).toEqual(faces);

    const trimmed = await takes.trim(draft.id, take.id, { startMs: 1000, endMs: 5000 });
    expect(trimmed.trim).toEqual({ startMs: 1000, endMs: 5000 });
    expect(trimmed.checks.find((check) => check.id === 'duration')?.reason).toMatch(/0:04/);
    expect(trimmed.checks.find((check) => check.id === 'brightness')).toMatchObject({ verdict: 'pass' });
    expect(trimmed.checks.find((check) => check.id === 'face-gap')).toMatchObject({ verdict: 'pass', value: 1 });
    expect(trimmed.faces).toEqual(faces);

    const peaks = await takes.peaks(draft.id, take.id);
    expect(peaks.perSecond).toBe(100);
    expect(Math.abs(peaks.peaks.length - 600)).toBeLessThan(10);
    expect(Math.max(...peaks.peaks)).toBeGreaterThan(20);

    await takes.choose(draft.id, take.id);
    expect((await drafts.get(draft.id)).camera.chosenVideoTakeId).toBe(take.id);
    await takes.discard(draft.id, take.id);
    const after = await drafts.get(draft.id);
    expect(after.camera.videoTakes).toEqual([]);
    expect(after.camera.chosenVideoTakeId).toBeNull();
    expect(await folderNames(draft.id)).toEqual([]);
  }, 120_000);

  it('takes a still from the middle of the trimmed take: a 16:9 photo with its checks, offered and not chosen', async () => {
    const draft = await drafts.create({ avatarVersion: 'v2' });
    await expect(camera.photoFromVideo(draft.id)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no chosen video take/) });
    const bytes = recorderMp4(6);
    const begun = await takes.begin({ draftId: draft.id, kind: 'video', source: 'recorded', mimeType: 'video/mp4;codecs=avc1,opus' });
    await takes.append(draft.id, begun.id, 0, new Uint8Array(bytes));
    await expect(camera.photoFromVideo(draft.id, begun.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    const take = await takes.finish(draft.id, begun.id, 6000);
    await takes.trim(draft.id, take.id, { startMs: 1000, endMs: 5000 });
    await takes.choose(draft.id, take.id);
    await expect(camera.photoFromVideo(draft.id, undefined, 60_000)).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    const still = await camera.photoFromVideo(draft.id);
    expect(still).toMatchObject({
      source: 'camera',
      width: 1280,
      height: 720,
      fileName: `photo-${still.id}.jpg`,
      originalName: 'Still at 3.0 s of the video take',
    });
    expect(Object.fromEntries(still.checks.map((check) => [check.id, check.verdict]))).toMatchObject({ resolution: 'pass', shape: 'pass' });
    const after = await drafts.get(draft.id);
    expect(after.camera.photos.map((photo) => photo.id)).toEqual([still.id]);
    expect(after.camera.chosenPhotoId).toBeNull();
    // Nothing but the take, its decoded sound kept for the next trim, and the still in the folder: no staging or partial file left.
    const names = await folderNames(draft.id);
    expect(names.filter((name) => !name.startsWith(scratchPrefix))).toEqual([still.fileName, take.fileName].sort());
    expect(names.filter((name) => name.startsWith(scratchPrefix)).length).toBeLessThanOrEqual(1);

    // It is the frame at 3 s (the middle of 1–5 s), not the take's first or last: compared with native ffmpeg's frames.
    const source = path.join(scratch, 'recorded-6s.mp4');
    const grey = (atSeconds: number) =>
      execFileSync('ffmpeg', ['-v', 'error', '-ss', String(atSeconds), '-i', source, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
    const decoded = { data: await sharp(drafts.mediaFile(draft.id, still.fileName)).ensureAlpha().raw().toBuffer() };
    const distance = (frame: Buffer) => {
      let sum = 0;
      for (let index = 0; index < frame.length; index++) sum += Math.abs(frame[index]! - decoded.data[index * 4 + 1]!);
      return sum / frame.length;
    };
    const atMiddle = distance(grey(3));
    expect(atMiddle).toBeLessThan(distance(grey(1)));
    expect(atMiddle).toBeLessThan(distance(grey(5)));
  }, 120_000);

  it('recovers a video take whose recorder went away', async () => {
    const draft = await drafts.create({ avatarVersion: 'v2' });
    const bytes = recorderMp4(3);
    const begun = await takes.begin({ draftId: draft.id, kind: 'video', source: 'recorded', mimeType: 'video/mp4;codecs=avc1,opus' });
    await takes.append(draft.id, begun.id, 0, new Uint8Array(bytes));
    // A new process: the session is gone, only the file and the draft remain.
    await takes.close();
    takes = new TakeService({ drafts, engine, log: quiet, checkers: { video: createVideoTakeChecker(engine) } });
    const recovered = await takes.recover(draft.id);
    expect(recovered.map((take) => [take.id, take.kind, take.state])).toEqual([[begun.id, 'video', 'recovered']]);
    expect(recovered[0]!.durationMs).toBeGreaterThan(2500);
  }, 120_000);
});
