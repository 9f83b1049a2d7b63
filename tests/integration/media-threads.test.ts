// Re-encoding on the multi-threaded ffmpeg.wasm core: its output read back by native ffprobe and
// ffmpeg, and the threads it starts counted in /proc (Linux) before, during and after a cancel.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/errors';
import { type EngineProgress, type MediaEngine, createMediaEngine } from '../../electron/services/media/engine';
import { WasmRunner, engineFailure, multiThreadCore } from '../../electron/services/media/runner';
import { threadsPerEncode } from '../../electron/services/media/pthreads';
import { createLogger } from '../../electron/services/log';
import { inCi, missingPrerequisite } from '../support/prerequisites';

const skip = missingPrerequisite(['ffmpeg', 'ffprobe'], 'the multi-threaded media engine tests');
const quiet = createLogger('media-threads-test', () => undefined);
const hasProc = process.platform === 'linux';

/** Threads of this process right now (Linux: one entry per thread in /proc/self/task). */
const threadCount = () => readdirSync('/proc/self/task').length;

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A VP8 + Opus WebM as the recorder streams it (no duration in the header), made by native ffmpeg. */
async function vp8Take(target: string, seconds: number, size: string): Promise<void> {
  // Asynchronous: making the longer one takes a while on a busy machine, and the test runner's own
  // messages must not wait for it.
  await promisify(execFile)('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=30`,
    '-f',
    'lavfi',
    '-i',
    'sine=f=220:sample_rate=48000',
    '-t',
    String(seconds),
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '1500k',
    '-c:a',
    'libopus',
    '-live',
    '1',
    '-f',
    'webm',
    target,
  ]);
}

describe.skipIf(skip !== null)('media engine: re-encoding on the multi-threaded core', () => {
  let dir = '';
  const file = (name: string) => path.join(dir, name);
  const events: EngineProgress[] = [];
  let baselineThreads = 0;
  let engine: MediaEngine | null = null;
  /** A fresh engine per test, so one test's pooled threads do not blur the next one's counts. */
  const freshEngine = () => (engine = createMediaEngine({ log: quiet, onProgress: (progress) => events.push(progress) }));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'media-threads-'));
    mkdirSync(file('out'));
    await Promise.all([vp8Take(file('short.webm'), 4, '640x360'), vp8Take(file('long.webm'), 30, '640x360')]);
    // Node starts its file-system thread pool on first use: start it before counting.
    await readFile(file('short.webm'));
    baselineThreads = hasProc ? threadCount() : 0;
  }, 300_000);

  afterEach(async () => {
    await engine?.close();
    engine = null;
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs where the studio runs: this machine has threads and shared wasm memory', () => {
    // The single-thread fallback is for runtimes without them; CI machines have both.
    const multi = multiThreadCore();
    if (inCi || multi) expect(multi?.threads).toBeGreaterThanOrEqual(2);
  });

  it('re-encodes a VP8 take to H.264 MP4 that native ffprobe and ffmpeg read, with the take’s duration', async () => {
    const engine = freshEngine();
    const unloaded = hasProc ? threadCount() : 0;
    await engine.warm();
    let peakThreads = 0;
    const sampler = hasProc ? setInterval(() => (peakThreads = Math.max(peakThreads, threadCount())), 20) : null;
    const before = hasProc ? threadCount() : 0;
    let prepared;
    try {
      prepared = await engine.prepareVideo(file('short.webm'), file('out/short.mp4'), {});
    } finally {
      if (sampler) clearInterval(sampler);
    }
    expect(prepared.summary).toMatch(/re-encoded.*vp8/);
    const probed = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-count_frames', file('out/short.mp4')], {
        encoding: 'utf8',
      }),
    ) as { format: { format_name: string; duration: string }; streams: { codec_name: string; codec_type: string; nb_read_frames?: string; width?: number }[] };
    expect(probed.format.format_name).toContain('mp4');
    expect(Number(probed.format.duration)).toBeGreaterThan(3.9);
    expect(Number(probed.format.duration)).toBeLessThan(4.1);
    const video = probed.streams.find((stream) => stream.codec_type === 'video');
    expect(video).toMatchObject({ codec_name: 'h264', width: 640 });
    // Every one of the 4 s × 30 frames decodes, and the decoder finds nothing to complain about.
    expect(Number(video?.nb_read_frames)).toBe(120);
    const decoded = spawnSync('ffmpeg', ['-v', 'error', '-i', file('out/short.mp4'), '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decoded.status).toBe(0);
    expect(decoded.stderr.trim()).toBe('');
    // The encode's pthreads were started with its worker, before the command (pthreads.ts): more
    // threads than the engine's three workers, and none started beside the running encode.
    const multi = multiThreadCore();
    // (Counted at 2, 3, 4 and 8 cores; past 8 a re-encode needs more than Emscripten's pool of 32.)
    if (hasProc && multi && threadsPerEncode(multi.threads ?? 1) <= 32) {
      expect(before - unloaded).toBeGreaterThanOrEqual(3 + threadsPerEncode(multi.threads ?? 1));
      expect(peakThreads).toBe(before);
    }
  }, 180_000);

  it.skipIf(!hasProc)(
    'cancelling a re-encode leaves no thread behind, and the engine carries on',
    async () => {
      const engine = freshEngine();
      const unloaded = threadCount();
      await engine.warm();
      const idleThreads = threadCount();
      const outDir = file('cancelled');
      mkdirSync(outDir);
      const running = engine.prepareVideo(file('long.webm'), path.join(outDir, 'long.mp4'), { jobId: 'j_threads' });
      const settled = running.then(
        () => null,
        (error: unknown) => error,
      );
      // Cancel once the encode is under way on its threads.
      await until(() => events.some((event) => event.jobId === 'j_threads' && (event.ratio ?? 0) > 0.05), 120_000, 'the encode to start');
      // The encoding worker holds its pthreads from the start (pthreads.ts).
      if (multiThreadCore()) expect(idleThreads - unloaded).toBeGreaterThan(3 + 1);
      expect(engine.cancel('j_threads')).toBe(true);
      const error = await settled;
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).code).toBe('CANCELLED');
      expect(readdirSync(outDir)).toEqual([]);
      // The encoding worker and every pthread it started are gone (the idle count had that worker too).
      await until(() => threadCount() < idleThreads, 5000, 'the threads to end');
      expect(threadCount()).toBeLessThan(idleThreads);

      const again = await engine.prepareVideo(file('short.webm'), path.join(outDir, 'again.mp4'), {});
      expect(again.info.video?.codec).toBe('h264');
      await engine.close();
      // Closed, the engine leaves the process with the threads it had before there was an engine.
      await until(() => threadCount() <= baselineThreads, 5000, 'the engine’s threads to end');
      expect(threadCount()).toBeLessThanOrEqual(baselineThreads);
    },
    240_000,
  );

  it('fails a command still waiting for its worker to load when the runner is closed, instead of leaving it waiting', async () => {
    const multi = multiThreadCore();
    if (!multi) return expect(inCi).toBe(false);
    const runner = new WasmRunner(quiet, { core: multi });
    const running = runner.run({ program: 'ffmpeg', args: ['-version'], inputs: [] }).then(
      () => null,
      (error: unknown) => error,
    );
    // The multi-threaded core loads for a second or more (its pthreads start ahead): close meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runner.loadTimes).toEqual([]);
    await runner.close();
    const error = await running;
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('CANCELLED');
  }, 30_000);

  it('says in plain words when the engine itself fails, and keeps the engine’s own message for the log', async () => {
    const multi = multiThreadCore();
    if (!multi) return expect(inCi).toBe(false);
    // x264 `veryfast` on the multi-threaded core ends the wasm run with Emscripten's `unwind`, which
    // the core's own error handling turns into a TypeError: a real failure inside the engine.
    const lines: string[] = [];
    const log = createLogger('media-threads-test', (line) => lines.push(line));
    const runner = new WasmRunner(log, { core: multi });
    try {
      const error = await runner
        .run({
          program: 'ffmpeg',
          args: ['-hide_banner', '-loglevel', 'error', '-i', '/in/input', '-map', '0:v', '-c:v', 'libx264', '-preset', 'veryfast', '-f', 'mp4', '/out/made'],
          inputs: [{ name: 'input', path: file('short.webm') }],
          outputs: [{ name: 'made', path: file('out/veryfast.mp4') }],
        })
        .then(
          () => null,
          (failure: unknown) => failure,
        );
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).message).toBe(engineFailure);
      expect(lines.join('\n')).toMatch(/the media engine failed.*startsWith/);
      // The next command runs as usual.
      const probe = await runner.run({
        program: 'ffprobe',
        args: ['-v', 'error', '-show_format', '/in/input'],
        inputs: [{ name: 'input', path: file('short.webm') }],
      });
      expect(probe.stdout).toMatch(/format_name=matroska,webm/);
    } finally {
      await runner.close();
    }
  }, 120_000);
});
