/**
 * The take life cycle against the real media engine (ffmpeg.wasm) and real files: chunks streamed
 * as MediaRecorder streams them (a live WebM without duration), repaired, probed and checked;
 * sequence checks; recovery after the process died mid-take; imports judged by content.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeStreaming } from '../../shared/contract/takes';
import type { Take } from '../../shared/drafts';
import { StudioError } from '../../shared/errors';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';
import { type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import { TakeService } from '../../electron/services/takes/take-service';
import { clippedToneWav, silenceWav, speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(['ffmpeg', 'ffprobe', 'espeak-ng', 'sox'], 'The takes integration tests');
const quiet = createLogger('takes-test', () => undefined);

let dataDir: string;
let scratch: string;
let engine: MediaEngine;
let drafts: DraftStore;
let takes: TakeService;

/** What Chromium's MediaRecorder produces: Opus in a live WebM with no duration and no cues. */
function recorderWebm(wav: string): Buffer {
  const out = path.join(scratch, `${path.basename(wav)}.webm`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', wav, '-c:a', 'libopus', '-b:a', '128k', '-f', 'webm', '-live', '1', '-cluster_time_limit', '1000', out]);
  return readFileSync(out);
}

function nativeDurationMs(file: string): number {
  const text = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString().trim();
  return Number(text) * 1000;
}

/** ~1 s pieces, the size MediaRecorder's 1000 ms timeslice gives at 128 kbit/s. */
function pieces(bytes: Buffer, size = 16_000): Uint8Array[] {
  const result: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) result.push(new Uint8Array(bytes.subarray(offset, offset + size)));
  return result;
}

async function record(draftId: string, bytes: Buffer): Promise<Take> {
  const take = await takes.begin({ draftId, kind: 'voice', source: 'recorded', mimeType: 'audio/webm;codecs=opus' });
  let seq = 0;
  for (const piece of pieces(bytes)) await takes.append(draftId, take.id, seq++, piece);
  return takes.finish(draftId, take.id);
}

async function importFile(draftId: string, bytes: Buffer, name: string): Promise<Take> {
  const take = await takes.begin({ draftId, kind: 'voice', source: 'imported', mimeType: '', originalName: name, expectedBytes: bytes.length });
  let seq = 0;
  for (const piece of pieces(bytes, 1024 * 1024)) await takes.append(draftId, take.id, seq++, piece);
  return takes.finish(draftId, take.id);
}

const verdictOf = (take: Take, id: string) => take.checks.find((check) => check.id === id)?.verdict;

describe.skipIf(missing !== null)('takes', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'takes-test-'));
    scratch = mkdtempSync(path.join(os.tmpdir(), 'takes-scratch-'));
    engine = createMediaEngine({ log: quiet });
    drafts = new DraftStore({ dataDir, log: quiet });
    await drafts.init();
    takes = new TakeService({ drafts, engine, log: quiet });
  });

  afterAll(async () => {
    await takes?.close();
    await engine?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('streams a 70 s recording to disk, repairs its duration and passes the checks', async () => {
    const draft = await drafts.create();
    const take = await record(draft.id, recorderWebm(speechWav(70)));
    expect(take.state).toBe('complete');
    expect(take.fileName).toMatch(/^voice-t_[a-z0-9]+\.webm$/);
    const file = drafts.mediaFile(draft.id, take.fileName);
    expect(Math.abs(nativeDurationMs(file) - 70_000)).toBeLessThan(500);
    expect(Math.abs((take.durationMs ?? 0) - 70_000)).toBeLessThan(500);
    expect(take.checks.map((check) => check.id)).toEqual(['duration', 'size', 'level', 'clipping', 'noise', 'silence', 'edges']);
    expect(take.checks.filter((check) => check.verdict === 'fail')).toEqual([]);
    // The raw stream is gone once the repaired file exists; the draft lists the take.
    const names = await fs.readdir(drafts.folder(draft.id));
    expect(names.filter((name) => name.includes('.rec.'))).toEqual([]);
    expect((await drafts.get(draft.id)).voice.takes.map((item) => item.id)).toEqual([take.id]);
  }, 60_000);

  it('fails a 30 s take as too short', async () => {
    const draft = await drafts.create();
    const take = await record(draft.id, recorderWebm(speechWav(30)));
    const duration = take.checks.find((check) => check.id === 'duration')!;
    expect(duration.verdict).toBe('fail');
    expect(duration.reason).toMatch(/Too short/);
  }, 60_000);

  it('fails a silent take on its level and a clipped tone on clipping', async () => {
    const draft = await drafts.create();
    const silent = await record(draft.id, recorderWebm(silenceWav(8)));
    expect(verdictOf(silent, 'level')).toBe('fail');
    expect(silent.checks.find((check) => check.id === 'level')!.reason).toMatch(/Silent/);
    const clipped = await record(draft.id, recorderWebm(clippedToneWav(8)));
    expect(verdictOf(clipped, 'clipping')).toBe('fail');
    expect(verdictOf(clipped, 'level')).not.toBe('fail');
  }, 60_000);

  it('ignores a repeated chunk and refuses a gap', async () => {
    const draft = await drafts.create();
    const take = await takes.begin({ draftId: draft.id, kind: 'voice', source: 'recorded', mimeType: 'audio/webm' });
    const bytes = new Uint8Array([1, 2, 3]);
    expect(await takes.append(draft.id, take.id, 0, bytes)).toEqual({ nextSeq: 1, bytes: 3 });
    expect(await takes.append(draft.id, take.id, 0, bytes)).toEqual({ nextSeq: 1, bytes: 3 });
    await expect(takes.append(draft.id, take.id, 2, bytes)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(readFileSync(drafts.mediaFile(draft.id, take.fileName))).toEqual(Buffer.from([1, 2, 3]));
    expect(await takes.discard(draft.id, take.id)).toBe(true);
    expect((await drafts.get(draft.id)).voice.takes).toEqual([]);
    expect(await fs.readdir(drafts.folder(draft.id))).toEqual(['draft.json']);
    // Discarding it again (a refused import's cancel, a double click) finds nothing and is no fault.
    expect(await takes.discard(draft.id, take.id)).toBe(false);
  });

  it('recovers a take whose process died mid-recording, readable and with its real length', async () => {
    const draft = await drafts.create();
    const bytes = recorderWebm(speechWav(70));
    const take = await takes.begin({ draftId: draft.id, kind: 'voice', source: 'recorded', mimeType: 'audio/webm' });
    // Roughly the first 20 s, cut mid-cluster, as a kill leaves it; then the process is gone.
    const cut = Math.floor(bytes.length * (20 / 70)) + 777;
    let seq = 0;
    for (const piece of pieces(bytes.subarray(0, cut))) await takes.append(draft.id, take.id, seq++, piece);
    const restarted = new TakeService({ drafts, engine, log: quiet });
    expect(await restarted.recoverAll()).toBeGreaterThanOrEqual(1);
    const recovered = (await drafts.get(draft.id)).voice.takes.find((item) => item.id === take.id)!;
    expect(recovered.state).toBe('recovered');
    const file = drafts.mediaFile(draft.id, recovered.fileName);
    expect(Math.abs(nativeDurationMs(file) - (recovered.durationMs ?? 0))).toBeLessThan(500);
    expect(recovered.durationMs).toBeGreaterThan(17_000);
    expect(recovered.durationMs).toBeLessThan(22_000);
    expect(verdictOf(recovered, 'duration')).toBe('fail');
    const kept = await restarted.keep(draft.id, take.id);
    expect(kept.state).toBe('complete');
    await restarted.close();
  }, 60_000);

  it('repairs a take whose window went silent, but leaves a live one alone', async () => {
    let clock = 1_000_000;
    const service = new TakeService({ drafts, engine, log: quiet, now: () => clock });
    const draft = await drafts.create();
    const bytes = recorderWebm(speechWav(30));
    const take = await service.begin({ draftId: draft.id, kind: 'voice', source: 'recorded', mimeType: 'audio/webm' });
    let seq = 0;
    for (const piece of pieces(bytes.subarray(0, Math.floor(bytes.length / 2)))) await service.append(draft.id, take.id, seq++, piece);
    expect(await service.recover(draft.id)).toEqual([]);
    clock += takeStreaming.staleAfterMs + 1;
    const [recovered] = await service.recover(draft.id);
    expect(recovered?.id).toBe(take.id);
    expect(recovered?.state).toBe('recovered');
    expect(recovered?.durationMs).toBeGreaterThan(10_000);
    // The window that went away cannot write into it any more.
    await expect(service.append(draft.id, take.id, seq, new Uint8Array([1]))).rejects.toMatchObject({ code: 'CONFLICT' });
    await service.close();
  }, 60_000);

  it('refuses a text file renamed to .wav and changes nothing', async () => {
    const draft = await drafts.create();
    const before = await drafts.get(draft.id);
    const text = Buffer.from('This is not a recording.\n'.repeat(200));
    const error = await importFile(draft.id, text, 'interview.wav').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('MEDIA');
    expect((error as StudioError).message).toMatch(/not a recording the studio can read/);
    const after = await drafts.get(draft.id);
    expect(after.voice).toEqual(before.voice);
    expect(await fs.readdir(drafts.folder(draft.id))).toEqual(['draft.json']);
  }, 30_000);

  it('imports a WAV by its content whatever its name, and trims it with fresh checks', async () => {
    const draft = await drafts.create();
    const wav = readFileSync(speechWav(70));
    const take = await importFile(draft.id, wav, 'my voice.mp3');
    expect(take.source).toBe('imported');
    expect(take.fileName).toMatch(/\.wav$/);
    expect(take.originalName).toBe('my voice.mp3');
    expect(verdictOf(take, 'duration')).toBe('pass');

    const trimmed = await takes.trim(draft.id, take.id, { startMs: 10_000, endMs: 40_000 });
    expect(trimmed.trim).toEqual({ startMs: 10_000, endMs: 40_000 });
    expect(verdictOf(trimmed, 'duration')).toBe('fail');
    const untrimmed = await takes.trim(draft.id, take.id, null);
    expect(untrimmed.trim).toBeNull();
    expect(verdictOf(untrimmed, 'duration')).toBe('pass');

    expect(await takes.choose(draft.id, take.id)).toBe(take.id);
    await takes.discard(draft.id, take.id);
    const after = await drafts.get(draft.id);
    expect(after.voice).toEqual({ takes: [], chosenTakeId: null });
  }, 60_000);

  it('keeps video takes with the camera, judged by the checker it is given', async () => {
    const seen: string[] = [];
    const withVideo = new TakeService({
      drafts,
      engine,
      log: quiet,
      checkers: { video: async ({ durationMs }) => (seen.push(`video ${Math.round(durationMs / 1000)} s`), []) },
    });
    const draft = await drafts.create();
    const out = path.join(scratch, 'camera.webm');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=15',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=300',
      '-t',
      '4',
      '-c:v',
      'libvpx',
      '-deadline',
      'realtime',
      '-c:a',
      'libopus',
      '-f',
      'webm',
      '-live',
      '1',
      out,
    ]);
    const take = await withVideo.begin({ draftId: draft.id, kind: 'video', source: 'recorded', mimeType: 'video/webm;codecs=vp8,opus' });
    let seq = 0;
    for (const piece of pieces(readFileSync(out))) await withVideo.append(draft.id, take.id, seq++, piece);
    const saved = await withVideo.finish(draft.id, take.id);
    expect(saved.fileName).toMatch(/^video-t_[a-z0-9]+\.webm$/);
    expect(saved.mimeType).toBe('video/webm');
    expect(seen).toEqual(['video 4 s']);
    await withVideo.choose(draft.id, take.id);
    const after = await drafts.get(draft.id);
    expect(after.camera.videoTakes.map((item) => item.id)).toEqual([take.id]);
    expect(after.camera.chosenVideoTakeId).toBe(take.id);
    expect(after.voice).toEqual({ takes: [], chosenTakeId: null });
    // Without a video checker the service refuses video rather than judging it as a voice.
    await expect(takes.begin({ draftId: draft.id, kind: 'video', source: 'recorded', mimeType: 'video/webm' })).rejects.toMatchObject({
      code: 'NOT_AVAILABLE',
    });
    await withVideo.close();
  }, 60_000);

  it('refuses an oversized import before reading it', async () => {
    const draft = await drafts.create();
    await expect(takes.begin({ draftId: draft.id, kind: 'voice', source: 'imported', mimeType: 'audio/wav', expectedBytes: 2 ** 31 })).rejects.toMatchObject({
      code: 'MEDIA',
    });
  });
});
