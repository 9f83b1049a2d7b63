/**
 * A track's sound measured as a stream, on whichever thread runs it: its analysis (VoiceAnalyser),
 * its peaks for the review's waveform, and for two channels the mix that keeps the voice
 * (chooseMix). The media engine measures a decoded scratch file with it on a worker thread
 * (measure-worker.ts, started by voice-source.ts); a recording is measured with it as it arrives
 * (takes/live-voice-worker.ts). No engine state here: both workers import it alone.
 */
import { promises as fs } from 'node:fs';
import { type AudioAnalysis, Biquad, type ChannelPowers, VoiceAnalyser, chooseMix, mixSample } from '../../../shared/audio-analysis';
import type { VoiceMix } from '../../../shared/media';
import { voiceSource as sourceRules } from '../../../shared/requirements';

/** Review waveforms: a hundred peaks a second, as the live one. */
export const peaksPerSecond = 100;

/** Bytes read from a scratch file at a time (a quarter second of 48 kHz stereo float and some). */
const readBytes = 1 << 20;

/** Sample frames `first` up to `end` (null: to the end of the file). */
export type FrameRange = { first: number; end: number | null };

/** Reads a scratch file of interleaved float32 frames in pieces, handing whole frames to `each`. */
async function readFrames(file: string, channels: number, range: FrameRange, each: (samples: Float32Array) => void): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const frameBytes = 4 * channels;
    const chunk = new Uint8Array(readBytes - (readBytes % frameBytes));
    let position = range.first * frameBytes;
    const end = range.end === null ? Infinity : range.end * frameBytes;
    for (;;) {
      let filled = 0;
      const wanted = Math.min(chunk.length, end - position);
      while (filled < wanted) {
        const { bytesRead } = await handle.read(chunk, filled, wanted - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      const whole = filled - (filled % frameBytes);
      if (whole > 0) each(new Float32Array(chunk.buffer, 0, whole / 4));
      position += filled;
      if (filled < wanted || position >= end) return;
    }
  } finally {
    await handle.close();
  }
}

/** Peaks of a stream, one per slice of samples, grown as it comes. */
export class PeakList {
  private values = new Uint8Array(4096);
  private length = 0;
  private peak = 0;
  private fill = 0;

  constructor(private readonly slice: number) {}

  push(samples: Float32Array): void {
    for (let index = 0; index < samples.length; index++) {
      const value = Math.abs(samples[index]!);
      if (value > this.peak) this.peak = value;
      if (++this.fill === this.slice) this.close();
    }
  }

  finish(): Uint8Array<ArrayBuffer> {
    if (this.fill > 0) this.close();
    return this.values.slice(0, this.length);
  }

  private close(): void {
    if (this.length === this.values.length) {
      const grown = new Uint8Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = Math.min(255, Math.round(this.peak * 255));
    this.peak = 0;
    this.fill = 0;
  }
}

/** The DC-free power of each channel of a stereo stream, their sum and their difference: what `chooseMix` decides on. */
export class ChannelPowerMeter {
  private readonly filters: [Biquad, Biquad];
  private readonly sums: ChannelPowers = { left: 0, right: 0, sum: 0, difference: 0 };
  private frames = 0;

  constructor(rate: number) {
    this.filters = [Biquad.highpass(rate, sourceRules.dcHighpassHz), Biquad.highpass(rate, sourceRules.dcHighpassHz)];
  }

  /** Interleaved left/right float samples. */
  push(samples: Float32Array): void {
    const [leftFilter, rightFilter] = this.filters;
    for (let index = 0; index + 1 < samples.length; index += 2) {
      const left = leftFilter.process(samples[index]!);
      const right = rightFilter.process(samples[index + 1]!);
      this.sums.left += left * left;
      this.sums.right += right * right;
      this.sums.sum += 0.25 * (left + right) ** 2;
      this.sums.difference += 0.25 * (left - right) ** 2;
    }
    this.frames += Math.floor(samples.length / 2);
  }

  /** Mean squares over everything pushed. */
  powers(): ChannelPowers {
    const count = Math.max(1, this.frames);
    return { left: this.sums.left / count, right: this.sums.right / count, sum: this.sums.sum / count, difference: this.sums.difference / count };
  }
}

const stereoMixes: readonly VoiceMix[] = ['average', 'left', 'right', 'difference'];

/** What a track's sound measured: the analysis of the mix used, why that mix, and its peaks. */
export type TrackMeasurement = { analysis: AudioAnalysis; mix: VoiceMix; mixReason: string | null; peaks: Uint8Array<ArrayBuffer>; frames: number };

/**
 * One track's sound measured as it streams by (interleaved float frames of one or two channels):
 * the analysis (`VoiceAnalyser`) and peaks of its mix. With the mix given, or one channel, that is
 * one analysis; a stereo track whose mix is still open is analysed in every mix at once beside the
 * channel powers, and `chooseMix` picks one at the end, so a stream read once (a recording as it
 * arrives) gets the same answer as a file read twice (powers first, then the chosen mix).
 */
export class TrackMeasure {
  private readonly powers: ChannelPowerMeter | null;
  private readonly candidates: { mix: VoiceMix; analyser: VoiceAnalyser; peaks: PeakList }[];
  private mono = new Float32Array(0);
  private frames = 0;

  constructor(
    readonly rate: number,
    readonly channels: 1 | 2,
    options: { lossy: boolean; mix: VoiceMix | null },
  ) {
    const mixes = channels === 1 ? ['mono' as const] : options.mix ? [options.mix] : stereoMixes;
    this.powers = channels === 2 && !options.mix ? new ChannelPowerMeter(rate) : null;
    const slice = Math.max(1, Math.round(rate / peaksPerSecond));
    this.candidates = mixes.map((mix) => {
      const peaks = new PeakList(slice);
      // Drawn from what the analyser measured (DC removed), not from the samples as they came.
      return { mix, analyser: new VoiceAnalyser(rate, { lossy: options.lossy, onMeasured: (samples) => peaks.push(samples) }), peaks };
    });
  }

  push(samples: Float32Array): void {
    const count = Math.floor(samples.length / this.channels);
    this.frames += count;
    if (this.channels === 1) {
      for (const candidate of this.candidates) candidate.analyser.push(samples);
      return;
    }
    this.powers?.push(samples);
    if (this.mono.length < count) this.mono = new Float32Array(count);
    const mono = this.mono.subarray(0, count);
    for (const candidate of this.candidates) {
      for (let frame = 0; frame < count; frame++) mono[frame] = mixSample(candidate.mix, samples[frame * 2]!, samples[frame * 2 + 1]!);
      candidate.analyser.push(mono);
    }
  }

  finish(): TrackMeasurement {
    const chosen = this.powers ? chooseMix(this.powers.powers()) : null;
    const candidate = this.candidates.find((item) => item.mix === chosen?.mix) ?? this.candidates[0]!;
    return {
      analysis: candidate.analyser.finish(),
      mix: candidate.mix,
      mixReason: chosen?.reason ?? null,
      peaks: candidate.peaks.finish(),
      frames: this.frames,
    };
  }
}

export type ScratchMeasureRequest = {
  /** Interleaved float32 frames on disk. */
  scratch: string;
  channels: 1 | 2;
  rate: number;
  frames: FrameRange;
  /** The mix to measure, or null for a stereo track to choose its own (channel powers first). */
  mix: VoiceMix | null;
  lossy: boolean;
};

/**
 * Measures a scratch file of decoded sound: for a stereo track without a mix, the channel powers
 * are read first and `chooseMix` picks the mix, then that mix is analysed (a file is read twice
 * rather than analysed in every mix at once).
 */
export async function measureScratch(request: ScratchMeasureRequest): Promise<TrackMeasurement> {
  const { scratch, channels, rate, frames } = request;
  let mix = request.mix;
  let mixReason: string | null = null;
  if (channels === 2 && mix === null) {
    const meter = new ChannelPowerMeter(rate);
    await readFrames(scratch, 2, frames, (samples) => meter.push(samples));
    const chosen = chooseMix(meter.powers());
    mix = chosen.mix;
    mixReason = chosen.reason;
  }
  const measure = new TrackMeasure(rate, channels, { lossy: request.lossy, mix: channels === 2 ? (mix ?? 'average') : null });
  await readFrames(scratch, channels, frames, (samples) => measure.push(samples));
  return { ...measure.finish(), mixReason };
}

/** The measuring thread's one answer. */
export type ScratchMeasureReply = { measurement: TrackMeasurement } | { error: string };
