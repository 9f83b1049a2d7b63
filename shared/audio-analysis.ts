/**
 * The voice quality checks as pure functions over mono Float32 PCM: the renderer's live meter uses
 * the block functions on what the microphone delivers, the main process runs the whole analysis on
 * the decoded take. Every threshold comes from `audioQuality` in the requirement table.
 */
import type { CheckResult } from './drafts';
import { audioQuality, voiceRules } from './requirements';

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
  /** Share of samples at or beyond audioQuality.clipLevel. */
  clippedShare: number;
  /** RMS over the frames that are not pauses: the level of the speech itself. */
  speechRmsDbfs: number;
  overallRmsDbfs: number;
  samplePeakDbfs: number;
  truePeakDbfs: number;
  /** Mean level of the quietest frames: the room and the microphone when nobody speaks. */
  noiseFloorDbfs: number;
  silenceShare: number;
  longestSilenceMs: number;
  leadingSilenceMs: number;
  trailingSilenceMs: number;
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

export function analyseAudio(samples: Float32Array, sampleRate: number): AudioAnalysis {
  const frameMs = audioQuality.frameMs;
  const levels = frameLevels(samples, sampleRate, frameMs);
  const sorted = Float32Array.from(levels).sort();
  const threshold = pauseThresholdDbfs(sorted);
  const frameLength = Math.max(1, Math.round((sampleRate * frameMs) / 1000));

  let speechSum = 0;
  let speechCount = 0;
  let pauses = 0;
  let run = 0;
  let longest = 0;
  let leading = -1;
  for (let frame = 0; frame < levels.length; frame++) {
    if (levels[frame]! < threshold) {
      pauses++;
      run++;
      if (run > longest) longest = run;
    } else {
      if (leading < 0) leading = run;
      run = 0;
      const start = frame * frameLength;
      const end = Math.min(samples.length, start + frameLength);
      for (let index = start; index < end; index++) speechSum += samples[index]! * samples[index]!;
      speechCount += end - start;
    }
  }
  const allSilent = leading < 0;
  const quietestCount = Math.max(1, Math.floor(sorted.length * audioQuality.noiseFloorQuietestShare));
  let quietPower = 0;
  for (let index = 0; index < Math.min(quietestCount, sorted.length); index++) quietPower += 10 ** (sorted[index]! / 10);

  const whole = blockStats(samples);
  const durationMs = (samples.length / sampleRate) * 1000;
  return {
    durationMs,
    clippedShare: whole.count > 0 ? whole.clipped / whole.count : 0,
    speechRmsDbfs: speechCount > 0 ? meanSquareToDbfs(speechSum / speechCount) : minDbfs,
    overallRmsDbfs: statsRmsDbfs(whole),
    samplePeakDbfs: amplitudeToDbfs(whole.peak),
    truePeakDbfs: amplitudeToDbfs(truePeak(samples)),
    noiseFloorDbfs: sorted.length > 0 ? meanSquareToDbfs(quietPower / Math.min(quietestCount, sorted.length)) : minDbfs,
    silenceShare: levels.length > 0 ? pauses / levels.length : 1,
    longestSilenceMs: Math.min(durationMs, longest * frameMs),
    leadingSilenceMs: Math.min(durationMs, (allSilent ? levels.length : leading) * frameMs),
    trailingSilenceMs: Math.min(durationMs, (allSilent ? levels.length : run) * frameMs),
  };
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
  return check('noise', label, 'pass', `Quiet pauses (${formatDb(floor)}).`, floor);
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
