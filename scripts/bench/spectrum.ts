/** Log-spectral distance between two recordings of the same speech: the benchmark's codec-fidelity figure. */

function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const angle = (-2 * Math.PI) / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < size / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = start + k;
        const b = a + size / 2;
        const tr = (re[b] as number) * wr - (im[b] as number) * wi;
        const ti = (re[b] as number) * wi + (im[b] as number) * wr;
        re[b] = (re[a] as number) - tr;
        im[b] = (im[a] as number) - ti;
        re[a] = (re[a] as number) + tr;
        im[a] = (im[a] as number) + ti;
      }
    }
  }
}

/** The lag (in samples) by which `candidate` trails `reference`, from cross-correlation of their start. */
export function alignment(reference: Float32Array, candidate: Float32Array, maxLag = 4096, window = 24_000): number {
  let best = 0;
  let bestScore = -Infinity;
  const from = Math.min(12_000, Math.max(0, reference.length - window - maxLag));
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let score = 0;
    for (let i = from; i < from + window; i++) score += (reference[i] ?? 0) * (candidate[i + lag] ?? 0);
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

/**
 * RMS over speech frames of the per-bin level difference (dB) between the two spectra, after
 * removing their overall gain difference; 0 dB is identical. Bins from 50 Hz to `maxHz`.
 * Crude next to a perceptual model (PESQ, ViSQOL, neither installable here) but it ranks codecs
 * and bitrates the same way and needs nothing beyond the decoded samples.
 */
export function logSpectralDistance(reference: Float32Array, candidate: Float32Array, sampleRate: number, maxHz: number): number {
  const lag = alignment(reference, candidate);
  const size = 2048;
  const hop = 1024;
  const window = Float64Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
  const first = Math.ceil((50 * size) / sampleRate);
  const last = Math.floor((maxHz * size) / sampleRate);
  const differences: number[] = [];
  const frameLevels: number[] = [];
  const spectra: { ref: Float64Array; cand: Float64Array }[] = [];
  const length = Math.min(reference.length, candidate.length - Math.max(0, lag)) - size;
  for (let start = Math.max(0, -lag); start < length; start += hop) {
    const power = (source: Float32Array, offset: number) => {
      const re = new Float64Array(size);
      const im = new Float64Array(size);
      for (let i = 0; i < size; i++) re[i] = (source[offset + i] ?? 0) * (window[i] as number);
      fft(re, im);
      const out = new Float64Array(last - first + 1);
      for (let bin = first; bin <= last; bin++) out[bin - first] = (re[bin] as number) ** 2 + (im[bin] as number) ** 2 + 1e-12;
      return out;
    };
    const ref = power(reference, start);
    const level = 10 * Math.log10(ref.reduce((sum, value) => sum + value, 0));
    frameLevels.push(level);
    spectra.push({ ref, cand: power(candidate, start + lag) });
  }
  // Speech frames only: within 30 dB of the loudest frame.
  const loudest = Math.max(...frameLevels);
  spectra.forEach(({ ref, cand }, index) => {
    if ((frameLevels[index] as number) < loudest - 30) return;
    // Bins 60 dB under the frame's strongest are inaudible under it: floor both there, so a codec
    // that drops them is not charged for it.
    const floor = Math.max(...ref) * 1e-6;
    for (let bin = 0; bin < ref.length; bin++) {
      differences.push(10 * Math.log10(Math.max(ref[bin] as number, floor) / Math.max(cand[bin] as number, floor)));
    }
  });
  const mean = differences.reduce((sum, value) => sum + value, 0) / differences.length;
  return Math.sqrt(differences.reduce((sum, value) => sum + (value - mean) ** 2, 0) / differences.length);
}
