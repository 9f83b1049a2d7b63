/**
 * The benchmark's inputs, made here rather than committed: a 300 s speech take as Chromium records
 * it (Opus in WebM, streamed, so without duration or cues) and a 120 s 1280×720 camera take in each
 * container the recorder produces (H.264 + Opus in MP4, VP8 + Opus in WebM). Kept in the cache.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { speechWav } from '../../tests/support/media-fixtures';
import { WasmRunner, type FFmpegRunner } from '../../electron/services/media/runner';
import type { BenchContext } from './types';
import { NativeRunner, nativeAvailable } from './native-runner';

export type MediaInputs = { voice300Webm: string; camera120Mp4: string; camera120Webm: string };

const camera = ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30'];
const opus = ['-c:a', 'libopus', '-b:a', '64k', '-ac', '1'];

async function make(runner: FFmpegRunner, target: string, args: string[], speech: string, note: (message: string) => void) {
  if (existsSync(target)) return;
  note(`making ${path.basename(target)}`);
  const partial = `${target}.partial`;
  const result = await runner.run({
    program: 'ffmpeg',
    args: ['-hide_banner', '-loglevel', 'error', ...args, '/out/made'],
    inputs: [{ name: 'speech', path: speech }],
    outputs: [{ name: 'made', path: partial }],
  });
  if (result.exitCode !== 0) throw new Error(`could not make ${target}: ${result.log.slice(-3).join(' / ')}`);
  renameSync(partial, target);
  rmSync(partial, { force: true });
}

/** Made with native ffmpeg when it is installed (faster), else with ffmpeg.wasm itself. */
export async function mediaInputs(context: BenchContext): Promise<MediaInputs> {
  const speech = speechWav(300);
  const inputs: MediaInputs = {
    voice300Webm: path.join(context.cacheDir, 'voice-300s.webm'),
    camera120Mp4: path.join(context.cacheDir, 'camera-120s-720p.mp4'),
    camera120Webm: path.join(context.cacheDir, 'camera-120s-720p.webm'),
  };
  const wasm = nativeAvailable() ? null : new WasmRunner(context.quiet);
  const runner = wasm ?? new NativeRunner();
  try {
    // `-live 1` and no cues: the way MediaRecorder streams a WebM (no duration in the header).
    await make(runner, inputs.voice300Webm, ['-i', '/in/speech', ...opus, '-live', '1', '-cues_to_front', '0', '-f', 'webm'], speech, context.note);
    await make(
      runner,
      inputs.camera120Mp4,
      [
        ...camera,
        '-i',
        '/in/speech',
        '-t',
        '120',
        '-map',
        '0:v',
        '-map',
        '1:a',
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-profile:v',
        'baseline',
        '-pix_fmt',
        'yuv420p',
        '-g',
        '300',
        '-b:v',
        '2500k',
        ...opus,
        '-f',
        'mp4',
      ],
      speech,
      context.note,
    );
    await make(
      runner,
      inputs.camera120Webm,
      [
        ...camera,
        '-i',
        '/in/speech',
        '-t',
        '120',
        '-map',
        '0:v',
        '-map',
        '1:a',
        '-c:v',
        'libvpx',
        '-deadline',
        'realtime',
        '-cpu-used',
        '8',
        '-b:v',
        '2500k',
        ...opus,
        '-live',
        '1',
        '-f',
        'webm',
      ],
      speech,
      context.note,
    );
  } finally {
    await wasm?.close();
  }
  return inputs;
}
