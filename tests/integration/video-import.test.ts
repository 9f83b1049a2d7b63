/**
 * Video from phones, cameras and screen recorders through the takes service and the media engine
 * (real ffmpeg.wasm): every input is made at test time by native ffmpeg, and every prepared file is
 * read back by native ffprobe and by decoding its pixels.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Take } from '../../shared/drafts';
import { StudioError } from '../../shared/errors';
import { exposureCheckIds } from '../../shared/exposure';
import { importRefusal } from '../../shared/take-import';
import { createVideoTakeChecker } from '../../electron/services/camera/video-checks';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';
import { type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import { mediaHandlers } from '../../electron/services/media/media-handlers';
import { TakeService } from '../../electron/services/takes/take-service';
import { missingPrerequisite } from '../support/prerequisites';
import { alacVoice, halvesInputs, litClip, portraitClip, speechInput } from '../support/import-fixtures';

const missing = missingPrerequisite(['ffmpeg', 'ffprobe', 'espeak-ng', 'sox'], 'The video import tests');
const quiet = createLogger('video-import-test', () => undefined);

let scratch = '';
let dataDir = '';
let engine: MediaEngine;
let drafts: DraftStore;
let takes: TakeService;
const file = (name: string) => path.join(scratch, name);

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
}

type NativeStream = { codec_name: string; width?: number; height?: number; pix_fmt?: string; sample_aspect_ratio?: string; side_data_list?: unknown[] };

function nativeVideo(target: string): NativeStream {
  const probed = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-select_streams', 'v:0', target]).toString(),
  ) as {
    streams: NativeStream[];
  };
  return probed.streams[0]!;
}

/** One decoded frame, as native ffmpeg shows it (rotation applied), in RGB. */
function frameRgb(target: string, width: number, height: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', target, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 64 * 2 ** 20,
  }).subarray(0, width * height * 3);
}

function pixel(rgb: Buffer, width: number, x: number, y: number): [number, number, number] {
  const at = (y * width + x) * 3;
  return [rgb[at]!, rgb[at + 1]!, rgb[at + 2]!];
}

async function importVideo(draftId: string, source: string, name: string): Promise<Take> {
  const bytes = readFileSync(source);
  const take = await takes.begin({ draftId, kind: 'video', source: 'imported', mimeType: '', originalName: name, expectedBytes: bytes.length });
  let seq = 0;
  for (let offset = 0; offset < bytes.length; offset += 1024 * 1024) {
    await takes.append(draftId, take.id, seq++, new Uint8Array(bytes.subarray(offset, offset + 1024 * 1024)));
  }
  return takes.finish(draftId, take.id);
}

/** A test picture (`picture`: an ffmpeg lavfi source) with speech, `seconds` long, encoded by `options` into `target`. */
function speechClip(picture: string, seconds: number, options: readonly string[], target: string): void {
  ffmpeg(['-f', 'lavfi', '-i', picture, ...speechInput(), '-map', '0:v', '-map', '1:a', '-t', String(seconds), ...options, target]);
}

const pictureReason = (take: Take) => take.checks.find((check) => check.id === 'picture')?.reason ?? '';

describe.skipIf(missing !== null)('video import and preparation', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'video-import-'));
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'video-import-data-'));
    // An iPhone-like QuickTime file: H.264 with 16-bit PCM sound (as many cameras write), 'qt' brand.
    ffmpeg([
      ...halvesInputs(640, 360),
      ...speechInput(),
      '-filter_complex',
      '[0][1]vstack',
      '-map',
      '2:a',
      '-t',
      '4',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'pcm_s16le',
      '-f',
      'mov',
      file('iphone.mov'),
    ]);
    // A phone's portrait clip: shown 360×640 (red on top), stored 640×360 turned, with rotation metadata.
    portraitClip(file('portrait-hevc.mp4'), { codec: 'hevc' });
    // Light for the checks: a dim room and an ordinary one.
    litClip(file('dark.mp4'), { level: 0.15, seconds: 3 });
    litClip(file('lit.mp4'), { level: 1, seconds: 3 });
    // High 10 H.264 from an editor.
    speechClip('testsrc2=size=1280x720:rate=30', 3, ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p10le', '-c:a', 'aac'], file('high10.mp4'));
    // A screen recorder's window capture: odd sides, H.264 4:4:4 in Matroska.
    speechClip('testsrc=size=853x479:rate=30', 2, ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p', '-c:a', 'libopus'], file('window.mkv'));
    // A VP9 clip in WebM (a browser's screen recording).
    ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=640x360:rate=30',
      '-t',
      '1',
      '-c:v',
      'libvpx-vp9',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      file('clip-vp9.webm'),
    ]);
    // 4K at 60 fps, H.264 8-bit: copyable in kind, but far above what the upload needs.
    speechClip('testsrc2=size=3840x2160:rate=60', 1, ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac'], file('4k60.mp4'));
    // AV1, which this ffmpeg.wasm build cannot decode.
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=10', '-t', '1', '-c:v', 'libaom-av1', '-cpu-used', '8', '-b:v', '200k', file('clip-av1.mp4')]);
    // Apple Lossless sound, which Chromium cannot play.
    alacVoice(file('voice-alac.m4a'), 5);

    engine = createMediaEngine({ log: quiet });
    drafts = new DraftStore({ dataDir, log: quiet });
    await drafts.init();
    takes = new TakeService({ drafts, engine, log: quiet, checkers: { video: createVideoTakeChecker(engine) } });
  }, 240_000);

  afterAll(async () => {
    await takes?.close();
    await engine?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a file by its name before any byte is sent, with one rule for page and service', async () => {
    expect(importRefusal('video', 'IMG_0042.MOV', 10)).toBeNull();
    expect(importRefusal('video', 'notes.txt', 10)).toMatch(/\.txt file.*mp4, mov/);
    expect(importRefusal('voice', 'clip.avi', 10)).toMatch(/\.avi file/);
    // The sound of a phone's video may be the voice: its names pass the voice import's first gate too.
    expect(importRefusal('voice', 'IMG_0042.MOV', 10)).toBeNull();
    const draft = await drafts.create();
    await expect(
      takes.begin({ draftId: draft.id, kind: 'video', source: 'imported', mimeType: '', originalName: 'notes.txt', expectedBytes: 10 }),
    ).rejects.toThrow(/notes\.txt.*cannot import/);
  });

  it('imports a QuickTime .mov as MP4, keeping its picture and turning its PCM sound into AAC', async () => {
    const draft = await drafts.create();
    const take = await importVideo(draft.id, file('iphone.mov'), 'IMG_0042.MOV');
    expect(take.fileName).toMatch(/^video-t_[a-z0-9]+\.mp4$/);
    expect(take.mimeType).toBe('video/mp4');
    expect(take.durationMs).toBeGreaterThan(3900);
    const stored = path.join(drafts.folder(draft.id), take.fileName);
    expect(nativeVideo(stored)).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect((await engine.probe(stored)).audio?.codec).toBe('aac');
    expect((await drafts.get(draft.id)).camera.videoTakes.map((item) => item.id)).toEqual([take.id]);
  }, 120_000);

  it('reports a portrait HEVC clip with rotation as portrait and prepares it upright, H.264, square pixels', async () => {
    const draft = await drafts.create();
    const take = await importVideo(draft.id, file('portrait-hevc.mp4'), 'portrait.mp4');
    const stored = path.join(drafts.folder(draft.id), take.fileName);
    const info = await engine.probe(stored);
    expect(info.video).toMatchObject({ codec: 'hevc', width: 360, height: 640, codedWidth: 640, codedHeight: 360 });
    expect(info.video?.rotation).not.toBe(0);
    expect(pictureReason(take)).toMatch(/^360×640 portrait/);

    const prepared = await engine.prepareVideo(stored, file('portrait-prepared.mp4'), {});
    expect(prepared.summary).toMatch(/re-encoded.*hevc/);
    const native = nativeVideo(file('portrait-prepared.mp4'));
    expect(native).toMatchObject({ codec_name: 'h264', width: 360, height: 640, pix_fmt: 'yuv420p' });
    expect(native.sample_aspect_ratio ?? '1:1').toBe('1:1');
    // Upright: red on top, blue below, in the pixels themselves (no rotation left for a player to apply).
    const rgb = frameRgb(file('portrait-prepared.mp4'), 360, 640);
    const top = pixel(rgb, 360, 180, 100);
    const bottom = pixel(rgb, 360, 180, 540);
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200);
    expect(bottom[0]).toBeLessThan(60);
  }, 180_000);

  it('judges the light of an imported video from its frames, as a recording is judged live', async () => {
    const draft = await drafts.create();
    const dark = await importVideo(draft.id, file('dark.mp4'), 'dim-room.mp4');
    const lit = await importVideo(draft.id, file('lit.mp4'), 'office.mp4');
    const verdicts = (take: Take) =>
      Object.fromEntries(take.checks.filter((check) => exposureCheckIds.includes(check.id as never)).map((check) => [check.id, check.verdict]));
    expect(verdicts(dark)).toMatchObject({ brightness: 'fail', shadows: 'fail' });
    expect(dark.checks.find((check) => check.id === 'brightness')?.reason).toMatch(/Average brightness \d+ %/);
    expect(verdicts(lit)).toMatchObject({ brightness: 'pass', highlights: 'pass', shadows: 'pass' });
    // Measured once: a trim keeps the light and checks the rest again.
    const trimmed = await takes.trim(draft.id, dark.id, { startMs: 500, endMs: 2500 });
    expect(trimmed.checks.find((check) => check.id === 'brightness')).toEqual(dark.checks.find((check) => check.id === 'brightness'));
    // A portrait clip stored turned is measured upright like any other.
    const portrait = await importVideo(draft.id, file('portrait-hevc.mp4'), 'portrait.mp4');
    expect(Object.keys(verdicts(portrait))).toEqual(['brightness', 'highlights', 'shadows', 'evenness']);
  }, 120_000);

  it('re-encodes High 10 H.264 to 8-bit 4:2:0', async () => {
    const prepared = await engine.prepareVideo(file('high10.mp4'), file('high10-prepared.mp4'), {});
    expect(prepared.summary).toMatch(/yuv420p10le/);
    expect(nativeVideo(file('high10-prepared.mp4'))).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 1280, height: 720 });
  }, 180_000);

  it('prepares an odd-sized window capture at even dimensions', async () => {
    const draft = await drafts.create();
    const take = await importVideo(draft.id, file('window.mkv'), 'capture.mkv');
    expect(take.fileName).toMatch(/\.mp4$/);
    expect(pictureReason(take)).toMatch(/^853×479/);
    const prepared = await engine.prepareVideo(path.join(drafts.folder(draft.id), take.fileName), file('window-prepared.mp4'), {});
    expect(nativeVideo(file('window-prepared.mp4'))).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 852, height: 478 });
    expect(prepared.summary).toMatch(/yuv444p/);
    expect(prepared.summary).toMatch(/odd/);
  }, 180_000);

  it('prepares a 4K 60 fps clip at the default 720p and 30 fps', async () => {
    const prepared = await engine.prepareVideo(file('4k60.mp4'), file('4k-prepared.mp4'), {});
    expect(prepared.info.video).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    expect(prepared.info.video?.fps).toBe(30);
    expect(nativeVideo(file('4k-prepared.mp4'))).toMatchObject({ width: 1280, height: 720, pix_fmt: 'yuv420p' });
  }, 240_000);

  it('measures a video cut short from what it holds, not from its header: MP4 with its index first, QuickTime, WebM', async () => {
    const draft = await drafts.create();
    for (const [name, options] of [
      ['cut.mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-movflags', '+faststart']],
      ['cut.mov', ['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'pcm_s16le', '-movflags', '+faststart']],
      ['cut.webm', ['-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '300k', '-c:a', 'libopus']],
    ] as const) {
      speechClip('testsrc2=size=320x180:rate=15', 90, [...options], file(`whole-${name}`));
      const whole = readFileSync(file(`whole-${name}`));
      // Half the file, as a copy or a download that stopped: its header still says 1:30.
      writeFileSync(file(name), whole.subarray(0, Math.floor(whole.length / 2)));
      const take = await importVideo(draft.id, file(name), name);
      expect(take.durationMs, name).toBeGreaterThan(20_000);
      expect(take.durationMs, name).toBeLessThan(60_000);
      expect(take.checks.find((check) => check.id === 'duration')?.verdict, name).toBe('fail');
      expect(take.checks.find((check) => check.id === 'header')?.reason, name).toMatch(/header says 1:30, but its picture and sound end at 0:[2-5]\d/);
    }
    // Cut right after its index: a header and no frame. Refused as cut short, not as a codec.
    const indexed = readFileSync(file('whole-cut.mp4'));
    writeFileSync(file('header-only.mp4'), indexed.subarray(0, indexed.indexOf('mdat') + 4));
    const refused = await importVideo(draft.id, file('header-only.mp4'), 'header-only.mp4').catch((error: unknown) => error);
    expect((refused as Error).message).toMatch(/holds no sound or picture after its header/);
    const whole = await importVideo(draft.id, file('whole-cut.mp4'), 'whole.mp4');
    expect(Math.abs((whole.durationMs ?? 0) - 90_000)).toBeLessThan(200);
    expect(whole.checks.find((check) => check.id === 'header')).toBeUndefined();
  }, 240_000);

  it('says when the sound starts well after the picture, and not when they start together', async () => {
    const draft = await drafts.create();
    const clip = (offset: string[], target: string) =>
      ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=640x360:rate=30',
        ...offset,
        ...speechInput(),
        '-map',
        '0:v',
        '-map',
        '1:a',
        '-t',
        '8',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        target,
      ]);
    clip(['-itsoffset', '3'], file('sound-late.mp4'));
    clip([], file('sound-with.mp4'));
    const late = await importVideo(draft.id, file('sound-late.mp4'), 'late.mp4');
    const sync = late.checks.find((check) => check.id === 'sync');
    expect(sync).toMatchObject({ verdict: 'warn' });
    expect(Math.abs((sync?.value ?? 0) - 3000)).toBeLessThan(100);
    expect(sync?.reason).toMatch(/The sound starts 3\.0 s after the picture/);
    const together = await importVideo(draft.id, file('sound-with.mp4'), 'with.mp4');
    expect(together.checks.find((check) => check.id === 'sync')).toBeUndefined();
  }, 120_000);

  it('stops an import being checked when it is discarded, and keeps nothing of it', async () => {
    const draft = await drafts.create();
    const bytes = readFileSync(file('4k60.mp4'));
    const take = await takes.begin({ draftId: draft.id, kind: 'video', source: 'imported', mimeType: '', originalName: '4k.mp4', expectedBytes: bytes.length });
    let seq = 0;
    for (let offset = 0; offset < bytes.length; offset += 1024 * 1024) {
      await takes.append(draft.id, take.id, seq++, new Uint8Array(bytes.subarray(offset, offset + 1024 * 1024)));
    }
    const finishing = takes.finish(draft.id, take.id).then(
      () => null,
      (caught: unknown) => caught,
    );
    // Every piece is in: reading and checking a 4K clip takes seconds, and Cancel comes in the middle of it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await takes.discard(draft.id, take.id)).toBe(true);
    expect(await finishing).toMatchObject({ code: 'CANCELLED', message: expect.stringMatching(/nothing was added/) });
    expect((await drafts.get(draft.id)).camera.videoTakes).toEqual([]);
    expect(readdirSync(drafts.folder(draft.id)).filter((name) => name.includes(take.id))).toEqual([]);
    // The engine carries on with the next file.
    expect((await engine.probe(file('lit.mp4'))).video?.codec).toBe('h264');
  }, 120_000);

  it('refuses a video whose picture the engine cannot decode, plainly, and changes nothing', async () => {
    const draft = await drafts.create();
    const error = await importVideo(draft.id, file('clip-av1.mp4'), 'clip.mp4').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).message).toMatch(/cannot decode this video’s picture \(AV1/);
    expect((error as StudioError).message).not.toMatch(/\[object/);
    expect((await drafts.get(draft.id)).camera.videoTakes).toEqual([]);
    // The engine is still good for the next file.
    expect((await engine.probe(file('clip-vp9.webm'))).video?.codec).toBe('vp9');
  }, 120_000);

  it('plays a preview of what the browser cannot decode: ALAC sound and rotated HEVC', async () => {
    const handlers = mediaHandlers(engine, drafts);
    const draft = await drafts.create();
    const bytes = readFileSync(file('voice-alac.m4a'));
    const begun = await takes.begin({
      draftId: draft.id,
      kind: 'voice',
      source: 'imported',
      mimeType: 'audio/mp4',
      originalName: 'memo.m4a',
      expectedBytes: bytes.length,
    });
    await takes.append(draft.id, begun.id, 0, new Uint8Array(bytes));
    const voice = await takes.finish(draft.id, begun.id);
    const played = await handlers['media/preview']({ draftId: draft.id, takeId: voice.id });
    expect(played).toMatchObject({ fileName: `preview-${voice.id}.webm`, preview: true });
    expect(played.reason).toMatch(/Apple Lossless/);
    const preview = await engine.probe(path.join(drafts.folder(draft.id), played.fileName));
    expect(preview).toMatchObject({ container: 'webm', audio: { codec: 'opus' } });
    expect(Math.abs((preview.durationMs ?? 0) - (voice.durationMs ?? 0))).toBeLessThan(100);

    const video = await importVideo(draft.id, file('portrait-hevc.mp4'), 'portrait.mp4');
    const shown = await handlers['media/preview']({ draftId: draft.id, takeId: video.id });
    expect(shown).toMatchObject({ fileName: `preview-${video.id}.mp4`, preview: true });
    const rgb = frameRgb(path.join(drafts.folder(draft.id), shown.fileName), 360, 640);
    expect(pixel(rgb, 360, 180, 100)[0]).toBeGreaterThan(200);
    expect(pixel(rgb, 360, 180, 540)[2]).toBeGreaterThan(200);

    // A file the browser plays is played as it is; a discarded take takes its preview with it.
    const mov = await importVideo(draft.id, file('iphone.mov'), 'IMG_0042.MOV');
    expect(await handlers['media/preview']({ draftId: draft.id, takeId: mov.id })).toMatchObject({ fileName: mov.fileName, preview: false });
    await takes.discard(draft.id, video.id);
    expect(() => readFileSync(path.join(drafts.folder(draft.id), shown.fileName))).toThrow();
  }, 240_000);
});
