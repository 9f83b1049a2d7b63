/**
 * Listens to a capture stream's audio: every sample, through an AudioWorklet, into the shared block
 * statistics (the same functions the main process checks takes with). Gives a meter reading (RMS
 * over a short window, peak with hold, clipping) and feeds peak tracks for the waveforms.
 */
import { type BlockStats, amplitudeToDbfs, blockStats, mergeStats, minDbfs, statsRmsDbfs } from '../../shared/audio-analysis';
import pcmTapUrl from './pcm-tap.worklet.ts?worker&url';

/** Meter ballistics: what a person can read, not thresholds (those live in shared/requirements.ts). */
export const meterBallistics = {
  rmsWindowMs: 300,
  peakHoldMs: 1500,
  clipHoldMs: 2500,
} as const;

export type MeterReading = {
  rmsDbfs: number;
  peakDbfs: number;
  /** The highest peak of the last peakHoldMs. */
  peakHoldDbfs: number;
  /** A sample reached the clip level within the last clipHoldMs. */
  clipping: boolean;
  /** Whether any sound arrived at all (a muted or dead input delivers exact zeros). */
  signal: boolean;
};

export const silentReading: MeterReading = { rmsDbfs: minDbfs, peakDbfs: minDbfs, peakHoldDbfs: minDbfs, clipping: false, signal: false };

type TimedStats = { at: number; stats: BlockStats };

/**
 * Absolute peaks at a fixed rate (buckets per second), appended as blocks arrive: the live
 * waveform's window and the just-recorded take's review waveform, without decoding anything.
 */
export class PeakTrack {
  private values: Float32Array;
  private count = 0;
  private bucketPeak = 0;
  private bucketFill = 0;
  private readonly bucketLength: number;

  /** `keepSeconds`: a live view keeps only this much (older peaks are dropped); a take keeps all. */
  constructor(
    sampleRate: number,
    readonly perSecond = 100,
    private readonly keepSeconds = Infinity,
  ) {
    this.bucketLength = Math.max(1, Math.round(sampleRate / perSecond));
    this.values = new Float32Array(perSecond * 60);
  }

  get length(): number {
    return this.count;
  }

  get seconds(): number {
    return this.count / this.perSecond;
  }

  push(samples: Float32Array): void {
    for (let index = 0; index < samples.length; index++) {
      const value = samples[index]!;
      const magnitude = value < 0 ? -value : value;
      if (magnitude > this.bucketPeak) this.bucketPeak = magnitude;
      if (++this.bucketFill === this.bucketLength) {
        if (this.count === this.values.length && this.count >= this.keepSeconds * this.perSecond * 2) {
          const keep = Math.floor(this.keepSeconds * this.perSecond);
          this.values.copyWithin(0, this.count - keep, this.count);
          this.count = keep;
        } else if (this.count === this.values.length) {
          const grown = new Float32Array(this.values.length * 2);
          grown.set(this.values);
          this.values = grown;
        }
        this.values[this.count++] = this.bucketPeak;
        this.bucketPeak = 0;
        this.bucketFill = 0;
      }
    }
  }

  /** The last `seconds` at `perSecond` peaks a second, padded with silence at the start. */
  window(seconds: number, perSecond: number): Float32Array {
    const out = new Float32Array(Math.round(seconds * perSecond));
    const step = this.perSecond / perSecond;
    for (let index = 0; index < out.length; index++) {
      const end = this.count - (out.length - 1 - index) * step;
      const start = end - step;
      let peak = 0;
      for (let bucket = Math.max(0, Math.floor(start)); bucket < Math.min(this.count, Math.ceil(end)); bucket++) {
        if (this.values[bucket]! > peak) peak = this.values[bucket]!;
      }
      out[index] = peak;
    }
    return out;
  }

  /** Every peak so far (a copy). */
  all(): Float32Array {
    return this.values.slice(0, this.count);
  }

  clear(): void {
    this.count = 0;
    this.bucketPeak = 0;
    this.bucketFill = 0;
  }
}

export class AudioMonitor {
  readonly sampleRate: number;
  private readonly listeners = new Set<(samples: Float32Array) => void>();
  private recent: TimedStats[] = [];
  private lastClipAt = -Infinity;
  private closed = false;
  private mono: MediaStreamAudioDestinationNode | null = null;

  private constructor(
    private readonly context: AudioContext,
    private readonly source: MediaStreamAudioSourceNode,
    private readonly tap: AudioWorkletNode,
  ) {
    this.sampleRate = context.sampleRate;
    tap.port.onmessage = (event: MessageEvent<Float32Array>) => this.receive(event.data);
  }

  /** Taps the stream's audio at the device's own rate (no resampling before the meter). */
  static async open(stream: MediaStream): Promise<AudioMonitor> {
    const track = stream.getAudioTracks()[0];
    if (!track) throw new Error('The stream has no audio track.');
    const rate = track.getSettings().sampleRate;
    const context = new AudioContext(rate ? { sampleRate: rate, latencyHint: 'interactive' } : { latencyHint: 'interactive' });
    try {
      await context.audioWorklet.addModule(pcmTapUrl);
      const source = context.createMediaStreamSource(stream);
      const tap = new AudioWorkletNode(context, 'pcm-tap', { numberOfInputs: 1, numberOfOutputs: 0 });
      source.connect(tap);
      // A context created before a gesture starts suspended; capture always follows a click.
      if (context.state === 'suspended') await context.resume();
      return new AudioMonitor(context, source, tap);
    } catch (error) {
      await context.close().catch(() => undefined);
      throw error;
    }
  }

  /** Every block of samples as it arrives (mono, at `sampleRate`). */
  onSamples(listener: (samples: Float32Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The input mixed down to one channel at the device's own rate: what a voice take records. Many
   * devices (and Chromium's fake one) deliver two identical channels even when one is asked for.
   */
  monoTrack(): MediaStreamTrack {
    if (!this.mono) {
      this.mono = this.context.createMediaStreamDestination();
      this.mono.channelCount = 1;
      this.mono.channelCountMode = 'explicit';
      this.mono.channelInterpretation = 'speakers';
      this.source.connect(this.mono);
    }
    return this.mono.stream.getAudioTracks()[0]!;
  }

  reading(now = performance.now()): MeterReading {
    this.forget(now);
    if (this.recent.length === 0) return silentReading;
    let window: BlockStats = { peak: 0, sumSquares: 0, count: 0, clipped: 0 };
    let hold = 0;
    let latest = 0;
    for (const item of this.recent) {
      if (item.at >= now - meterBallistics.rmsWindowMs) window = mergeStats(window, item.stats);
      if (item.stats.peak > hold) hold = item.stats.peak;
    }
    // The instantaneous peak: the last ~50 ms, so the bar falls back quickly after a plosive.
    for (const item of this.recent) if (item.at >= now - 50 && item.stats.peak > latest) latest = item.stats.peak;
    return {
      rmsDbfs: statsRmsDbfs(window),
      peakDbfs: amplitudeToDbfs(latest),
      peakHoldDbfs: amplitudeToDbfs(hold),
      clipping: now - this.lastClipAt < meterBallistics.clipHoldMs,
      signal: hold > 0,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.tap.port.onmessage = null;
    this.source.disconnect();
    this.tap.disconnect();
    for (const track of this.mono?.stream.getTracks() ?? []) track.stop();
    await this.context.close().catch(() => undefined);
  }

  private receive(samples: Float32Array): void {
    const now = performance.now();
    const stats = blockStats(samples);
    if (stats.clipped > 0) this.lastClipAt = now;
    this.recent.push({ at: now, stats });
    this.forget(now);
    for (const listener of this.listeners) listener(samples);
  }

  private forget(now: number): void {
    const horizon = now - Math.max(meterBallistics.peakHoldMs, meterBallistics.rmsWindowMs);
    let drop = 0;
    while (drop < this.recent.length && this.recent[drop]!.at < horizon) drop++;
    if (drop > 0) this.recent = this.recent.slice(drop);
  }
}
