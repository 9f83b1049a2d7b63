/**
 * The exposure check as pure functions over luma frames: the camera screen runs it live on small
 * frames of the preview, the main process on stored photos, and a video take keeps the summary of
 * what was measured while it was recorded. Every threshold comes from `exposureQuality`.
 */
import { z } from 'zod';
import type { CheckResult } from './drafts';
import { type Verdict, exposureQuality } from './requirements';

/**
 * One byte of luma per pixel, row by row: 0 is black, 255 white. `mask`, when present, says which
 * pixels count (1) and which do not (0: a transparent part of a picture, which has no light to judge).
 */
export type LumaFrame = { width: number; height: number; luma: Uint8Array; mask?: Uint8Array };

export type Rect = { x: number; y: number; width: number; height: number };

/** What one frame (or a whole take, summarised) says about its light; shares and luma are 0..1. */
export const exposureAnalysisSchema = z.object({
  meanLuma: z.number().min(0).max(1),
  clippedShare: z.number().min(0).max(1),
  crushedShare: z.number().min(0).max(1),
  /** Mean luma of the right half minus the left half. */
  sideDifference: z.number().min(-1).max(1),
  /** Frames summarised (1 for a single frame or photo). */
  frames: z.number().int().nonnegative(),
});
export type ExposureAnalysis = z.infer<typeof exposureAnalysisSchema>;

/**
 * Rec. 709 luma of interleaved 8-bit pixels (a canvas's ImageData, a decoded picture), keeping every
 * `step`-th pixel both ways, so a 4K photo is measured on a few hundred thousand pixels.
 */
export function lumaFromPixels(pixels: ArrayLike<number>, width: number, height: number, channels = 4, step = 1): LumaFrame {
  const stride = Math.max(1, Math.floor(step));
  const outWidth = Math.ceil(width / stride);
  const outHeight = Math.ceil(height / stride);
  const luma = new Uint8Array(outWidth * outHeight);
  let out = 0;
  for (let y = 0; y < height; y += stride) {
    let index = y * width * channels;
    for (let x = 0; x < width; x += stride) {
      luma[out++] = Math.round(0.2126 * pixels[index]! + 0.7152 * pixels[index + 1]! + 0.0722 * pixels[index + 2]!);
      index += stride * channels;
    }
  }
  return { width: outWidth, height: outHeight, luma };
}

/** The sampling step that brings a picture of this width down to about `targetWidth` pixels across. */
export function samplingStep(width: number, targetWidth: number = exposureQuality.sampleWidth * 4): number {
  return Math.max(1, Math.floor(width / targetWidth));
}

/**
 * Measures a frame, or the part of it inside `region` (the photo guide's crop, in the frame's
 * pixels); pixels the frame's mask leaves out are not counted anywhere.
 */
export function analyseExposure(frame: LumaFrame, region?: Rect | null): ExposureAnalysis {
  const x0 = Math.max(0, Math.floor(region?.x ?? 0));
  const y0 = Math.max(0, Math.floor(region?.y ?? 0));
  const x1 = Math.min(frame.width, Math.ceil(region ? region.x + region.width : frame.width));
  const y1 = Math.min(frame.height, Math.ceil(region ? region.y + region.height : frame.height));
  const middle = (x0 + x1) / 2;
  const clipLevel = Math.round(exposureQuality.clippedLuma * 255);
  const crushLevel = Math.round(exposureQuality.crushedLuma * 255);
  let sum = 0;
  let clipped = 0;
  let crushed = 0;
  let leftSum = 0;
  let leftCount = 0;
  let rightSum = 0;
  let rightCount = 0;
  let count = 0;
  const mask = frame.mask;
  for (let y = y0; y < y1; y++) {
    const row = y * frame.width;
    for (let x = x0; x < x1; x++) {
      if (mask && !mask[row + x]) continue;
      count++;
      const value = frame.luma[row + x]!;
      sum += value;
      if (value >= clipLevel) clipped++;
      if (value <= crushLevel) crushed++;
      if (x + 0.5 < middle) {
        leftSum += value;
        leftCount++;
      } else {
        rightSum += value;
        rightCount++;
      }
    }
  }
  if (count === 0) return { meanLuma: 0, clippedShare: 0, crushedShare: 0, sideDifference: 0, frames: 0 };
  const left = leftCount > 0 ? leftSum / leftCount / 255 : 0;
  const right = rightCount > 0 ? rightSum / rightCount / 255 : left;
  return {
    meanLuma: sum / count / 255,
    clippedShare: clipped / count,
    crushedShare: crushed / count,
    sideDifference: right - left,
    frames: 1,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A take's light: the median of its frames, so a hand passing the lens or a blink of the lamp does not decide it. */
export function summariseExposure(analyses: readonly ExposureAnalysis[]): ExposureAnalysis | null {
  const measured = analyses.filter((analysis) => analysis.frames > 0);
  if (measured.length === 0) return null;
  return {
    meanLuma: median(measured.map((analysis) => analysis.meanLuma)),
    clippedShare: median(measured.map((analysis) => analysis.clippedShare)),
    crushedShare: median(measured.map((analysis) => analysis.crushedShare)),
    sideDifference: median(measured.map((analysis) => analysis.sideDifference)),
    frames: measured.reduce((total, analysis) => total + analysis.frames, 0),
  };
}

// ---- verdicts ---------------------------------------------------------------------------------

const percent = (share: number) => `${share > 0 && share < 0.01 ? (share * 100).toFixed(1) : Math.round(share * 100)} %`;

/** The exposure checks' ids, so a take's checks can be told apart from its sound checks. */
export const exposureCheckIds = ['brightness', 'highlights', 'shadows', 'evenness'] as const;

/** A check with the short words the live verdict shows. */
type Judged = CheckResult & { headline: string };

function judged(id: string, label: string, verdict: Verdict, headline: string, reason: string, value: number): Judged {
  return { id, label, verdict, headline, reason, value: Number.isFinite(value) ? value : null };
}

function brightness(analysis: ExposureAnalysis): Judged {
  const { min, max } = exposureQuality.meanLuma;
  const fail = exposureQuality.meanLumaFail;
  const mean = analysis.meanLuma;
  const measured = `Average brightness ${percent(mean)}`;
  const band = `${percent(min)}–${percent(max)}`;
  if (mean < fail.min)
    return judged(
      'brightness',
      'Brightness',
      'fail',
      'Too dark',
      `${measured}, far under ${band}: the face will be lost in noise. Add light in front of the person.`,
      mean,
    );
  if (mean > fail.max)
    return judged(
      'brightness',
      'Brightness',
      'fail',
      'Too bright',
      `${measured}, far over ${band}: the picture is washed out. Dim the light or move away from the window.`,
      mean,
    );
  if (mean < min) return judged('brightness', 'Brightness', 'warn', 'A little dark', `${measured}, under ${band}. More light from the front would help.`, mean);
  if (mean > max)
    return judged('brightness', 'Brightness', 'warn', 'A little bright', `${measured}, over ${band}. A little less light would keep detail in the face.`, mean);
  return judged('brightness', 'Brightness', 'pass', 'Good light', `${measured}, within ${band}.`, mean);
}

function highlights(analysis: ExposureAnalysis): Judged {
  const { warn, fail } = exposureQuality.clippedHighlightsShare;
  const share = analysis.clippedShare;
  const measured = `${percent(share)} of the picture is pure white`;
  if (share >= fail)
    return judged(
      'highlights',
      'Highlights',
      'fail',
      'Blown highlights',
      `${measured}: detail is lost there. Keep windows and lamps out of view, or soften the light.`,
      share,
    );
  if (share >= warn) return judged('highlights', 'Highlights', 'warn', 'Some highlights blown', `${measured}. Check that the face is not part of it.`, share);
  return judged('highlights', 'Highlights', 'pass', 'Good light', `${measured}.`, share);
}

function shadows(analysis: ExposureAnalysis): Judged {
  const { warn, fail } = exposureQuality.crushedShadowsShare;
  const share = analysis.crushedShare;
  const measured = `${percent(share)} of the picture is pure black`;
  if (share >= fail)
    return judged(
      'shadows',
      'Shadows',
      'fail',
      'Crushed shadows',
      `${measured}: detail is lost there. Add light, or fill the shadows from the other side.`,
      share,
    );
  if (share >= warn) return judged('shadows', 'Shadows', 'warn', 'Deep shadows', `${measured}. A little fill light would help.`, share);
  return judged('shadows', 'Shadows', 'pass', 'Good light', `${measured}.`, share);
}

/** `mirrored`: the halves are named as a mirrored preview shows them, not as the camera records them. */
function evenness(analysis: ExposureAnalysis, mirrored = false): Judged {
  const difference = analysis.sideDifference;
  const darker = difference > 0 !== mirrored ? 'left' : 'right';
  const measured = `The ${darker} half${mirrored ? ' of the preview' : ''} is ${percent(Math.abs(difference))} darker than the other`;
  if (Math.abs(difference) >= exposureQuality.sideDifference.warn) {
    return judged('evenness', 'Even light', 'warn', 'Uneven light', `${measured}. Light the person from the front, or add light on the ${darker}.`, difference);
  }
  return judged('evenness', 'Even light', 'pass', 'Good light', `${measured}: even enough.`, difference);
}

function strip(check: Judged): CheckResult {
  const { headline: _headline, ...rest } = check;
  return rest;
}

/** The exposure checks of a photo, or of a video take (its summary over the frames measured). */
export function exposureChecks(analysis: ExposureAnalysis): CheckResult[] {
  return [brightness(analysis), highlights(analysis), shadows(analysis), evenness(analysis)].map(strip);
}

export type ExposureVerdict = {
  verdict: Verdict;
  /** Two or three words: "Good light", "Too dark", "Blown highlights". */
  headline: string;
  /** The reason behind the headline, with the numbers. */
  detail: string;
  checks: CheckResult[];
};

const rank: Record<Verdict, number> = { pass: 0, warn: 1, fail: 2 };

/**
 * The live verdict: the worst of the checks, in plain words (brightness first when several are
 * equally bad). `mirrored`: sides are named as the person sees them in a mirrored preview.
 */
export function exposureVerdict(analysis: ExposureAnalysis, options: { mirrored?: boolean } = {}): ExposureVerdict {
  const all = [brightness(analysis), highlights(analysis), shadows(analysis), evenness(analysis, options.mirrored)];
  let worst = all[0]!;
  for (const check of all) if (rank[check.verdict] > rank[worst.verdict]) worst = check;
  return {
    verdict: worst.verdict,
    headline: worst.headline,
    detail: worst.verdict === 'pass' ? `${all[0]!.reason} No blown highlights or crushed shadows to speak of.` : worst.reason,
    checks: all.map(strip),
  };
}
