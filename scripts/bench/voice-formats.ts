/**
 * Evidence for the default voice format: each accepted format encoded by ffmpeg.wasm as the studio
 * would for the longest take (300 s, the tightest byte budget), plus the lossy codecs at 64 kbit/s
 * where their differences show: bytes per second, encode time, and log-spectral distance to the
 * source (lower is closer). Run on the first 60 s of the benchmark's speech take.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { voiceRules } from '../../shared/requirements';
import { type FFmpegRunner, WasmRunner } from '../../electron/services/media/runner';
import { planEncoding, voiceFormatProfiles } from '../../electron/services/media/voice-formats';
import { measure, round } from './measure';
import { mediaInputs } from './media-inputs';
import { logSpectralDistance } from './spectrum';
import type { BenchContext, Benchmark, Figures } from './types';

const seconds = 60;
/** espeak-ng speaks at 22.05 kHz: nothing above 11 kHz to compare. */
const compareUpToHz = 11_000;

/** The whole file as mono 48 kHz float samples: fine for the benchmark's 60 s, never for a take. */
async function decodeMono(runner: FFmpegRunner, file: string): Promise<Float32Array> {
  const result = await runner.run({
    program: 'ffmpeg',
    args: ['-loglevel', 'error', '-i', '/in/source', '-vn', '-ac', '1', '-ar', '48000', '-f', 'f32le', '-c:a', 'pcm_f32le', '/out/pcm'],
    inputs: [{ name: 'source', path: file }],
    outputs: [{ name: 'pcm', path: null }],
  });
  const bytes = result.data.pcm;
  if (result.exitCode !== 0 || !bytes) throw new Error(`decoding ${path.basename(file)}: ${result.log.slice(-2).join(' / ')}`);
  return new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
}

export const voiceFormats: Benchmark = {
  key: 'voiceFormats',
  description: 'voice formats compared: size, ffmpeg.wasm encode time and fidelity (log-spectral distance) at the 300 s budget',
  async run(context) {
    // The main process's loop is watched over every encode and decode, as for the preparations; the
    // fidelity is computed after that window, since an FFT over a minute of sound on this thread is
    // the benchmark's own work (it held the loop 1.9 s), not the studio's.
    const measured = await measure(() => compareFormats(context));
    const { figures, reference, decoded } = measured.result;
    for (const [label, signal] of decoded) figures[`${label}LsdDb`] = round(logSpectralDistance(reference, signal, 48000, compareUpToHz), 2);
    return {
      ...figures,
      maxLoopDelayMs: measured.maxLoopDelayMs,
      p99LoopDelayMs: measured.p99LoopDelayMs,
      referenceMaxLoopDelayMs: measured.referenceMaxLoopDelayMs,
      referenceP99LoopDelayMs: measured.referenceP99LoopDelayMs,
      loadAverage: measured.loadAverage,
    };
  },
};

/** Each variant's size, rate and encode time, and its decoded sound beside the reference's for the fidelity. */
async function compareFormats(context: BenchContext): Promise<{ figures: Figures; reference: Float32Array; decoded: Map<string, Float32Array> }> {
  {
    const source = (await mediaInputs(context)).voice300Webm;
    const runner = new WasmRunner(context.quiet);
    try {
      await runner.warm();
      const referencePath = path.join(context.workDir, 'reference.wav');
      await runner.run({
        program: 'ffmpeg',
        args: ['-loglevel', 'error', '-i', '/in/source', '-t', String(seconds), '-ac', '1', '-ar', '48000', '-c:a', 'pcm_s16le', '-f', 'wav', '/out/ref'],
        inputs: [{ name: 'source', path: source }],
        outputs: [{ name: 'ref', path: referencePath }],
      });
      const reference = await decodeMono(runner, referencePath);
      const figures: Figures = {};
      const decodedVariants = new Map<string, Float32Array>();
      const variants = [
        ...voiceRules.formats.map((format) => ({ label: format, format, args: planEncoding(format, voiceRules.maxSeconds * 1000) })),
        ...(['mp3', 'm4a', 'ogg'] as const).map((format) => ({
          label: `${format}64k`,
          format,
          args: {
            ...planEncoding(format, voiceRules.maxSeconds * 1000),
            codecArgs: ['-c:a', voiceFormatProfiles[format].codec, '-b:a', '64000', ...(format === 'ogg' ? ['-vbr', 'constrained'] : [])],
          },
        })),
      ];
      for (const variant of variants) {
        const profile = voiceFormatProfiles[variant.format];
        const target = path.join(context.workDir, `${variant.label}.${profile.extension}`);
        context.note(`voiceFormats: ${variant.label}`);
        const started = performance.now();
        const result = await runner.run({
          program: 'ffmpeg',
          args: ['-loglevel', 'error', '-i', '/in/ref', '-ar', String(variant.args.sampleRate), ...variant.args.codecArgs, '-f', profile.muxer, '/out/enc'],
          inputs: [{ name: 'ref', path: referencePath }],
          outputs: [{ name: 'enc', path: target }],
        });
        if (result.exitCode !== 0) throw new Error(`${variant.label}: ${result.log.slice(-2).join(' / ')}`);
        const encodeMs = Math.round(performance.now() - started);
        const decoded = await decodeMono(runner, target);
        const bytes = statSync(target).size;
        figures[`${variant.label}Kbps`] = round((bytes * 8) / seconds / 1000);
        figures[`${variant.label}SampleRate`] = variant.args.sampleRate;
        figures[`${variant.label}EncodeMs`] = encodeMs;
        decodedVariants.set(variant.label, decoded);
      }
      return { figures, reference, decoded: decodedVariants };
    } finally {
      await runner.close();
    }
  }
}
