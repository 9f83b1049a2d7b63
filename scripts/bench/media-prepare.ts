/**
 * Preparation benchmarks: each preparation through the media engine on ffmpeg.wasm, measured as
 * the main process sees it, then the very same ffmpeg commands on native ffmpeg for comparison.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PreparedFile } from '../../shared/media';
import { type MediaEngine, createMediaEngine, studioRunners } from '../../electron/services/media/engine';
import type { JobContext } from '../../electron/services/media/job';
import { defaultWorkerNice, encodeWorkerNice } from '../../electron/services/thread-priority';
import { prepareVideoFile } from '../../electron/services/media/video-preparation';
import { prepareVoiceFile } from '../../electron/services/media/voice-preparation';
import { speechWav } from '../../tests/support/media-fixtures';
import { measure, ratio, round } from './measure';
import { type MediaInputs, mediaInputs } from './media-inputs';
import { NativeRunner, nativeAvailable } from './native-runner';
import type { BenchContext, Benchmark, Figures } from './types';

type Preparation = {
  key: string;
  description: string;
  /** The file to prepare: one of the shared inputs, or one this benchmark makes (kept in the cache). */
  input: (inputs: MediaInputs, context: BenchContext) => string | Promise<string>;
  extension: string;
  viaEngine: (engine: MediaEngine, input: string, output: string) => Promise<PreparedFile>;
  viaRunner: (job: JobContext, input: string, output: string) => Promise<PreparedFile>;
  /** Run a second time on the same worker (the code is then fully optimised); skipped for slow ones. */
  repeat: boolean;
  /** Whether the picture is re-encoded (on the encode runner, at encodeWorkerNice). */
  reencodes: boolean;
  targets: (figures: { ratio: number | null; wasmMs: number; maxLoopDelayMs: number }) => Figures;
};

const loopDelayTargetMs = 30;

/**
 * The second job that runs beside a measured preparation: what checking a 300 s voice take from its
 * file costs the main process (probe, decode on the quick lane, the streamed analysis), started 1 s
 * into the preparation, so the loop delay is measured with two jobs and their results moving.
 */
async function secondJob(engine: MediaEngine, voice: string, scratchDir: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const started = performance.now();
  await engine.analyseVoice(voice, { scratchDir });
  return Math.round(performance.now() - started);
}

function preparationBenchmark(spec: Preparation): Benchmark {
  return {
    key: spec.key,
    description: spec.description,
    async run(context: BenchContext): Promise<Figures> {
      const inputs = await mediaInputs(context);
      const input = await spec.input(inputs, context);
      const output = (name: string) => path.join(context.workDir, `${spec.key}-${name}.${spec.extension}`);
      // The studio's own: the multi-threaded core re-encodes pictures where it can run.
      const runners = studioRunners(context.quiet);
      const engine = createMediaEngine({ log: context.quiet, runners });
      try {
        // As the studio does at start-up: the core is loaded before the first job.
        await engine.warm();
        const coreLoadMs = Math.max(...runners.prepare.loadTimes, ...runners.encode.loadTimes);
        // At the nice value of the worker the wasm run's main command runs on, so that both share the machine on the same terms.
        const native = nativeAvailable() ? new NativeRunner(spec.reencodes ? encodeWorkerNice : defaultWorkerNice) : null;
        // A native run meets the same second job as the wasm run it is compared with: both then
        // share the machine with the same work, and the ratio compares the engines alone.
        const runNative = async (name: string, beside: boolean): Promise<number | null> => {
          if (!native) return null;
          context.note(`${spec.key}: native ffmpeg${beside ? ' (and the same second job)' : ''}`);
          const started = performance.now();
          const preparing = spec.viaRunner({ runner: native, log: context.quiet }, input, output(name));
          await (beside ? Promise.all([preparing, secondJob(engine, inputs.voice300Webm, context.workDir)]) : preparing);
          return Math.round(performance.now() - started);
        };
        // Each wasm run is followed at once by its native twin, so that both meet the same load
        // on a shared machine; the ratios are taken pair by pair.
        // The second job runs beside the repeat where there is one, so the first run is measured
        // alone; beside the only run otherwise (and then beside its native twin too).
        const withSecondJob = async (name: string) => {
          const [prepared, secondJobMs] = await Promise.all([
            spec.viaEngine(engine, input, output(name)),
            secondJob(engine, inputs.voice300Webm, context.workDir),
          ]);
          secondJobMsSeen = secondJobMs;
          return prepared;
        };
        let secondJobMsSeen: number | null = null;
        context.note(`${spec.key}: ffmpeg.wasm${spec.repeat ? '' : ' (and a second job)'}`);
        const first = await measure(() => (spec.repeat ? spec.viaEngine(engine, input, output('wasm')) : withSecondJob('wasm')));
        const nativeMs = await runNative('native', !spec.repeat);
        let repeatMs: number | null = null;
        let nativeRepeatMs: number | null = null;
        let maxLoopDelayMs = first.maxLoopDelayMs;
        let p99LoopDelayMs = first.p99LoopDelayMs;
        let referenceMaxLoopDelayMs = first.referenceMaxLoopDelayMs;
        let referenceP99LoopDelayMs = first.referenceP99LoopDelayMs;
        let peakRssMb = first.peakRssMb;
        let loadAverage = first.loadAverage;
        if (spec.repeat) {
          context.note(`${spec.key}: ffmpeg.wasm again, and a second job`);
          const again = await measure(() => withSecondJob('wasm-again'));
          nativeRepeatMs = await runNative('native-again', true);
          repeatMs = again.ms;
          maxLoopDelayMs = Math.max(maxLoopDelayMs, again.maxLoopDelayMs);
          p99LoopDelayMs = Math.max(p99LoopDelayMs, again.p99LoopDelayMs);
          referenceMaxLoopDelayMs = Math.max(referenceMaxLoopDelayMs, again.referenceMaxLoopDelayMs);
          referenceP99LoopDelayMs = Math.max(referenceP99LoopDelayMs, again.referenceP99LoopDelayMs);
          loadAverage = Math.max(loadAverage, again.loadAverage);
          peakRssMb = Math.max(peakRssMb, again.peakRssMb);
        }
        const nativePeakRssMb = native ? round(native.peakRssKb / 1024) : null;
        const prepared = first.result;
        return {
          wasmMs: first.ms,
          nativeMs,
          ratio: ratio(first.ms, nativeMs),
          peakRssMb,
          maxLoopDelayMs,
          p99LoopDelayMs,
          referenceMaxLoopDelayMs,
          referenceP99LoopDelayMs,
          loadAverage,
          wasmRepeatMs: repeatMs,
          nativeRepeatMs,
          repeatRatio: repeatMs === null ? null : ratio(repeatMs, nativeRepeatMs),
          nativePeakRssMb,
          secondJobMs: secondJobMsSeen,
          coreLoadMs,
          inputMb: round(statSync(input).size / 2 ** 20, 2),
          outputMb: round(prepared.info.bytes / 2 ** 20, 2),
          outputSeconds: prepared.info.durationMs === null ? null : round(prepared.info.durationMs / 1000),
          summary: prepared.summary,
          ...spec.targets({ ratio: ratio(first.ms, nativeMs), wasmMs: first.ms, maxLoopDelayMs }),
        };
      } finally {
        await engine.close();
      }
    },
  };
}

export const voicePrepare300s = preparationBenchmark({
  key: 'voicePrepare300s',
  description: 'voice preparation of a 300 s Opus/WebM take to the default format (target: within 2× native)',
  input: (inputs) => inputs.voice300Webm,
  extension: 'mp3',
  viaEngine: (engine, input, output) => engine.prepareVoice(input, output, {}),
  viaRunner: (job, input, output) => prepareVoiceFile(job, input, output, {}),
  repeat: true,
  reencodes: false,
  targets: ({ ratio: measured, maxLoopDelayMs }) => ({
    targetRatio: 2,
    meetsTargets: measured !== null && measured <= 2 && maxLoopDelayMs < loopDelayTargetMs,
  }),
});

export const videoPrepare120sMp4 = preparationBenchmark({
  key: 'videoPrepare120sMp4',
  description: 'video preparation of a 120 s 1280×720 H.264/Opus MP4 take: remux, sound to AAC (target: within 5 s)',
  input: (inputs) => inputs.camera120Mp4,
  extension: 'mp4',
  viaEngine: (engine, input, output) => engine.prepareVideo(input, output, {}),
  viaRunner: (job, input, output) => prepareVideoFile(job, input, output, {}),
  repeat: true,
  reencodes: false,
  targets: ({ wasmMs, maxLoopDelayMs }) => ({ targetMs: 5000, meetsTargets: wasmMs <= 5000 && maxLoopDelayMs < loopDelayTargetMs }),
});

export const videoPrepare120sWebm = preparationBenchmark({
  key: 'videoPrepare120sWebm',
  description: 'video preparation of a 120 s 1280×720 VP8/Opus WebM take: picture re-encoded to H.264 on every core (target: within 3.5× native)',
  input: (inputs) => inputs.camera120Webm,
  extension: 'mp4',
  viaEngine: (engine, input, output) => engine.prepareVideo(input, output, {}),
  viaRunner: (job, input, output) => prepareVideoFile(job, input, output, {}),
  repeat: false,
  reencodes: true,
  targets: ({ ratio: measured, maxLoopDelayMs }) => ({
    targetRatio: 3.5,
    meetsTargets: measured !== null && measured <= 3.5 && maxLoopDelayMs < loopDelayTargetMs,
  }),
});

/**
 * A phone's portrait clip as phones write it: 60 s, shown 720×1280 but stored 1280×720 HEVC with a
 * 90° display matrix, long GOP (a key frame every 8 s), AAC speech; made by native ffmpeg (libx265).
 * 720p rather than a phone's 1080p or 4K so that the run fits a shared 2-core machine; the decode of
 * larger HEVC scales with its pixels.
 */
function phoneClip(context: BenchContext): string {
  const target = path.join(context.cacheDir, 'phone-portrait-60s-hevc-720p.mp4');
  if (existsSync(target)) return target;
  context.note('making phone-portrait-60s-hevc-720p.mp4 (native libx265)');
  const stored = path.join(context.workDir, 'phone-stored.mp4');
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=720x1280:rate=30', '-i', speechWav(300), '-t', '60'],
    ...['-map', '0:v', '-map', '1:a', '-vf', 'transpose=clock', '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'keyint=240:log-level=error'],
    ...['-tag:v', 'hvc1', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', stored],
  ]);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', stored, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', `${target}.partial.mp4`]);
  renameSync(`${target}.partial.mp4`, target);
  return target;
}

export const videoImportPhone60s = preparationBenchmark({
  key: 'videoImportPhone60s',
  description: 'video preparation of a 60 s portrait HEVC phone clip with rotation: upright H.264 720×1280 (target: ≤ 4× native ffmpeg)',
  input: (_inputs, context) => phoneClip(context),
  extension: 'mp4',
  viaEngine: (engine, input, output) => engine.prepareVideo(input, output, {}),
  viaRunner: (job, input, output) => prepareVideoFile(job, input, output, {}),
  repeat: false,
  reencodes: true,
  targets: ({ ratio: measured, maxLoopDelayMs }) => ({
    targetRatio: 4,
    meetsTargets: measured !== null && measured <= 4 && maxLoopDelayMs < loopDelayTargetMs,
  }),
});
