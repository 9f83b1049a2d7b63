/**
 * A recording's sound decoded while it is being recorded: as chunks land in the take's file, the
 * part recorded since the last look is decoded on the media engine's quick lane (a few seconds of
 * audio every `stepMs`), so that at Stop only the last seconds remain to decode and the checks are
 * ready within a second instead of after a decode of the whole take. The PCM lives in shared memory
 * (SharedPcm), so the analysis thread reads it without a copy.
 */
import type { Logger } from '../log';
import type { MediaEngine } from '../media/engine';

/** Mono float PCM in a growing SharedArrayBuffer: written at any sample offset, read as one view. */
export class SharedPcm {
  private data = new Float32Array(new SharedArrayBuffer(0));
  length = 0;

  constructor(readonly sampleRate: number) {}

  /** Puts `samples` at `offset` (in samples); whatever lay after `offset` is dropped. */
  writeAt(offset: number, samples: Float32Array): void {
    const end = offset + samples.length;
    if (end > this.data.length) {
      // Grows by a minute of sound at least, so a 5-minute take is copied a handful of times, not per chunk.
      const capacity = Math.max(end, this.data.length + this.sampleRate * 60);
      const grown = new Float32Array(new SharedArrayBuffer(capacity * 4));
      grown.set(this.data.subarray(0, Math.min(this.length, offset)));
      this.data = grown;
    }
    this.data.set(samples, offset);
    this.length = end;
  }

  /** The samples so far, on the shared buffer (a view, not a copy). */
  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }
}

export type LiveDecodeOptions = {
  engine: MediaEngine;
  /** The file the recording is appended to. */
  file: string;
  log: Logger;
  /** Analysis rate ceiling, as for a whole-file decode (the file's own rate up to this). */
  maxSampleRate: number;
  /** How much new sound to gather before decoding it (ms). */
  stepMs?: number;
  now?: () => number;
};

/**
 * The last second decoded so far is decoded again with the next stretch: a chunk may end inside an
 * Opus packet. A decode that starts mid-file (`-ss`) lacks the sound before it: its first ~200 ms
 * differ from a decode of the whole file, so only what follows `settleMs` is kept, and it begins a
 * few ms early (ffmpeg does not drop the codec delay there, 384 samples for Chromium's Opus), so
 * where it lies is found by matching it against the sound already decoded (`lead`).
 */
const overlapMs = 1000;
const settleMs = 500;
/** The largest lead looked for: 50 ms. */
const maxLeadMs = 50;
/** Samples compared to place a stretch: 20 ms. */
const matchMs = 20;

/** Mean absolute difference relative to the mean magnitude over a window; 0 = identical. */
function mismatch(known: Float32Array, knownAt: number, fresh: Float32Array, freshAt: number, length: number): number {
  let difference = 0;
  let magnitude = 0;
  for (let index = 0; index < length; index++) {
    const a = known[knownAt + index]!;
    difference += Math.abs(a - fresh[freshAt + index]!);
    magnitude += Math.abs(a);
  }
  return magnitude > 0 ? difference / magnitude : difference > 0 ? 1 : 0;
}

/** A window this quiet cannot place a stretch: any offset matches silence. */
const quietMeanMagnitude = 1e-4;
/** Placements closer than this (relative mean difference) are the same sound. */
const sameSound = 0.02;

/**
 * Where `fresh` (decoded from `nominal` with `-ss`) lies in `known`: the offset of its first sample
 * is `nominal - lead`. The loudest 20 ms of the settled part of the overlap decide: `quiet` when
 * that is silent (any lead fits), `unmatched` when no lead within 50 ms gives the same sound.
 */
export function findLead(known: Float32Array, fresh: Float32Array, nominal: number, sampleRate: number, hint: number | null): number | 'quiet' | 'unmatched' {
  const settle = Math.round((settleMs / 1000) * sampleRate);
  const window = Math.round((matchMs / 1000) * sampleRate);
  const maxLead = Math.round((maxLeadMs / 1000) * sampleRate);
  // The loudest window of fresh's settled overlap with what is known.
  let at = -1;
  let loudest = 0;
  for (let start = settle; start + window <= fresh.length && nominal + start + window + maxLead <= known.length; start += window) {
    let sum = 0;
    for (let index = start; index < start + window; index++) sum += Math.abs(fresh[index]!);
    if (sum > loudest) {
      loudest = sum;
      at = start;
    }
  }
  if (at < 0) return 'unmatched';
  if (loudest / window < quietMeanMagnitude) return 'quiet';
  if (hint !== null && nominal - hint + at >= 0 && mismatch(known, nominal - hint + at, fresh, at, window) < sameSound) return hint;
  let best: number | 'unmatched' = 'unmatched';
  let bestMismatch = sameSound;
  for (let lead = -maxLead; lead <= maxLead; lead++) {
    if (nominal - lead + at < 0) continue;
    const value = mismatch(known, nominal - lead + at, fresh, at, window);
    if (value < bestMismatch) {
      bestMismatch = value;
      best = lead;
    }
  }
  return best;
}

export class LiveDecode {
  private pcm: SharedPcm | null = null;
  /** End of the trusted decoded sound (ms from the start of the take). */
  private decodedMs = 0;
  private running: Promise<void> | null = null;
  private lastStart = 0;
  private stopped = false;
  /** How many samples early a mid-file decode starts (see findLead); found on the first stretch. */
  private lead: number | null = null;
  private readonly stepMs: number;
  private readonly now: () => number;

  constructor(private readonly options: LiveDecodeOptions) {
    this.stepMs = options.stepMs ?? 10_000;
    this.now = options.now ?? (() => Date.now());
    this.lastStart = this.now();
  }

  /** A chunk reached the file: decode the new stretch once enough time has passed and none is running. */
  landed(): void {
    if (this.stopped || this.running || this.now() - this.lastStart < this.stepMs) return;
    this.lastStart = this.now();
    this.running = this.decodeFrom(this.options.file)
      .catch((error: unknown) => {
        // Decoding live is a head start, not the verdict: the file is decoded whole at Stop instead.
        this.options.log.debug('live decode stopped', { file: this.options.file, error: String(error) });
        this.stopped = true;
        this.pcm = null;
      })
      .finally(() => (this.running = null));
  }

  /**
   * The whole take's sound once the recording is complete in `file` (the repaired take): the
   * stretches decoded live, plus the rest decoded from `file`. Null when nothing was decoded live
   * (a short take, a file without sound): the caller decodes the whole file as before.
   */
  async complete(file: string): Promise<{ samples: Float32Array; sampleRate: number } | null> {
    await this.running;
    this.stopped = true;
    if (!this.pcm) return null;
    await this.decodeFrom(file);
    const pcm = this.pcm as SharedPcm | null;
    return pcm ? { samples: pcm.view(), sampleRate: pcm.sampleRate } : null;
  }

  /** Stops decoding (a discarded or abandoned take). */
  stop(): void {
    this.stopped = true;
    this.pcm = null;
  }

  private async decodeFrom(file: string): Promise<void> {
    const { engine, maxSampleRate } = this.options;
    if (!this.pcm) {
      const info = await engine.probe(file);
      if (!info.audio) throw new Error('no sound');
      this.pcm = new SharedPcm(Math.min(maxSampleRate, info.audio.sampleRate || maxSampleRate));
    }
    const pcm = this.pcm;
    const startMs = this.decodedMs > overlapMs ? this.decodedMs - overlapMs : 0;
    const nominal = Math.round((startMs / 1000) * pcm.sampleRate);
    const { samples } = await engine.decodePcm(file, { sampleRate: pcm.sampleRate, startMs });
    if (this.pcm !== pcm) return;
    const found = startMs === 0 ? 0 : findLead(pcm.view(), samples, nominal, pcm.sampleRate, this.lead);
    // A stretch that cannot be placed exactly would shift every later frame: decode whole at Stop instead.
    if (found === 'unmatched') throw new Error('a decoded stretch could not be placed in the take');
    const lead = found === 'quiet' ? this.lead : found;
    if (startMs === 0) {
      pcm.writeAt(0, samples);
    } else if (lead === null) {
      // Silence where the first stretch meets the next cannot place it: decode from the start this once.
      const again = await engine.decodePcm(file, { sampleRate: pcm.sampleRate });
      if (this.pcm !== pcm) return;
      pcm.writeAt(0, again.samples);
    } else {
      this.lead = lead;
      const settle = Math.round((settleMs / 1000) * pcm.sampleRate);
      pcm.writeAt(nominal - lead + settle, samples.subarray(settle));
    }
    this.decodedMs = (pcm.length / pcm.sampleRate) * 1000;
  }
}
