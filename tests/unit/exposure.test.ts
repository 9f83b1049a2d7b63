/** The exposure check on synthetic frames whose right answers are known: dark, bright, normal, clipped, crushed, uneven. */
import { describe, expect, it } from 'vitest';
import {
  type ExposureAnalysis,
  type LumaFrame,
  analyseExposure,
  exposureChecks,
  exposureVerdict,
  lumaFromPixels,
  samplingStep,
  summariseExposure,
} from '../../shared/exposure';
import { exposureQuality } from '../../shared/requirements';

const width = 160;
const height = 90;

/** A frame whose pixels come from `value(x, y)` (0–255). */
function frame(value: (x: number, y: number) => number): LumaFrame {
  const luma = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) luma[y * width + x] = Math.max(0, Math.min(255, Math.round(value(x, y))));
  return { width, height, luma };
}

/** A face-like scene: a smooth gradient around `mean` (no pixel clipped or crushed unless the mean is extreme). */
function scene(mean: number, spread = 40): LumaFrame {
  return frame((x, y) => mean + spread * Math.sin((x / width) * Math.PI * 2) * Math.cos((y / height) * Math.PI));
}

function verdictOf(analysis: ExposureAnalysis, id: string): string | undefined {
  return exposureChecks(analysis).find((check) => check.id === id)?.verdict;
}

describe('analyseExposure', () => {
  it('measures the mean luma and the shares of clipped and crushed pixels exactly', () => {
    // A quarter pure white, a quarter pure black, half mid-grey (128).
    const analysis = analyseExposure(frame((x) => (x < 40 ? 255 : x < 80 ? 0 : 128)));
    expect(analysis.clippedShare).toBeCloseTo(0.25, 6);
    expect(analysis.crushedShare).toBeCloseTo(0.25, 6);
    expect(analysis.meanLuma).toBeCloseTo((0.25 * 255 + 0.5 * 128) / 255, 6);
    expect(analysis.frames).toBe(1);
  });

  it('measures only inside a region when given one (the photo guide)', () => {
    const bright = frame((x) => (x >= 40 && x < 120 ? 200 : 0));
    expect(analyseExposure(bright).meanLuma).toBeCloseTo(100 / 255, 2);
    expect(analyseExposure(bright, { x: 40, y: 0, width: 80, height: 90 }).meanLuma).toBeCloseTo(200 / 255, 6);
  });

  it('leaves masked pixels (transparent parts of a picture) out of every measure', () => {
    // Left half black and masked out, right half mid-grey: judged as the grey alone.
    const luma = new Uint8Array(100 * 10);
    const mask = new Uint8Array(100 * 10);
    for (let y = 0; y < 10; y++) for (let x = 50; x < 100; x++) [luma[y * 100 + x], mask[y * 100 + x]] = [128, 1];
    const analysis = analyseExposure({ width: 100, height: 10, luma, mask });
    expect(analysis.crushedShare).toBe(0);
    expect(analysis.meanLuma).toBeCloseTo(128 / 255, 5);
    expect(analyseExposure({ width: 100, height: 10, luma }).crushedShare).toBe(0.5);
  });

  it('reports which half is darker', () => {
    const uneven = analyseExposure(frame((x) => (x < width / 2 ? 60 : 180)));
    expect(uneven.sideDifference).toBeCloseTo(120 / 255, 6);
    expect(analyseExposure(scene(128, 0)).sideDifference).toBe(0);
  });

  it('turns RGBA pixels into Rec. 709 luma and samples big pictures sparsely', () => {
    // Pure red, green, blue, white pixels in a 2×2 RGBA picture.
    const pixels = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);
    const luma = lumaFromPixels(pixels, 2, 2);
    expect([...luma.luma]).toEqual([54, 182, 18, 255]);
    expect(lumaFromPixels(new Uint8Array(10 * 10 * 4), 10, 10, 4, 3)).toMatchObject({ width: 4, height: 4 });
    expect(samplingStep(3840)).toBe(Math.floor(3840 / (exposureQuality.sampleWidth * 4)));
    expect(samplingStep(100)).toBe(1);
  });
});

describe('exposure verdicts', () => {
  it('passes a normally lit frame', () => {
    const analysis = analyseExposure(scene(128));
    const verdict = exposureVerdict(analysis);
    expect(verdict.verdict).toBe('pass');
    expect(verdict.headline).toBe('Good light');
    expect(exposureChecks(analysis).map((check) => check.verdict)).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  it('fails a dark frame as too dark, with crushed shadows', () => {
    const analysis = analyseExposure(scene(10, 10));
    expect(analysis.meanLuma).toBeLessThan(exposureQuality.meanLumaFail.min);
    expect(verdictOf(analysis, 'brightness')).toBe('fail');
    expect(verdictOf(analysis, 'shadows')).toBe('fail');
    const verdict = exposureVerdict(analysis);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.headline).toBe('Too dark');
    expect(verdict.detail).toMatch(/Add light/);
  });

  it('warns about a frame that is only a little dark', () => {
    const analysis = analyseExposure(scene(50, 10));
    expect(verdictOf(analysis, 'brightness')).toBe('warn');
    expect(exposureVerdict(analysis).headline).toBe('A little dark');
  });

  it('fails a bright frame as too bright, with blown highlights', () => {
    const analysis = analyseExposure(scene(240, 20));
    expect(verdictOf(analysis, 'brightness')).toBe('fail');
    expect(verdictOf(analysis, 'highlights')).toBe('fail');
    expect(exposureVerdict(analysis).headline).toBe('Too bright');
  });

  it('judges clipped highlights on their own when the mean is fine (a window behind the person)', () => {
    // 10 % of the frame pure white, the rest a normal scene.
    const analysis = analyseExposure(frame((x, y) => (x < 16 ? 255 : 110 + 30 * Math.sin(y / 10))));
    expect(verdictOf(analysis, 'brightness')).toBe('pass');
    expect(analysis.clippedShare).toBeCloseTo(0.1, 6);
    expect(verdictOf(analysis, 'highlights')).toBe('fail');
    expect(exposureVerdict(analysis).headline).toBe('Blown highlights');
  });

  it('warns about light from one side only', () => {
    const analysis = analyseExposure(frame((x) => (x < width / 2 ? 70 : 170)));
    expect(verdictOf(analysis, 'evenness')).toBe('warn');
    expect(exposureChecks(analysis).find((check) => check.id === 'evenness')?.reason).toMatch(/left half/);
  });

  it('sits exactly on the table: a mean at the warning edge passes, just under it warns', () => {
    const at = { meanLuma: exposureQuality.meanLuma.min, clippedShare: 0, crushedShare: 0, sideDifference: 0, frames: 1 };
    expect(verdictOf(at, 'brightness')).toBe('pass');
    expect(verdictOf({ ...at, meanLuma: exposureQuality.meanLuma.min - 0.001 }, 'brightness')).toBe('warn');
    expect(verdictOf({ ...at, clippedShare: exposureQuality.clippedHighlightsShare.warn }, 'highlights')).toBe('warn');
    expect(verdictOf({ ...at, crushedShare: exposureQuality.crushedShadowsShare.fail }, 'shadows')).toBe('fail');
  });
});

describe('summariseExposure', () => {
  it('takes the median of a take, so a few odd frames do not decide it', () => {
    const normal = analyseExposure(scene(128));
    const dark = analyseExposure(scene(10, 5));
    const summary = summariseExposure([normal, normal, dark, normal, normal]);
    expect(summary?.meanLuma).toBeCloseTo(normal.meanLuma, 6);
    expect(summary?.frames).toBe(5);
    expect(exposureVerdict(summary!).verdict).toBe('pass');
  });

  it('has nothing to say about no frames', () => {
    expect(summariseExposure([])).toBeNull();
  });
});

describe('the live verdict in a mirrored preview', () => {
  it('names the darker side as the person sees it', () => {
    // The camera sees its right half dark; a mirrored preview shows that half on the left.
    const analysis = analyseExposure(frame((x) => (x < width / 2 ? 170 : 70)));
    expect(exposureVerdict(analysis).detail).toMatch(/^The right half is/);
    expect(exposureVerdict(analysis, { mirrored: true }).detail).toMatch(/^The left half of the preview is/);
  });
});
