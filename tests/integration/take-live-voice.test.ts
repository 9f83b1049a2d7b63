/**
 * A voice recording measured while it is recorded (live-voice.ts): pieces of a live WebM, as
 * Chromium's MediaRecorder sends them, measured on a worker thread as they land, against the same
 * file measured afterwards by the media engine (ffmpeg.wasm decode): same length, figures, mix and
 * checks. The takes service uses the live figures at Stop and confirms them from the file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';
import { type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import type { VoiceFileAnalysis } from '../../electron/services/media/voice-source';
import { LiveVoice } from '../../electron/services/takes/live-voice';
import { TakeService } from '../../electron/services/takes/take-service';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(['ffmpeg', 'espeak-ng', 'sox'], 'The live voice measure tests');
const quiet = createLogger('live-voice-test', () => undefined);

let scratch: string;
let engine: MediaEngine;

/** A live WebM (no duration, no cues, ~1 s clusters) of `wav` through `filters`, in `codec`. */
function recorderWebm(wav: string, name: string, options: { filters?: string; channels?: number; codec?: string } = {}): string {
  const out = path.join(scratch, `${name}.webm`);
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-i', wav, ...(options.filters ? ['-af', options.filters] : []), '-ac', String(options.channels ?? 1)],
    ...['-c:a', options.codec ?? 'libopus', '-b:a', '128k', '-f', 'webm', '-live', '1', '-cluster_time_limit', '1000', out],
  ]);
  return out;
}

/** Fed in ~1 s pieces, as the page sends them. */
async function measureLive(file: string): Promise<VoiceFileAnalysis | null> {
  const live = new LiveVoice(quiet);
  const bytes = readFileSync(file);
  for (let offset = 0; offset < bytes.length; offset += 16_000) live.push(new Uint8Array(bytes.subarray(offset, offset + 16_000)));
  return live.finish();
}

function expectSameFigures(live: VoiceFileAnalysis, file: VoiceFileAnalysis): void {
  // libopus (live) and ffmpeg's own Opus decoder differ by ~1e-5 per sample, and in the last packet's padding.
  expect(Math.abs(live.durationMs - file.durationMs)).toBeLessThanOrEqual(25);
  expect(live.source.mix).toBe(file.source.mix);
  const a = live.analysis;
  const b = file.analysis;
  for (const key of ['speechRmsDbfs', 'overallRmsDbfs', 'samplePeakDbfs', 'truePeakDbfs', 'noiseFloorDbfs'] as const) {
    expect(Math.abs(a[key] - b[key]), key).toBeLessThan(0.1);
  }
  expect(Math.abs(a.silenceShare - b.silenceShare)).toBeLessThan(0.01);
  expect(a.clippedShare).toBeCloseTo(b.clippedShare, 4);
}

describe.skipIf(missing !== null)('live voice measure', () => {
  beforeAll(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'live-voice-'));
    engine = createMediaEngine({ log: quiet });
  });

  afterAll(async () => {
    await engine?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('measures a mono recording as it arrives the same as its file', async () => {
    const file = recorderWebm(speechWav(40), 'mono');
    const live = await measureLive(file);
    expect(live).not.toBeNull();
    const fromFile = await engine.analyseVoice(file, { scratchDir: scratch });
    expectSameFigures(live!, fromFile);
    expect(live!.peaks.length).toBeGreaterThan(3900);
  }, 120_000);

  it('picks the same channel mix live as from the file when one channel is inverted', async () => {
    const file = recorderWebm(speechWav(20), 'inverted', { filters: 'pan=stereo|c0=c0|c1=-1*c0', channels: 2 });
    const live = await measureLive(file);
    const fromFile = await engine.analyseVoice(file, { scratchDir: scratch });
    expect(fromFile.source.mix).toBe('difference');
    expectSameFigures(live!, fromFile);
    expect(live!.reasons.mix).toBe(fromFile.reasons.mix);
  }, 120_000);

  it('leaves a recording that is not Opus to be measured from its file', async () => {
    const file = recorderWebm(speechWav(5), 'vorbis', { codec: 'libvorbis' });
    expect(await measureLive(file)).toBeNull();
  }, 60_000);

  it('gives a recorded take its checks at Stop from the live measure, and the file confirms them', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'live-voice-takes-'));
    const lines: string[] = [];
    const log = createLogger('takes', (line) => lines.push(line));
    const drafts = new DraftStore({ dataDir, log });
    await drafts.init();
    const takes = new TakeService({ drafts, engine, log });
    try {
      const draft = await drafts.create();
      const bytes = readFileSync(recorderWebm(speechWav(60), 'take'));
      const take = await takes.begin({ draftId: draft.id, kind: 'voice', source: 'recorded', mimeType: 'audio/webm;codecs=opus' });
      let seq = 0;
      for (let offset = 0; offset < bytes.length; offset += 16_000) {
        const piece = new Uint8Array(bytes.subarray(offset, offset + 16_000));
        await takes.append(draft.id, take.id, seq, piece);
        // A piece sent again (a retry after a lost answer) is written and measured once.
        await takes.append(draft.id, take.id, seq, piece);
        seq++;
      }
      const saved = await takes.finish(draft.id, take.id);
      expect(saved.state).toBe('complete');
      expect(saved.checks.length).toBeGreaterThan(3);
      expect(Math.abs((saved.durationMs ?? 0) - 60_000)).toBeLessThan(100);
      // The file was not decoded for these checks: only the confirmation, after, measures it.
      expect(lines.some((line) => line.includes('checks confirmed from the file'))).toBe(false);
      const deadline = Date.now() + 60_000;
      while (!lines.some((line) => line.includes('checks confirmed from the file')) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const confirmation = lines.find((line) => line.includes('checks confirmed from the file'));
      // The file's figures replace the live ones; what the person reads stays as it was at Stop.
      expect(confirmation).toContain('"shown":[]');
      const fromFile = await engine.analyseVoice(drafts.mediaFile(draft.id, saved.fileName), { scratchDir: scratch });
      const after = (await drafts.get(draft.id)).voice.takes.find((item) => item.id === take.id)!;
      expect(after.checks.map(({ id, verdict, reason }) => ({ id, verdict, reason }))).toEqual(
        saved.checks.map(({ id, verdict, reason }) => ({ id, verdict, reason })),
      );
      expect(after.durationMs).toBe(fromFile.durationMs);
    } finally {
      await takes.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
