// The media calls through the dispatcher: ids in (never paths), prepared files in the draft folder, progress events out.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioHandlers } from '../../shared/contract';
import type { Take } from '../../shared/drafts';
import { voicePreparation } from '../../shared/requirements';
import { DraftStore, newId } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';
import { type EngineProgress, type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import { mediaHandlers } from '../../electron/services/media/media-handlers';
import { type Dispatch, createDispatcher } from '../../electron/studio/dispatch';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const skip = missingPrerequisite(['ffmpeg', 'espeak-ng', 'sox'], 'the media handler tests');
const quiet = createLogger('media-handlers-test', () => undefined);

describe.skipIf(skip !== null)('media calls', () => {
  let dataDir = '';
  let engine: MediaEngine;
  let drafts: DraftStore;
  let dispatch: Dispatch;
  const events: EngineProgress[] = [];
  let draftId = '';
  let voiceTake: Take;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'media-handlers-'));
    engine = createMediaEngine({ log: quiet, onProgress: (progress) => events.push(progress) });
    drafts = new DraftStore({ dataDir, log: quiet });
    await drafts.init();
    dispatch = createDispatcher(mediaHandlers(engine, drafts) as StudioHandlers, quiet);
    const draft = await drafts.create();
    draftId = draft.id;
    const takeId = newId('t');
    const fileName = `voice-${takeId}.webm`;
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', speechWav(70), '-c:a', 'libopus', '-b:a', '64k', '-f', 'webm', drafts.mediaFile(draftId, fileName)]);
    voiceTake = {
      id: takeId,
      kind: 'voice',
      source: 'recorded',
      fileName,
      mimeType: 'audio/webm;codecs=opus',
      createdAt: new Date().toISOString(),
      state: 'complete',
      durationMs: 70_000,
      bytes: 0,
      trim: { startMs: 0, endMs: 65_000 },
      checks: [],
      originalName: null,
    } as Take;
    const photoId = newId('t');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1280x960:rate=1',
      '-frames:v',
      '1',
      drafts.mediaFile(draftId, `photo-${photoId}.png`),
    ]);
    await drafts.update(draftId, (current) => ({
      ...current,
      voice: { takes: [voiceTake], chosenTakeId: takeId },
      camera: {
        ...current.camera,
        photos: [
          { id: photoId, source: 'camera', fileName: `photo-${photoId}.png`, createdAt: new Date().toISOString(), width: 1280, height: 960, checks: [] },
        ],
        chosenPhotoId: photoId,
      },
    }));
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('probes a take named by draft and take id', async () => {
    const result = await dispatch('media/probe', { draftId, takeId: voiceTake.id });
    expect(result).toMatchObject({ ok: true, value: { container: 'webm', audio: { codec: 'opus', channels: 1 } } });
  });

  it('refuses paths and unknown keys before anything is opened', async () => {
    const byPath = await dispatch('media/probe', { draftId: '../../etc', takeId: voiceTake.id });
    expect(byPath).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const extra = await dispatch('media/prepareVoice', { draftId, file: '/etc/passwd' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const unknownTake = await dispatch('media/probe', { draftId, takeId: newId('t') });
    expect(unknownTake).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('says which formats it offers and which it uses by default', async () => {
    const result = await dispatch('media/voiceFormats', {});
    expect(result).toMatchObject({ ok: true, value: { defaultFormat: voicePreparation.defaultFormat } });
  });

  it('prepares the chosen take within its trim under the caller’s job id, then again in another format', async () => {
    const result = await dispatch('media/prepareVoice', { draftId, jobId: 'j_fromrenderer1' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const value = result.value as { fileName: string; info: { durationMs: number }; jobId: string };
    expect(value.jobId).toBe('j_fromrenderer1');
    expect(value.fileName).toBe(`prepared-voice.${voicePreparation.defaultFormat}`);
    // An MP3 ends on a whole frame (24 ms at 48 kHz).
    expect(value.info.durationMs).toBeLessThanOrEqual(65_050);
    expect(value).not.toHaveProperty('file');
    expect(existsSync(drafts.mediaFile(draftId, value.fileName))).toBe(true);
    const states = events.filter((event) => event.jobId === 'j_fromrenderer1').map((event) => event.state);
    expect(states[0]).toBe('queued');
    expect(states.at(-1)).toBe('done');

    const flac = await dispatch('media/prepareVoice', { draftId, format: 'flac' });
    expect(flac).toMatchObject({ ok: true, value: { fileName: 'prepared-voice.flac', info: { container: 'flac' } } });
    // One prepared voice file per draft: the earlier one is gone.
    expect(existsSync(drafts.mediaFile(draftId, value.fileName))).toBe(false);
  }, 120_000);

  it('crops the chosen photo and reports cancelling an unknown job as not cancelled', async () => {
    const photo = await dispatch('media/preparePhoto', { draftId });
    expect(photo).toMatchObject({ ok: true, value: { fileName: 'prepared-photo.jpg', info: { container: 'jpeg', video: { width: 1280, height: 720 } } } });
    expect(await dispatch('media/cancel', { jobId: 'j_nosuchjob' })).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('says clearly when the draft has no video take yet', async () => {
    const result = await dispatch('media/prepareVideo', { draftId });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/no chosen video take/) } });
  });
});
