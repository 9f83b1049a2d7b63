/**
 * The same ffmpeg commands the media engine gives ffmpeg.wasm, run by the native ffmpeg instead:
 * the benchmark's yardstick. /in/<name> and /out/<name> arguments become real paths.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FFmpegRunner, RunControl, RunResult, RunSpec } from '../../electron/services/media/runner';
import { parseMomentary, statsTimeMs } from '../../electron/services/media/ffmpeg-log';
import { defaultWorkerNice } from '../../electron/services/thread-priority';

export const nativeFfmpeg = '/usr/bin/ffmpeg';

export function nativeAvailable(): boolean {
  return spawnSync(nativeFfmpeg, ['-version'], { stdio: 'ignore' }).status === 0;
}

export class NativeRunner implements FFmpegRunner {
  /** Peak resident memory of the native processes (kB, from the kernel's rusage). */
  peakRssKb = 0;

  constructor(private readonly nice = defaultWorkerNice) {}

  async run(spec: RunSpec, control: RunControl = {}): Promise<RunResult> {
    // Inputs are linked under their bare names so the native demuxers, like the wasm ones, see no extension.
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-native-'));
    try {
      const map = new Map<string, string>();
      for (const input of spec.inputs) {
        const link = path.join(dir, `in-${input.name}`);
        symlinkSync(path.resolve(input.path), link);
        map.set(`/in/${input.name}`, link);
      }
      for (const output of spec.outputs ?? []) map.set(`/out/${output.name}`, output.path ?? path.join(dir, `out-${output.name}`));
      const args = spec.args.map((arg) => map.get(arg) ?? arg);
      const program = spec.program === 'ffmpeg' ? nativeFfmpeg : '/usr/bin/ffprobe';
      const fullArgs = spec.program === 'ffmpeg' ? ['-nostdin', '-y', ...args] : args;
      const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
        // At the media worker's nice value, so that on a busy machine both run under the same terms.
        const command = ['/usr/bin/time', '-f', '__maxrss=%M', program, ...fullArgs];
        const child = spawn('nice', ['-n', String(this.nice), ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          err += chunk;
          const time = statsTimeMs(chunk);
          if (time !== null) control.onTime?.(time);
        });
        control.signal?.addEventListener('abort', () => child.kill('SIGKILL'), { once: true });
        child.on('error', reject);
        child.on('close', (status) => resolve({ code: status ?? 1, stdout: out, stderr: err }));
      });
      const rss = /__maxrss=(\d+)/.exec(stderr);
      if (rss) this.peakRssKb = Math.max(this.peakRssKb, Number(rss[1]));
      const log = stderr.split(/\r?\n|\r/).filter((line) => !line.startsWith('__maxrss=') && !line.startsWith('Command exited'));
      const data: Record<string, Uint8Array> = {};
      for (const output of spec.outputs ?? []) {
        if (output.path === null && code === 0) data[output.name] = new Uint8Array(readFileSync(path.join(dir, `out-${output.name}`)));
      }
      const momentary = spec.keepLog === 'momentary' ? { momentary: parseMomentary(log) } : {};
      return { exitCode: code, stdout, log: log.slice(-60), data, heapBytes: 0, ...momentary };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
