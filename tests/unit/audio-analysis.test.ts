/** The voice quality checks on synthetic signals whose right answers are known. */
import { describe, expect, it } from 'vitest';
import {
  analyseAudio,
  blockStats,
  durationCheck,
  edgesCheck,
  frameLevels,
  levelCheck,
  mergeStats,
  minDbfs,
  overallVerdict,
  statsRmsDbfs,
  truePeak,
  voiceChecks,
} from '../../shared/audio-analysis';
import { audioQuality, voiceRules } from '../../shared/requirements';

const rate = 48000;

function sine(seconds: number, amplitude: number, frequency = 440, phase = 0): Float32Array {
  const samples = new Float32Array(Math.round(seconds * rate));
  for (let index = 0; index < samples.length; index++) samples[index] = amplitude * Math.sin((2 * Math.PI * frequency * index) / rate + phase);
  return samples;
}

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Bursts of tone (speech) separated by pauses with faint noise. */
function speechLike(seconds: number, amplitude: number, pauseSeconds: number, noise = 0.0001): Float32Array {
  const parts: Float32Array[] = [];
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (let time = 0; time < seconds; time += 2 + pauseSeconds) {
    parts.push(sine(2, amplitude, 220));
    const pause = new Float32Array(Math.round(pauseSeconds * rate));
    for (let index = 0; index < pause.length; index++) pause[index] = noise * random();
    parts.push(pause);
  }
  return concat(...parts).subarray(0, Math.round(seconds * rate));
}

describe('block statistics (the live meter)', () => {
  it('measures a sine: RMS 3 dB under its peak', () => {
    const stats = blockStats(sine(1, 0.5));
    expect(stats.peak).toBeCloseTo(0.5, 3);
    expect(statsRmsDbfs(stats)).toBeCloseTo(20 * Math.log10(0.5 / Math.SQRT2), 1);
    expect(stats.clipped).toBe(0);
  });

  it('merges blocks as if they were one, and counts samples at the clip level', () => {
    const loud = sine(0.5, 1.2);
    const a = blockStats(loud, 0, 1000);
    const b = blockStats(loud, 1000, loud.length);
    const merged = mergeStats(a, b);
    const whole = blockStats(loud);
    expect({ ...merged, sumSquares: 0 }).toEqual({ ...whole, sumSquares: 0 });
    expect(merged.sumSquares).toBeCloseTo(whole.sumSquares, 6);
    expect(blockStats(loud).clipped).toBeGreaterThan(loud.length / 3);
  });

  it('floors silence at minDbfs instead of -Infinity', () => {
    expect(statsRmsDbfs(blockStats(new Float32Array(100)))).toBe(minDbfs);
    expect(Array.from(frameLevels(new Float32Array(rate), rate))).toEqual(new Array(20).fill(minDbfs));
  });
});

describe('true peak', () => {
  it('finds the peak between samples of a quarter-rate sine sampled off its crests', () => {
    // rate/4 at 45°: every sample is at ±0.707 of the real peak.
    const samples = sine(0.1, 0.9, rate / 4, Math.PI / 4);
    expect(blockStats(samples).peak).toBeCloseTo(0.9 * Math.SQRT1_2, 2);
    expect(truePeak(samples)).toBeGreaterThan(0.85);
    expect(truePeak(samples)).toBeLessThan(0.95);
  });
});

describe('whole-take analysis', () => {
  it('separates speech from pauses and measures the noise in them', () => {
    const samples = speechLike(90, 0.15, 0.5);
    const analysis = analyseAudio(samples, rate);
    expect(analysis.durationMs).toBeCloseTo(90_000, -1);
    expect(analysis.speechRmsDbfs).toBeCloseTo(20 * Math.log10(0.15 / Math.SQRT2), 0);
    expect(analysis.silenceShare).toBeGreaterThan(0.15);
    expect(analysis.silenceShare).toBeLessThan(0.25);
    expect(analysis.longestSilenceMs).toBeGreaterThanOrEqual(450);
    expect(analysis.longestSilenceMs).toBeLessThanOrEqual(550);
    expect(analysis.noiseFloorDbfs).toBeLessThan(-75);
    expect(analysis.leadingSilenceMs).toBe(0);
  });

  it('measures leading and trailing silence', () => {
    const samples = concat(new Float32Array(3 * rate), speechLike(70, 0.15, 0.4), new Float32Array(1 * rate));
    const analysis = analyseAudio(samples, rate);
    expect(analysis.leadingSilenceMs).toBeCloseTo(3000, -2);
    expect(analysis.trailingSilenceMs).toBeGreaterThanOrEqual(1000);
    expect(edgesCheck(analysis).verdict).toBe('warn');
  });

  it("counts pauses between words only: silence before the first word and after the last is the edges' check", () => {
    const analysis = analyseAudio(concat(new Float32Array(40 * rate), speechLike(90, 0.15, 0.4), new Float32Array(5 * rate)), rate);
    expect(analysis.leadingSilenceMs).toBeCloseTo(40_000, -2);
    expect(analysis.longestSilenceMs).toBeLessThan(1000);
    expect(analysis.silenceShare).toBeLessThan(0.25);
    expect(analysis.pauseMs).toBeGreaterThan(45_000);
    const checks = voiceChecks(analysis, { bytes: 1, summary: '' });
    expect(checks.find((check) => check.id === 'silence')?.verdict).toBe('pass');
    expect(checks.find((check) => check.id === 'edges')?.verdict).toBe('warn');
    // Nothing but silence is still all pause.
    const silent = analyseAudio(new Float32Array(10 * rate), rate);
    expect(silent.silenceShare).toBe(1);
    expect(silent.longestSilenceMs).toBeCloseTo(10_000, -2);
  });

  it('does not call the tails of words noise in a clip with too little pause to hear the room', () => {
    const clip = analyseAudio(concat(sine(0.9, 0.15, 220), new Float32Array(0.3 * rate), sine(0.8, 0.15, 220)), rate);
    expect(clip.pauseMs).toBeLessThan(audioQuality.noiseMinPauseMs);
    const noise = voiceChecks(clip, { bytes: 1, summary: '' }).find((check) => check.id === 'noise');
    expect(noise).toMatchObject({ verdict: 'warn', value: null });
    expect(noise?.reason).toMatch(/Not measured: the take has 0\.3 s of pauses/);
    // With pauses enough, the floor is measured and judged as before.
    expect(voiceChecks(analyseAudio(speechLike(90, 0.15, 0.5), rate), { bytes: 1, summary: '' }).find((check) => check.id === 'noise')?.value).toBeLessThan(
      -75,
    );
  });

  it('gives a take of speech in the band a clean bill', () => {
    // -20 dBFS RMS speech: a sine of amplitude 0.1414.
    const analysis = analyseAudio(speechLike(90, 0.1414, 0.4), rate);
    const checks = voiceChecks(analysis, { bytes: 2_000_000, summary: 'as MP3' });
    expect(checks.map((check) => [check.id, check.verdict])).toEqual([
      ['duration', 'pass'],
      ['size', 'pass'],
      ['level', 'pass'],
      ['clipping', 'pass'],
      ['noise', 'pass'],
      ['silence', 'pass'],
      ['edges', 'pass'],
    ]);
    expect(overallVerdict(checks)).toBe('pass');
  });

  it('fails noise when the pauses are loud, and long gaps as silence', () => {
    const noisy = analyseAudio(speechLike(70, 0.15, 0.5, 0.05), rate);
    expect(noisy.noiseFloorDbfs).toBeGreaterThan(audioQuality.noiseFloorDbfs.fail);
    const gappy = analyseAudio(concat(speechLike(40, 0.15, 0.4), new Float32Array(10 * rate), speechLike(30, 0.15, 0.4)), rate);
    expect(gappy.longestSilenceMs).toBeGreaterThanOrEqual(audioQuality.longestSilenceSeconds.fail * 1000);
    const checks = voiceChecks(gappy, { bytes: 1, summary: '' });
    expect(checks.find((check) => check.id === 'silence')?.verdict).toBe('fail');
    expect(overallVerdict(checks)).toBe('fail');
  });
});

describe('verdicts against the requirement table', () => {
  it('draws the length line at the service limits', () => {
    expect(durationCheck(voiceRules.minSeconds * 1000 - 1).verdict).toBe('fail');
    expect(durationCheck(voiceRules.minSeconds * 1000).verdict).toBe('pass');
    expect(durationCheck(voiceRules.maxSeconds * 1000).verdict).toBe('pass');
    expect(durationCheck(voiceRules.maxSeconds * 1000 + 1).reason).toMatch(/Too long/);
  });

  it('fails a silent take and warns about a quiet or hot one', () => {
    const base = analyseAudio(speechLike(70, 0.1414, 0.4), rate);
    expect(levelCheck({ ...base, overallRmsDbfs: audioQuality.silentRmsDbfs - 1 }).verdict).toBe('fail');
    expect(levelCheck({ ...base, speechRmsDbfs: audioQuality.rmsDbfs.min - 2 }).verdict).toBe('warn');
    expect(levelCheck({ ...base, speechRmsDbfs: audioQuality.rmsDbfs.max + 2 }).verdict).toBe('warn');
    expect(levelCheck({ ...base, truePeakDbfs: audioQuality.truePeakMaxDbfs + 1 }).verdict).toBe('warn');
  });

  it('carries no non-finite numbers (they would not survive JSON)', () => {
    const checks = voiceChecks(analyseAudio(new Float32Array(rate * 2), rate), { bytes: 0, summary: '' });
    for (const check of checks) expect(check.value === null || Number.isFinite(check.value)).toBe(true);
  });
});
