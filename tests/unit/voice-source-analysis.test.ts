/** The measured parts of a voice verdict on signals made here: clipping, channel mixes, DC, bandwidth, streaming. */
import { describe, expect, it } from 'vitest';
import { PowerSpectrum, VoiceAnalyser, analyseAudio, bandwidthCheck, chooseMix, speechScore } from '../../shared/audio-analysis';
import { voiceSource } from '../../shared/requirements';

const rate = 48000;

/** Syllable-like bursts of a few tones with pauses, amplitude `amplitude`. */
function speechLike(seconds: number, amplitude: number, tones = [220, 1200, 5500]): Float32Array {
  const samples = new Float32Array(Math.round(seconds * rate));
  for (let index = 0; index < samples.length; index++) {
    const time = index / rate;
    const syllable = time % 0.6 < 0.35 ? Math.sin((Math.PI * (time % 0.6)) / 0.35) : 0;
    const pause = time % 6 > 5 ? 0 : 1;
    let value = 0;
    for (const tone of tones) value += Math.sin(2 * Math.PI * tone * time) / tones.length;
    samples[index] = amplitude * syllable * pause * value;
  }
  return samples;
}

describe('streaming analysis', () => {
  it('gives the same answer fed in pieces as in one array', () => {
    const samples = speechLike(20, 0.3);
    const whole = analyseAudio(samples, rate);
    const analyser = new VoiceAnalyser(rate);
    for (let offset = 0; offset < samples.length; offset += 7919) analyser.push(samples.subarray(offset, offset + 7919));
    const pieces = analyser.finish();
    expect(pieces.speechRmsDbfs).toBeCloseTo(whole.speechRmsDbfs, 6);
    expect(pieces.truePeakDbfs).toBeCloseTo(whole.truePeakDbfs, 6);
    expect(pieces.noiseFloorDbfs).toBeCloseTo(whole.noiseFloorDbfs, 6);
    expect(pieces.durationMs).toBe(whole.durationMs);
  });

  it('removes a DC offset before measuring the pauses', () => {
    const samples = speechLike(20, 0.3).map((value) => value + 0.05);
    const analysis = analyseAudio(samples, rate);
    expect(analysis.noiseFloorDbfs).toBeLessThan(-60);
  });
});

describe('clipping is what is flattened', () => {
  it('does not call float peaks above full scale clipped', () => {
    const hot = speechLike(10, 1.6);
    expect(analyseAudio(hot, rate).clippedShare).toBe(0);
  });

  it('finds runs of equal samples at the peak, at any level', () => {
    const clipped = speechLike(10, 1.6).map((value) => Math.max(-0.9, Math.min(0.9, value)));
    expect(analyseAudio(clipped, rate).clippedShare).toBeGreaterThan(0.01);
  });

  it('counts near-full-scale samples of a lossy source, whose flat tops come back as ripples', () => {
    const rippled = speechLike(10, 1.6).map((value) => Math.max(-0.99, Math.min(0.99, value)) + 0.001 * Math.sin(value * 1000));
    expect(analyseAudio(rippled, rate).clippedShare).toBe(0);
    expect(analyseAudio(rippled, rate, { lossy: true }).clippedShare).toBeGreaterThan(0.01);
  });
});

describe('channel mix', () => {
  it('uses the difference when the channels cancel, the live channel when one is dead, else the average', () => {
    expect(chooseMix({ left: 0.01, right: 0.01, sum: 1e-9, difference: 0.01 }).mix).toBe('difference');
    // The depth is given up to 60 dB; deeper is a decoder's rounding, the same sound decoded twice differs there.
    expect(chooseMix({ left: 0.01, right: 0.01, sum: 1e-9, difference: 0.01 }).reason).toContain('the sum is more than 60 dB quieter');
    expect(chooseMix({ left: 0.01, right: 0.01, sum: 1e-6, difference: 0.01 }).reason).toContain('the sum is 40 dB quieter');
    expect(chooseMix({ left: 0.01, right: 1e-9, sum: 0.0025, difference: 0.0025 }).mix).toBe('left');
    expect(chooseMix({ left: 1e-9, right: 0.01, sum: 0.0025, difference: 0.0025 }).mix).toBe('right');
    expect(chooseMix({ left: 0.01, right: 0.008, sum: 0.009, difference: 0.0001 }).mix).toBe('average');
  });
});

describe('bandwidth and speech-likeness', () => {
  it('measures a long-term spectrum without leakage across a band edge', () => {
    const spectrum = new PowerSpectrum(rate);
    for (let index = 0; index < rate * 2; index++) spectrum.push(Math.sin((2 * Math.PI * 3400 * index) / rate));
    expect(10 * Math.log10(spectrum.share(4000, rate / 2))).toBeLessThan(-60);
    expect(spectrum.share(3300, 3500)).toBeGreaterThan(0.99);
  });

  it('warns narrowband from the rate and from a spectrum with nothing above 4 kHz', () => {
    const full = analyseAudio(speechLike(20, 0.2), rate);
    expect(bandwidthCheck(full, rate)).toBeNull();
    expect(bandwidthCheck(full, 8000)?.reason).toMatch(/Narrowband: recorded at 8 kHz, so nothing above 4 kHz was kept/);
    // A band edge is said to a tenth of a kilohertz, the rate by its own name.
    expect(bandwidthCheck(full, 11025)?.reason).toMatch(/recorded at 11\.025 kHz, so nothing above 5\.5 kHz was kept/);
    const phone = analyseAudio(speechLike(20, 0.2, [220, 1200, 3000]), rate);
    expect(phone.highBandShareDb).toBeLessThan(voiceSource.narrowband.highBandShareDb);
    expect(bandwidthCheck(phone, rate)?.verdict).toBe('warn');
  });

  it('scores syllables and pauses above a continuous chord', () => {
    const chord = new Float32Array(rate * 20).map((_unused, index) => 0.2 * Math.sin((2 * Math.PI * 523 * index) / rate));
    expect(speechScore(analyseAudio(chord, rate))).toBeLessThan(0.05);
    expect(speechScore(analyseAudio(speechLike(20, 0.2), rate))).toBeGreaterThan(0.15);
  });
});
