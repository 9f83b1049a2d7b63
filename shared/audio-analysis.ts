/**
 * The voice quality checks as pure functions over mono Float32 PCM: the renderer's live meter uses
 * the block functions on what the microphone delivers, the main process runs the whole analysis on
 * the decoded take. Every threshold comes from `audioQuality` in the requirement table.
 */
import type { CheckResult } from './drafts';
import { audioQuality, voiceRules, voiceSource } from './requirements';
import { formatKhz } from './format';

/** Levels are floored here instead of -Infinity, so they stay plain JSON numbers. */
export const minDbfs = -120;

export function amplitudeToDbfs(amplitude: number): number {
  return amplitude > 0 ? Math.max(minDbfs, 20 * Math.log10(amplitude)) : minDbfs;
}

export function meanSquareToDbfs(meanSquare: number): number {
  return meanSquare > 0 ? Math.max(minDbfs, 10 * Math.log10(meanSquare)) : minDbfs;
}

export function dbfsToAmplitude(dbfs: number): number {
  return 10 ** (dbfs / 20);
}

/** What a stretch of samples holds: enough to combine stretches into a meter reading or a frame level. */
export type BlockStats = { peak: number; sumSquares: number; count: number; clipped: number };

export function blockStats(samples: Float32Array, start = 0, end = samples.length): BlockStats {
  const clipLevel = audioQuality.clipLevel;
  let peak = 0;
  let sumSquares = 0;
  let clipped = 0;
  for (let index = start; index < end; index++) {
    const value = samples[index]!;
    const magnitude = value < 0 ? -value : value;
    if (magnitude > peak) peak = magnitude;
    if (magnitude >= clipLevel) clipped++;
    sumSquares += value * value;
  }
  return { peak, sumSquares, count: Math.max(0, end - start), clipped };
}

export function mergeStats(a: BlockStats, b: BlockStats): BlockStats {
  return {
    peak: Math.max(a.peak, b.peak),
    sumSquares: a.sumSquares + b.sumSquares,
    count: a.count + b.count,
    clipped: a.clipped + b.clipped,
  };
}

export function statsRmsDbfs(stats: BlockStats): number {
  return stats.count > 0 ? meanSquareToDbfs(stats.sumSquares / stats.count) : minDbfs;
}

/** RMS level of consecutive frames of `frameMs`, in dBFS; the last partial frame counts if at least half full. */
export function frameLevels(samples: Float32Array, sampleRate: number, frameMs: number = audioQuality.frameMs): Float32Array {
  const frameLength = Math.max(1, Math.round((sampleRate * frameMs) / 1000));
  const whole = Math.floor(samples.length / frameLength);
  const rest = samples.length - whole * frameLength;
  const count = whole + (rest >= frameLength / 2 ? 1 : 0);
  const levels = new Float32Array(count);
  for (let frame = 0; frame < count; frame++) {
    const start = frame * frameLength;
    const end = Math.min(samples.length, start + frameLength);
    let sum = 0;
    for (let index = start; index < end; index++) sum += samples[index]! * samples[index]!;
    levels[frame] = meanSquareToDbfs(sum / (end - start));
  }
  return levels;
}

/**
 * Windowed-sinc 4x interpolation between samples, as BS.1770 suggests for a true-peak estimate.
 * Only stretches near the sample peak are oversampled: an inter-sample peak cannot rise more than a
 * few dB above its neighbours, so quieter stretches cannot hold the maximum.
 */
const oversample = 4;
const halfTaps = 6;
const phaseKernels: Float64Array[] = Array.from({ length: oversample - 1 }, (_unused, phaseIndex) => {
  const fraction = (phaseIndex + 1) / oversample;
  const kernel = new Float64Array(halfTaps * 2);
  for (let tap = 0; tap < halfTaps * 2; tap++) {
    const x = tap - (halfTaps - 1) - fraction;
    const sinc = Math.abs(x) < 1e-9 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / halfTaps);
    kernel[tap] = sinc * window;
  }
  return kernel;
});

export function truePeak(samples: Float32Array): number {
  let samplePeak = 0;
  for (let index = 0; index < samples.length; index++) {
    const magnitude = Math.abs(samples[index]!);
    if (magnitude > samplePeak) samplePeak = magnitude;
  }
  if (samplePeak === 0) return 0;
  // 6 dB of headroom covers any realistic inter-sample overshoot of band-limited audio.
  const near = samplePeak / 2;
  let peak = samplePeak;
  for (let index = halfTaps - 1; index < samples.length - halfTaps; index++) {
    if (Math.abs(samples[index]!) < near && Math.abs(samples[index + 1]!) < near) continue;
    for (const kernel of phaseKernels) {
      let value = 0;
      const base = index - (halfTaps - 1);
      for (let tap = 0; tap < kernel.length; tap++) value += kernel[tap]! * samples[base + tap]!;
      const magnitude = Math.abs(value);
      if (magnitude > peak) peak = magnitude;
    }
  }
  return peak;
}

export type AudioAnalysis = {
  durationMs: number;
  /**
   * Share of samples that are really flattened: in runs of equal samples at the take's own peak
   * (and, for a lossy source, at or beyond audioQuality.clipLevel of full scale, where the codec
   * has turned a flat top into ripples).
   */
  clippedShare: number;
  /** RMS over the frames that are not pauses: the level of the speech itself. */
  speechRmsDbfs: number;
  overallRmsDbfs: number;
  samplePeakDbfs: number;
  truePeakDbfs: number;
  /** Mean level of the quietest frames: the room and the microphone when nobody speaks. */
  noiseFloorDbfs: number;
  /**
   * Share of the time between the first and the last word that is pause, and the longest pause
   * there: silence before the first word and after the last is the edges' (leading/trailing), which
   * preparation removes, and is not counted twice. 1 and the whole length when nothing is speech.
   */
  silenceShare: number;
  longestSilenceMs: number;
  leadingSilenceMs: number;
  trailingSilenceMs: number;
  /** All the pause in the take, edges included, ms: what the noise floor is measured from. */
  pauseMs?: number;
  /** The sample rate analysed, Hz. */
  sampleRate?: number;
  /** Energy above voiceSource.narrowband.highBandHz against all of it (long-term spectrum), dB; null when the rate cannot hold that band. */
  highBandShareDb?: number | null;
  /** Share (0–1) of the energy inside voiceSource.speechBandHz (long-term spectrum). */
  speechBandShare?: number;
  /** How far the loud frames stand above the median frame, dB: syllables and pauses spread widely, music little. */
  levelSpreadDb?: number;
};

function percentile(sorted: Float32Array, share: number): number {
  if (sorted.length === 0) return minDbfs;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.floor(share * (sorted.length - 1))));
  return sorted[index]!;
}

/** Which frames are pauses: far below the take's loud frames, or quiet in absolute terms. */
export function pauseThresholdDbfs(sortedLevels: Float32Array): number {
  const loud = percentile(sortedLevels, audioQuality.speechPercentile);
  return Math.max(loud - audioQuality.pauseBelowSpeechDb, audioQuality.pauseFloorDbfs);
}

/**
 * A 2-pole IIR filter (RBJ audio-EQ cookbook), the same design as ffmpeg's `highpass`/`lowpass`
 * filters with their default Q of 1/√2 (Butterworth). State carries across calls, so a stream can
 * be filtered in pieces.
 */
export class Biquad {
  private x1 = 0;
  private x2 = 0;
  private y1 = 0;
  private y2 = 0;

  private constructor(
    private readonly b0: number,
    private readonly b1: number,
    private readonly b2: number,
    private readonly a1: number,
    private readonly a2: number,
  ) {}

  static highpass(sampleRate: number, hz: number, q = Math.SQRT1_2): Biquad {
    const w = (2 * Math.PI * hz) / sampleRate;
    const alpha = Math.sin(w) / (2 * q);
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    return new Biquad((1 + cos) / 2 / a0, -(1 + cos) / a0, (1 + cos) / 2 / a0, (-2 * cos) / a0, (1 - alpha) / a0);
  }

  static lowpass(sampleRate: number, hz: number, q = Math.SQRT1_2): Biquad {
    const w = (2 * Math.PI * hz) / sampleRate;
    const alpha = Math.sin(w) / (2 * q);
    const cos = Math.cos(w);
    const a0 = 1 + alpha;
    return new Biquad((1 - cos) / 2 / a0, (1 - cos) / a0, (1 - cos) / 2 / a0, (-2 * cos) / a0, (1 - alpha) / a0);
  }

  process(x: number): number {
    const y = this.b0 * x + this.b1 * this.x1 + this.b2 * this.x2 - this.a1 * this.y1 - this.a2 * this.y2;
    this.x2 = this.x1;
    this.x1 = x;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

/**
 * The long-term power spectrum of a stream: Hann-windowed blocks of `size` samples through a
 * radix-2 FFT, their power summed per bin. Its side lobes fall far faster than any IIR band split,
 * so a phone band cut at 3.4 kHz reads as empty above 4 kHz instead of leaking into it.
 */
export class PowerSpectrum {
  readonly power: Float64Array;
  private readonly window: Float64Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly real: Float64Array;
  private readonly imag: Float64Array;
  private readonly block: Float64Array;
  private fill = 0;

  constructor(
    readonly sampleRate: number,
    readonly size = 1024,
  ) {
    this.power = new Float64Array(size / 2 + 1);
    this.window = Float64Array.from({ length: size }, (_unused, index) => 0.5 - 0.5 * Math.cos((2 * Math.PI * index) / size));
    this.cos = Float64Array.from({ length: size / 2 }, (_unused, index) => Math.cos((-2 * Math.PI * index) / size));
    this.sin = Float64Array.from({ length: size / 2 }, (_unused, index) => Math.sin((-2 * Math.PI * index) / size));
    this.real = new Float64Array(size);
    this.imag = new Float64Array(size);
    this.block = new Float64Array(size);
  }

  push(value: number): void {
    this.block[this.fill++] = value;
    if (this.fill === this.size) {
      this.transform();
      this.fill = 0;
    }
  }

  /** Share of the power between `lowHz` and `highHz` (inclusive bins), 0–1; 0 when there is none. */
  share(lowHz: number, highHz: number): number {
    let total = 0;
    let inside = 0;
    for (let bin = 1; bin < this.power.length; bin++) {
      const hz = (bin * this.sampleRate) / this.size;
      total += this.power[bin]!;
      if (hz >= lowHz && hz <= highHz) inside += this.power[bin]!;
    }
    return total > 0 ? inside / total : 0;
  }

  private transform(): void {
    const { size, real, imag } = this;
    for (let index = 0, reversed = 0; index < size; index++) {
      real[reversed] = this.block[index]! * this.window[index]!;
      imag[reversed] = 0;
      // Increment a bit-reversed counter.
      let bit = size >> 1;
      while (bit > 0 && reversed & bit) {
        reversed ^= bit;
        bit >>= 1;
      }
      reversed |= bit;
    }
    for (let length = 2; length <= size; length <<= 1) {
      const half = length >> 1;
      const step = size / length;
      for (let start = 0; start < size; start += length) {
        for (let offset = 0; offset < half; offset++) {
          const wr = this.cos[offset * step]!;
          const wi = this.sin[offset * step]!;
          const a = start + offset;
          const b = a + half;
          const tr = real[b]! * wr - imag[b]! * wi;
          const ti = real[b]! * wi + imag[b]! * wr;
          real[b] = real[a]! - tr;
          imag[b] = imag[a]! - ti;
          real[a] = real[a]! + tr;
          imag[a] = imag[a]! + ti;
        }
      }
    }
    for (let bin = 0; bin < this.power.length; bin++) this.power[bin] = this.power[bin]! + real[bin]! * real[bin]! + imag[bin]! * imag[bin]!;
  }
}

/** A growable array of float64, so a stream of any length keeps one number per frame. */
class FrameList {
  values = new Float64Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

export type AnalyserOptions = {
  /** The source was lossy-coded: a flattened top comes back as ripples, so samples near full scale count too. */
  lossy?: boolean;
  /**
   * Each block of samples as measured, DC removed, in order (the array is reused: copy what is kept).
   * The review's waveform is drawn from these, so it shows the sound the checks judged.
   */
  onMeasured?: (samples: Float32Array) => void;
};

/**
 * The whole-take analysis fed in pieces: memory grows by one number per frame (20 a second), never
 * with the samples, so a take of any length is analysed from a stream. `analyseAudio` is this on one
 * array. DC is removed first (each voiceSource.dcBlockSeconds block less its own mean), except for
 * clipping, which is a property of the samples as recorded.
 */
export class VoiceAnalyser {
  private readonly frameLength: number;
  private readonly frameSums = new FrameList();
  private frameSum = 0;
  private frameFill = 0;
  private count = 0;
  private sumSquares = 0;
  private peak = 0;
  private rawPeak = 0;
  private truePeakValue = 0;
  /** The last samples of the previous piece, for the true-peak kernel across the seam. */
  private tail = new Float32Array(0);
  private runValue = Number.NaN;
  private runLength = 0;
  /** Flattened samples by their magnitude: which of them sit at the peak is known only at the end. */
  private readonly flat = new Map<number, number>();
  private nearFullScale = 0;
  private readonly spectrum: PowerSpectrum;
  private readonly pending: Float32Array;
  private pendingFill = 0;
  private filtered = new Float32Array(0);

  constructor(
    readonly sampleRate: number,
    private readonly options: AnalyserOptions = {},
  ) {
    this.frameLength = Math.max(1, Math.round((sampleRate * audioQuality.frameMs) / 1000));
    this.pending = new Float32Array(Math.max(1, Math.round(sampleRate * voiceSource.dcBlockSeconds)));
    this.spectrum = new PowerSpectrum(sampleRate);
  }

  push(samples: Float32Array): void {
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(samples.length - offset, this.pending.length - this.pendingFill);
      this.pending.set(samples.subarray(offset, offset + take), this.pendingFill);
      this.pendingFill += take;
      offset += take;
      if (this.pendingFill === this.pending.length) {
        this.processBlock(this.pending);
        this.pendingFill = 0;
      }
    }
  }

  /**
   * One DC block: its own mean is the offset removed. A constant or slowly drifting offset goes
   * entirely, and unlike an IIR high-pass nothing rings on into the pause after a word.
   */
  private processBlock(samples: Float32Array): void {
    let mean = 0;
    for (let index = 0; index < samples.length; index++) mean += samples[index]!;
    mean = samples.length > 0 ? mean / samples.length : 0;
    const frameLength = this.frameLength;
    const spectrum = this.spectrum;
    const minRun = audioQuality.clipFlatRunSamples;
    const clipLevel = audioQuality.clipLevel;
    if (this.filtered.length < samples.length) this.filtered = new Float32Array(samples.length);
    const filtered = this.filtered.subarray(0, samples.length);
    for (let index = 0; index < samples.length; index++) {
      // Flattening is seen in the samples as they are; everything else is measured without DC.
      const raw = samples[index]!;
      const rawMagnitude = raw < 0 ? -raw : raw;
      const value = raw - mean;
      filtered[index] = value;
      const magnitude = value < 0 ? -value : value;
      if (magnitude > this.peak) this.peak = magnitude;
      if (rawMagnitude > this.rawPeak) this.rawPeak = rawMagnitude;
      const square = value * value;
      this.sumSquares += square;
      this.frameSum += square;
      spectrum.push(value);
      if (rawMagnitude >= clipLevel) this.nearFullScale++;
      if (raw === this.runValue && rawMagnitude > 0) {
        this.runLength++;
        if (this.runLength === minRun) this.flat.set(rawMagnitude, (this.flat.get(rawMagnitude) ?? 0) + minRun);
        else if (this.runLength > minRun) this.flat.set(rawMagnitude, (this.flat.get(rawMagnitude) ?? 0) + 1);
      } else {
        this.runValue = raw;
        this.runLength = 1;
      }
      if (++this.frameFill === frameLength) this.closeFrame();
    }
    this.count += samples.length;
    this.scanTruePeak(filtered);
    this.options.onMeasured?.(filtered);
  }

  private closeFrame(): void {
    this.frameSums.push(this.frameSum / this.frameFill);
    this.frameSum = 0;
    this.frameFill = 0;
  }

  /**
   * Oversamples only near the running peak: the running peak never exceeds the final one, so every
   * stretch the one-array method would examine is examined here too (and perhaps a few more).
   */
  private scanTruePeak(samples: Float32Array): void {
    const work = new Float32Array(this.tail.length + samples.length);
    work.set(this.tail);
    work.set(samples, this.tail.length);
    const near = this.peak / 2;
    // Indices whose kernel window lies inside `work` and were not examined with the previous piece.
    const first = Math.max(halfTaps - 1, this.tail.length - halfTaps);
    for (let index = first; index < work.length - halfTaps; index++) {
      if (Math.abs(work[index]!) < near && Math.abs(work[index + 1]!) < near) continue;
      const base = index - (halfTaps - 1);
      for (const kernel of phaseKernels) {
        let value = 0;
        for (let tap = 0; tap < kernel.length; tap++) value += kernel[tap]! * work[base + tap]!;
        const magnitude = Math.abs(value);
        if (magnitude > this.truePeakValue) this.truePeakValue = magnitude;
      }
    }
    this.tail = work.slice(Math.max(0, work.length - (halfTaps * 2 - 1)));
  }

  finish(): AudioAnalysis {
    if (this.pendingFill > 0) this.processBlock(this.pending.subarray(0, this.pendingFill));
    this.pendingFill = 0;
    // The last partial frame counts if at least half full.
    if (this.frameFill >= this.frameLength / 2) this.closeFrame();
    const frameCount = this.frameSums.length;
    const levels = new Float32Array(frameCount);
    for (let frame = 0; frame < frameCount; frame++) levels[frame] = meanSquareToDbfs(this.frameSums.values[frame]!);
    const sorted = Float32Array.from(levels).sort();
    const threshold = pauseThresholdDbfs(sorted);
    const frameMs = audioQuality.frameMs;

    let speechPower = 0;
    let speechFrames = 0;
    let pauses = 0;
    let run = 0;
    // Pauses between words only: a run counts once speech comes after it and came before it.
    let innerPauses = 0;
    let longestInner = 0;
    let leading = -1;
    for (let frame = 0; frame < frameCount; frame++) {
      if (levels[frame]! < threshold) {
        pauses++;
        run++;
      } else {
        if (leading < 0) leading = run;
        else {
          innerPauses += run;
          longestInner = Math.max(longestInner, run);
        }
        run = 0;
        speechPower += this.frameSums.values[frame]!;
        speechFrames++;
      }
    }
    const allSilent = leading < 0;
    const quietestCount = Math.max(1, Math.floor(sorted.length * audioQuality.noiseFloorQuietestShare));
    let quietPower = 0;
    for (let index = 0; index < Math.min(quietestCount, sorted.length); index++) quietPower += 10 ** (sorted[index]! / 10);

    let flattened = 0;
    for (const [magnitude, samples] of this.flat) if (magnitude >= this.rawPeak * audioQuality.clipLevel) flattened += samples;
    const clipped = Math.max(flattened, this.options.lossy ? this.nearFullScale : 0);
    const durationMs = (this.count / this.sampleRate) * 1000;
    const truePeakValue = this.peak === 0 ? 0 : Math.max(this.peak, this.truePeakValue);
    const loudLevel = percentile(sorted, audioQuality.speechPercentile);
    const { highBandHz } = voiceSource.narrowband;
    // Pauses add next to nothing to a power spectrum: it is the spectrum of the speech.
    const upper = this.sampleRate / 2 > highBandHz * 1.25 ? this.spectrum.share(highBandHz, this.sampleRate / 2) : null;
    const highBand = upper === null ? null : Math.max(minDbfs, 10 * Math.log10(Math.max(1e-12, upper)));
    return {
      durationMs,
      clippedShare: this.count > 0 ? clipped / this.count : 0,
      speechRmsDbfs: speechFrames > 0 ? meanSquareToDbfs(speechPower / speechFrames) : minDbfs,
      overallRmsDbfs: this.count > 0 ? meanSquareToDbfs(this.sumSquares / this.count) : minDbfs,
      samplePeakDbfs: amplitudeToDbfs(this.peak),
      truePeakDbfs: amplitudeToDbfs(truePeakValue),
      noiseFloorDbfs: sorted.length > 0 ? meanSquareToDbfs(quietPower / Math.min(quietestCount, sorted.length)) : minDbfs,
      silenceShare: allSilent ? 1 : innerPauses / Math.max(1, frameCount - leading - run),
      longestSilenceMs: allSilent ? durationMs : Math.min(durationMs, longestInner * frameMs),
      pauseMs: Math.min(durationMs, pauses * frameMs),
      leadingSilenceMs: Math.min(durationMs, (allSilent ? levels.length : leading) * frameMs),
      trailingSilenceMs: Math.min(durationMs, (allSilent ? levels.length : run) * frameMs),
      sampleRate: this.sampleRate,
      highBandShareDb: highBand,
      speechBandShare: this.spectrum.share(voiceSource.speechBandHz.low, voiceSource.speechBandHz.high),
      levelSpreadDb: Math.max(0, loudLevel - percentile(sorted, 0.5)),
    };
  }
}

export function analyseAudio(samples: Float32Array, sampleRate: number, options: AnalyserOptions = {}): AudioAnalysis {
  const analyser = new VoiceAnalyser(sampleRate, options);
  analyser.push(samples);
  return analyser.finish();
}

/**
 * How speech-like a track sounds, 0–1: the share of its energy in the speech band, weighted by how
 * widely its frame levels spread (syllables and pauses). Music and system sound are continuous, so
 * they score low even inside the speech band; silence scores 0.
 */
export function speechScore(analysis: AudioAnalysis): number {
  if (analysis.overallRmsDbfs < audioQuality.silentRmsDbfs) return 0;
  const spread = Math.min(1, (analysis.levelSpreadDb ?? 0) / 20);
  return Math.round((analysis.speechBandShare ?? 0) * spread * 1000) / 1000;
}

/** Power of two channels and of their sum and difference: enough to see cancellation and a dead channel. */
export type ChannelPowers = { left: number; right: number; sum: number; difference: number };

/**
 * The mono mix that keeps the voice of a two-channel track (thresholds in voiceSource): the
 * difference when the sum cancels (one channel inverted), one channel when the other is dead, else
 * the average. Powers are mean squares of the DC-free channels; sum and difference are halved.
 */
export function chooseMix(powers: ChannelPowers): { mix: 'average' | 'left' | 'right' | 'difference'; reason: string } {
  const db = (power: number) => meanSquareToDbfs(power);
  const louder = Math.max(powers.left, powers.right);
  if (louder <= 0) return { mix: 'average', reason: 'both channels are silent' };
  if (db(powers.left) < db(powers.right) - voiceSource.deadChannelDb) {
    return { mix: 'right', reason: `the left channel is silent (${formatDb(db(powers.left))}), so the right one is used alone` };
  }
  if (db(powers.right) < db(powers.left) - voiceSource.deadChannelDb) {
    return { mix: 'left', reason: `the right channel is silent (${formatDb(db(powers.right))}), so the left one is used alone` };
  }
  if (db(powers.sum) < db(louder) - voiceSource.cancelledSumDb) {
    // Past 60 dB what is left of the sum is the codec's rounding, which differs between decoders
    // (libopus live, ffmpeg's own from the file): the figure would change with the decoder, not the sound.
    const depthDb = db(louder) - db(powers.sum);
    const depth = depthDb > 60 ? 'more than 60' : String(Math.round(depthDb));
    return {
      mix: 'difference',
      reason: `the two channels cancel when added (one is inverted: the sum is ${depth} dB quieter), so their difference is used`,
    };
  }
  return { mix: 'average', reason: 'both channels carry the voice and are averaged' };
}

/** How each mix turns a (left, right) pair into one sample; the media engine builds the same mix as an ffmpeg `pan`. */
export function mixSample(mix: 'mono' | 'average' | 'left' | 'right' | 'difference', left: number, right: number): number {
  switch (mix) {
    case 'mono':
    case 'left':
      return left;
    case 'right':
      return right;
    case 'difference':
      return 0.5 * (left - right);
    case 'average':
      return 0.5 * (left + right);
  }
}

// ---- verdicts ---------------------------------------------------------------------------------

const round1 = (value: number) => Math.round(value * 10) / 10;
export const formatDb = (value: number) => (value <= minDbfs ? '−∞ dB' : `${round1(value).toFixed(1).replace('-', '−')} dB`);

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(0, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const formatPercent = (share: number) => `${share < 0.001 ? (share * 100).toFixed(3) : (share * 100).toFixed(1)} %`;
const seconds = (ms: number) => `${round1(ms / 1000)} s`;

type Verdict = CheckResult['verdict'];

function check(id: string, label: string, verdict: Verdict, reason: string, value: number | null): CheckResult {
  return { id, label, verdict, reason, value: value === null || !Number.isFinite(value) ? null : value };
}

export function durationCheck(durationMs: number): CheckResult {
  const label = 'Length';
  const length = formatDuration(durationMs);
  if (durationMs < voiceRules.minSeconds * 1000) {
    return check(
      'duration',
      label,
      'fail',
      `Too short: ${length}. The service needs at least ${voiceRules.minSeconds} s of speech; record a longer take or widen the trim.`,
      durationMs,
    );
  }
  if (durationMs > voiceRules.maxSeconds * 1000) {
    return check(
      'duration',
      label,
      'fail',
      `Too long: ${length}. The service accepts at most ${formatDuration(voiceRules.maxSeconds * 1000)}; trim the take.`,
      durationMs,
    );
  }
  return check(
    'duration',
    label,
    'pass',
    `${length}, within ${voiceRules.minSeconds}–${voiceRules.maxSeconds} s. Longer natural speech gives a better voice.`,
    durationMs,
  );
}

/** `preparedBytes`: the size the prepared upload file is planned to have (the media engine's plan). */
export function sizeCheck(preparedBytes: number, summary: string): CheckResult {
  const label = 'File size after preparation';
  const limit = formatBytes(voiceRules.maxBytes);
  if (preparedBytes > voiceRules.maxBytes) {
    return check('size', label, 'fail', `About ${formatBytes(preparedBytes)} ${summary}: over the ${limit} limit. Trim the take.`, preparedBytes);
  }
  return check('size', label, 'pass', `About ${formatBytes(preparedBytes)} ${summary}, within the ${limit} limit.`, preparedBytes);
}

export function clippingCheck(analysis: AudioAnalysis): CheckResult {
  const label = 'Clipping';
  const share = analysis.clippedShare;
  const { warn, fail } = audioQuality.clippedSampleShare;
  if (share >= fail) {
    return check(
      'clipping',
      label,
      'fail',
      `${formatPercent(share)} of the samples hit the top of the scale: the voice is distorted. Turn the input gain down or move back from the microphone, and record again.`,
      share,
    );
  }
  if (share >= warn) {
    return check(
      'clipping',
      label,
      'warn',
      `A few peaks hit the top of the scale (${formatPercent(share)} of samples). Listen for crackles; a little lower gain would be safer.`,
      share,
    );
  }
  return check('clipping', label, 'pass', 'No clipped peaks.', share);
}

export function levelCheck(analysis: AudioAnalysis): CheckResult {
  const label = 'Speech level';
  const { min, max } = audioQuality.rmsDbfs;
  const rms = analysis.speechRmsDbfs;
  const peak = analysis.truePeakDbfs;
  const band = `${formatDb(min)} to ${formatDb(max)}`;
  const measured = `${formatDb(rms)} RMS, true peak ${formatDb(peak)}`;
  if (analysis.overallRmsDbfs < audioQuality.silentRmsDbfs) {
    return check(
      'level',
      label,
      'fail',
      `Silent or almost silent (${formatDb(analysis.overallRmsDbfs)} RMS): no voice reached the microphone. Check the input device and that it is not muted.`,
      rms,
    );
  }
  if (rms < min) {
    return check(
      'level',
      label,
      'warn',
      `Quiet: ${measured}; the target is ${band}. Preparation raises the level, but it raises the room noise with it: move closer or turn the gain up.`,
      rms,
    );
  }
  if (rms > max) {
    return check(
      'level',
      label,
      'warn',
      `Loud: ${measured}; the target is ${band}. Preparation lowers the level; a little less gain leaves more headroom.`,
      rms,
    );
  }
  if (peak > audioQuality.truePeakMaxDbfs) {
    return check(
      'level',
      label,
      'warn',
      `${measured}: the level is right but peaks exceed ${formatDb(audioQuality.truePeakMaxDbfs)}. Preparation limits them; a little less gain is safer.`,
      rms,
    );
  }
  return check('level', label, 'pass', `${measured}, inside the ${band} band with peaks under ${formatDb(audioQuality.truePeakMaxDbfs)}.`, rms);
}

export function noiseCheck(analysis: AudioAnalysis): CheckResult {
  const label = 'Background noise';
  const floor = analysis.noiseFloorDbfs;
  const { warn, fail } = audioQuality.noiseFloorDbfs;
  if (analysis.pauseMs !== undefined && analysis.pauseMs < audioQuality.noiseMinPauseMs) {
    return check(
      'noise',
      label,
      'warn',
      `Not measured: the take has ${seconds(analysis.pauseMs)} of pauses, and the room's noise is heard only in pauses (${seconds(audioQuality.noiseMinPauseMs)} needed). Pause between sentences.`,
      null,
    );
  }
  if (floor > fail) {
    return check(
      'noise',
      label,
      'fail',
      `The quietest moments are at ${formatDb(floor)}: loud background noise, or no pauses at all. Find a quieter room, and pause between sentences.`,
      floor,
    );
  }
  if (floor > warn) {
    return check(
      'noise',
      label,
      'warn',
      `Noise in the pauses at ${formatDb(floor)} (aim for under ${formatDb(warn)}). Fans, traffic or hum will be cloned into the voice.`,
      floor,
    );
  }
  return check('noise', label, 'pass', floor <= minDbfs ? 'Quiet pauses (digital silence).' : `Quiet pauses (${formatDb(floor)}).`, floor);
}

export function silenceCheck(analysis: AudioAnalysis): CheckResult {
  const label = 'Pauses';
  const share = analysis.silenceShare;
  const longest = analysis.longestSilenceMs;
  const limits = audioQuality.silenceShare;
  const longLimits = audioQuality.longestSilenceSeconds;
  const measured = `${Math.round(share * 100)} % of the take is silence, the longest pause ${seconds(longest)}`;
  if (share >= limits.fail || longest >= longLimits.fail * 1000) {
    return check('silence', label, 'fail', `${measured}. The voice needs continuous natural speech: trim long gaps or record again.`, share);
  }
  if (share >= limits.warn || longest >= longLimits.warn * 1000) {
    return check('silence', label, 'warn', `${measured}. Fewer and shorter gaps give the voice more to learn from.`, share);
  }
  return check('silence', label, 'pass', `${measured}: natural pauses.`, share);
}

export function edgesCheck(analysis: AudioAnalysis): CheckResult {
  const label = 'Silence at start and end';
  const lead = analysis.leadingSilenceMs;
  const trail = analysis.trailingSilenceMs;
  const measured = `${seconds(lead)} before the first word, ${seconds(trail)} after the last`;
  const warnMs = audioQuality.edgeSilenceSeconds.warn * 1000;
  if (lead > warnMs || trail > warnMs) {
    return check('edges', label, 'warn', `${measured}. Preparation removes it; trimming it here makes the length meter honest.`, Math.max(lead, trail));
  }
  return check('edges', label, 'pass', `${measured}.`, Math.max(lead, trail));
}

/**
 * Narrowband sound (thresholds and sources in voiceSource.narrowband): from the rate the file was
 * recorded at, and from the spectrum (a phone call resampled to 48 kHz keeps its narrow band).
 * Null when the sound is full band: the check is only listed when it has something to say.
 */
export function bandwidthCheck(analysis: AudioAnalysis, sourceSampleRate: number): CheckResult | null {
  const label = 'Bandwidth';
  const { minSampleRate, highBandHz, highBandShareDb } = voiceSource.narrowband;
  const advice =
    'The cloned voice will sound like a phone call: record with the computer’s or a USB microphone instead of a phone line or a Bluetooth headset.';
  if (sourceSampleRate > 0 && sourceSampleRate < minSampleRate) {
    return check(
      'bandwidth',
      label,
      'warn',
      `Narrowband: recorded at ${sourceSampleRate / 1000} kHz, so nothing above ${formatKhz(sourceSampleRate / 2)} was kept (phone and Bluetooth headset quality). ${advice}`,
      sourceSampleRate,
    );
  }
  const share = analysis.highBandShareDb;
  if (share !== null && share !== undefined && analysis.speechRmsDbfs > audioQuality.silentRmsDbfs && share < highBandShareDb) {
    return check(
      'bandwidth',
      label,
      'warn',
      `Narrowband: the speech has almost no sound above ${formatKhz(highBandHz)} (${formatDb(share)} of its energy), as after a phone line or a Bluetooth headset. ${advice}`,
      share,
    );
  }
  return null;
}

/** Every voice check, in the order the review shows them. */
export function voiceChecks(analysis: AudioAnalysis, prepared: { bytes: number; summary: string }): CheckResult[] {
  return [
    durationCheck(analysis.durationMs),
    sizeCheck(prepared.bytes, prepared.summary),
    levelCheck(analysis),
    clippingCheck(analysis),
    noiseCheck(analysis),
    silenceCheck(analysis),
    edgesCheck(analysis),
  ];
}

/** The worst verdict of a set of checks (a take with no checks yet has none). */
export function overallVerdict(checks: readonly CheckResult[]): Verdict | null {
  if (checks.length === 0) return null;
  if (checks.some((item) => item.verdict === 'fail')) return 'fail';
  if (checks.some((item) => item.verdict === 'warn')) return 'warn';
  return 'pass';
}
