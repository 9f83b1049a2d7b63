/**
 * Importing a 4-hour MP3 as a voice take, through the takes service and the real media engine:
 * its length is measured by decoding it to nothing, it is refused as too long from that length,
 * and the host's peak resident memory and what it holds afterwards are reported. A 15-minute MP3
 * (the longest kind the studio accepts) is imported and fully checked in the same run, so the
 * streamed analysis is measured too. The MP3s are made with native ffmpeg and kept in the cache.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs, renameSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { speechWav } from '../../tests/support/media-fixtures';
import { DraftStore } from '../../electron/services/drafts/draft-store';
import { createMediaEngine } from '../../electron/services/media/engine';
import { TakeService } from '../../electron/services/takes/take-service';
import { measure, round } from './measure';
import { nativeAvailable } from './native-runner';
import type { Benchmark, BenchContext } from './types';

/** Speech looped to `seconds`, as a 128 kbit/s stereo 44.1 kHz MP3 (a common export). */
function longMp3(context: BenchContext, seconds: number): string {
  const target = path.join(context.cacheDir, `speech-${seconds}s-128k.mp3`);
  if (existsSync(target)) return target;
  if (!nativeAvailable()) throw new Error('native ffmpeg is needed to make the long MP3 (apt ffmpeg)');
  context.note(`making ${path.basename(target)} (a few minutes)`);
  const partial = `${target}.partial.mp3`;
  const speech = speechWav(300);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-stream_loop',
    '-1',
    '-i',
    speech,
    '-t',
    String(seconds),
    '-ac',
    '2',
    '-ar',
    '44100',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '128k',
    partial,
  ]);
  renameSync(partial, target);
  return target;
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const mb = (bytes: number) => round(bytes / 2 ** 20);

export const importMemory4h: Benchmark = {
  key: 'importMemory4h',
  description: 'import and check a 4-hour MP3 (refused as too long from its measured length) and a 15-minute one (checked): peak and after RSS',
  async run(context) {
    const fourHours = longMp3(context, 4 * 3600);
    const fifteenMinutes = longMp3(context, 15 * 60);
    const engine = createMediaEngine({ log: context.quiet });
    const drafts = new DraftStore({ dataDir: path.join(context.workDir, 'import-memory'), log: context.quiet });
    await drafts.init();
    const takes = new TakeService({ drafts, engine, log: context.quiet });
    const draft = await drafts.create();

    const importFile = async (file: string) => {
      const { size } = await fs.stat(file);
      const take = await takes.begin({
        draftId: draft.id,
        kind: 'voice',
        source: 'imported',
        mimeType: 'audio/mpeg',
        originalName: path.basename(file),
        expectedBytes: size,
      });
      const handle = await fs.open(file, 'r');
      try {
        const piece = new Uint8Array(1024 * 1024);
        let seq = 0;
        for (let offset = 0; offset < size; offset += piece.length) {
          const { bytesRead } = await handle.read(piece, 0, piece.length, offset);
          await takes.append(draft.id, take.id, seq++, piece.slice(0, bytesRead));
        }
      } finally {
        await handle.close();
      }
      return takes.finish(draft.id, take.id);
    };

    try {
      collectGarbage();
      const baseRssMb = mb(process.memoryUsage.rss());
      const long = await measure(() =>
        importFile(fourHours).then(
          () => null,
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        ),
      );
      collectGarbage();
      const afterRssMb = mb(process.memoryUsage.rss());
      const accepted = await measure(() => importFile(fifteenMinutes));
      collectGarbage();
      const acceptedAfterRssMb = mb(process.memoryUsage.rss());
      return {
        fileMb: mb((await fs.stat(fourHours)).size),
        baseRssMb,
        peakRssMb: long.peakRssMb,
        afterRssMb,
        ms: long.ms,
        refused: long.result !== null,
        message: long.result ?? 'accepted',
        maxLoopDelayMs: long.maxLoopDelayMs,
        referenceMaxLoopDelayMs: long.referenceMaxLoopDelayMs,
        accepted15mPeakRssMb: accepted.peakRssMb,
        accepted15mAfterRssMb: acceptedAfterRssMb,
        accepted15mMs: accepted.ms,
        accepted15mDurationMs: accepted.result.durationMs,
        accepted15mChecks: accepted.result.checks.map((check) => `${check.id}:${check.verdict}`).join(' '),
      };
    } finally {
      await takes.close();
      await engine.close();
    }
  },
};
