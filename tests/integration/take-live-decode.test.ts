/**
 * A recording's sound is decoded while it is recorded (the takes service's live decode), so at Stop
 * only its last seconds are decoded: the checks it gives must be those of a decode of the whole file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult, Take } from '../../shared/drafts';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createLogger } from '../../electron/services/log';
import { type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import { LiveDecode, SharedPcm } from '../../electron/services/takes/live-decode';
import { TakeService } from '../../electron/services/takes/take-service';
import { speechWav } from '../support/media-fixtures';
import { missingPrerequisite } from '../support/prerequisites';

const missing = missingPrerequisite(['ffmpeg', 'espeak-ng', 'sox'], 'the live decode tests');
const quiet = createLogger('live-decode-test', () => undefined);

describe('SharedPcm', () => {
  it('writes at an offset, drops what lay after it, and grows on shared memory', () => {
    const pcm = new SharedPcm(10);
    pcm.writeAt(0, Float32Array.from([1, 2, 3, 4]));
    pcm.writeAt(2, Float32Array.from([7, 8, 9]));
    expect([...pcm.view()]).toEqual([1, 2, 7, 8, 9]);
    pcm.writeAt(5, new Float32Array(1000).fill(5));
    expect(pcm.view().length).toBe(1005);
    expect([...pcm.view().subarray(0, 6)]).toEqual([1, 2, 7, 8, 9, 5]);
    expect(pcm.view().buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe.skipIf(missing !== null)('takes: sound decoded while recording', () => {
  let dataDir = '';
  let engine: MediaEngine;
  let drafts: DraftStore;
  let bytes: Buffer;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'live-decode-'));
    const webm = path.join(dataDir, 'take.webm');
    // As MediaRecorder streams it: Opus in a live WebM, no duration, no cues, ~1 s clusters.
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-i',
      speechWav(70),
      '-c:a',
      'libopus',
      '-b:a',
      '128k',
      '-f',
      'webm',
      '-live',
      '1',
      '-cluster_time_limit',
      '1000',
      webm,
    ]);
    bytes = readFileSync(webm);
    engine = createMediaEngine({ log: quiet });
    drafts = new DraftStore({ dataDir: path.join(dataDir, 'data'), log: quiet });
    await drafts.init();
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Records `bytes` in 1 s pieces; `clock` moves a second per piece; `settle` waits for the decoder every 10. */
  async function record(takes: TakeService, clock: { ms: number }, settle: (() => Promise<void>) | null): Promise<Take> {
    const draft = await drafts.create();
    const take = await takes.begin({ draftId: draft.id, kind: 'voice', source: 'recorded', mimeType: 'audio/webm;codecs=opus' });
    const size = 16_000;
    let seq = 0;
    for (let offset = 0; offset < bytes.length; offset += size) {
      clock.ms += 1000;
      await takes.append(draft.id, take.id, seq++, new Uint8Array(bytes.subarray(offset, offset + size)));
      if (settle && seq % 10 === 0) await settle();
    }
    return takes.finish(draft.id, take.id);
  }

  /** Same checks, same verdicts, and values within 0.02 (dB or shares): stretches decode to the whole file's sound but for float rounding. */
  function expectSameChecks(actual: CheckResult[], expected: CheckResult[]): void {
    expect(actual.map((check) => [check.id, check.verdict])).toEqual(expected.map((check) => [check.id, check.verdict]));
    actual.forEach((check, index) => {
      const reference = expected[index]!.value;
      if (typeof check.value === 'number' && typeof reference === 'number') expect(Math.abs(check.value - reference)).toBeLessThan(0.02);
      else expect(check.value).toEqual(reference);
    });
  }

  it('gives at Stop the checks of the whole file, having decoded all but the last seconds while recording', async () => {
    const decodes: { startMs: number }[] = [];
    let inFlight = 0;
    const track = <T>(work: Promise<T>) => {
      inFlight++;
      return work.finally(() => inFlight--);
    };
    // The engine as the service sees it, with its decodes counted: as in a real take, each stretch
    // is decoded before the next ten seconds have arrived, however busy the machine is.
    const counting: MediaEngine = {
      ...engine,
      probe: (file) => track(engine.probe(file)),
      decodePcm: (file, options = {}) => {
        decodes.push({ startMs: options.startMs ?? 0 });
        return track(engine.decodePcm(file, options));
      },
    };
    const settle = async () => {
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    const clock = { ms: 0 };
    const live = new TakeService({ drafts, engine: counting, log: quiet, now: () => clock.ms, liveDecode: true });
    const whole = new TakeService({ drafts, engine, log: quiet, now: () => clock.ms });
    try {
      const recorded = await record(live, clock, settle);
      // Several stretches were decoded while recording, and the one at Stop started late in the take.
      expect(decodes.length).toBeGreaterThanOrEqual(4);
      expect(decodes.at(-1)!.startMs).toBeGreaterThan(50_000);
      // The same recording, with no time passing: nothing decoded live, the whole file decoded at Stop.
      const reference = await record(whole, clock, null);
      expectSameChecks(recorded.checks, reference.checks);
      expect(recorded.checks.filter((check) => check.verdict === 'fail')).toEqual([]);
    } finally {
      await live.close();
      await whole.close();
    }
  }, 240_000);

  it('leaves the whole decode to Stop when the file has no sound to decode', async () => {
    const decode = new LiveDecode({ engine, file: path.join(dataDir, 'missing.webm'), log: quiet, maxSampleRate: 48000, stepMs: 0 });
    decode.landed();
    expect(await decode.complete(path.join(dataDir, 'missing.webm'))).toBeNull();
  }, 60_000);
});
