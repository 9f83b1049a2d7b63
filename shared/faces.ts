/**
 * The face checks as pure functions: what a frame's detected faces mean against the framing guide
 * (no face, more than one, too small or large, off centre, turned away, eyes closed, blurry), the
 * per-second face record a video or consent take carries to `takes/finish` (`faces`), the take's
 * face checks, and whether two face descriptors are the same person. The live preview and the take
 * checks read the same thresholds (`faceQuality` in shared/requirements.ts).
 */
import { z } from 'zod';
import { type FramingGuide, framingGuide } from './camera';
import type { CheckResult } from './drafts';
import type { Rect } from './exposure';
import { type Verdict, faceQuality } from './requirements';

/** The models the face check loads (from `@vladmandic/human`'s package, served by the app itself). */
export const faceModelFiles = ['blazeface', 'facemesh', 'faceres'] as const;
/** TensorFlow.js's WebAssembly binaries (plain and SIMD; the threaded one needs cross-origin isolation the app does not have). */
export const faceWasmFiles = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'] as const;

/** One face found in a frame; the box in shares of the frame (0–1), angles in degrees. */
export type FaceObservation = {
  box: Rect;
  /** The detector's confidence, 0–1. */
  score: number;
  /** Left/right and up/down turn from the face mesh, degrees; null without a mesh. */
  yaw: number | null;
  pitch: number | null;
  /** Eye aspect ratio (lid gap / eye width), mean of both eyes; null without a mesh. */
  eyeOpening: number | null;
  /** Variance of the Laplacian of the face's luma (0–255 scale); null when not measured. */
  sharpness: number | null;
};

/** What one analysed frame holds: its faces, how much the picture changed since the last, and (sometimes) the face descriptor. */
export type FaceFrame = {
  faces: FaceObservation[];
  /** Mean absolute luma change (0–1) from the previous analysed frame; null for the first. */
  change: number | null;
  /** The face descriptor (1024 numbers) of the only face, when computed for this frame. */
  descriptor: number[] | null;
  /** How long the detection took, ms. */
  elapsedMs: number;
};

/** Human enlarges the detector's box by this (its default) before cropping the face for the mesh. */
export const faceDetectorScale = 1.4;
/** The face's share of Human's box (measured: the mesh's extent over the box, 0.50–0.55 on the test photographs). */
const faceShareOfBox = 0.54;

/**
 * The Human settings both face workers use (the page's and the main process's), less where the
 * model and wasm files are: detection afresh on every call (a face that left or a second person
 * must show at once), the face mesh (turn, eyes) and the descriptor (same person); nothing else.
 * Warm-up is off: it loads a data: URL (the page's CSP allows none); the first frame warms up instead.
 */
export const humanFaceConfig = {
  backend: 'wasm',
  warmup: 'none',
  cacheSensitivity: 0,
  debug: false,
  filter: { enabled: false },
  gesture: { enabled: false },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  segmentation: { enabled: false },
  face: {
    enabled: true,
    detector: { rotation: false, maxDetected: 5, minConfidence: 0.5, skipFrames: 0, skipTime: 0, return: false, scale: faceDetectorScale },
    mesh: { enabled: true },
    iris: { enabled: false },
    attention: { enabled: false },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
    description: { enabled: true, skipFrames: 0, skipTime: 0 },
  },
} as const;

/**
 * The face's own box (0–1 of the picture), forehead to chin, from Human's `boxRaw` ([x, y, width,
 * height], 0–1): Human's box is the detector's, enlarged by `faceDetectorScale` and more for the mesh
 * crop; on the test photographs the mesh's own extent is `faceShareOfBox` of it in height and width,
 * on frames with and without a mesh alike. One rule for every frame, so a face's size does not jump
 * between mesh frames and the others.
 */
export function faceBoxOf(boxRaw: readonly [number, number, number, number] | readonly number[]): Rect {
  const [x = 0, y = 0, width = 0, height = 0] = boxRaw;
  const margin = (1 - faceShareOfBox) / 2;
  return { x: x + width * margin, y: y + height * margin, width: width * faceShareOfBox, height: height * faceShareOfBox };
}

/** What the face workers read of one face in Human's result (its `FaceResult`, structurally). */
export type HumanFace = {
  boxRaw: readonly number[];
  boxScore: number;
  mesh: readonly (readonly (number | undefined)[])[];
  rotation?: { angle?: { yaw?: number; pitch?: number } } | null;
};

const degrees = (radians: number | undefined) => (radians === undefined ? null : (radians * 180) / Math.PI);

/**
 * One face of Human's result as an observation: its box, and its turn and eyes when the mesh was
 * computed (468 points); `sharpness` is measured by the caller on its own pixels.
 */
export function observeFace(face: HumanFace, sharpness: number | null): FaceObservation {
  const angle = face.rotation?.angle;
  const meshed = face.mesh.length >= 468;
  return {
    box: faceBoxOf(face.boxRaw),
    score: face.boxScore,
    yaw: meshed ? degrees(angle?.yaw) : null,
    pitch: meshed ? degrees(angle?.pitch) : null,
    eyeOpening: meshed ? eyeOpening(face.mesh) : null,
    sharpness,
  };
}

export type FaceVerdictCode = 'good' | 'no-face' | 'several-faces' | 'too-small' | 'too-large' | 'off-centre' | 'turned-away' | 'eyes-closed' | 'blurry';

export type FaceVerdict = {
  code: FaceVerdictCode;
  verdict: Verdict;
  /** Two or three words: "Face OK", "No face", "More than one face". */
  headline: string;
  /** What to do about it, with the number behind it. */
  detail: string;
};

/** The guide's head oval as shares of the frame. */
function headOf(guide: FramingGuide, width: number, height: number) {
  const { cx, cy, rx, ry } = guide.head;
  return { cx: cx / width, cy: cy / height, rx: rx / width, ry: ry / height };
}

/** A face's height against the guide's head oval (1 = fills it). */
export function faceSizeOfGuide(face: Rect, version: 'v1' | 'v2', frameWidth: number, frameHeight: number): number {
  const head = headOf(framingGuide(version, frameWidth, frameHeight), frameWidth, frameHeight);
  return face.height / (head.ry * 2);
}

const percent = (share: number) => `${Math.round(share * 100)} %`;

/**
 * The live verdict of one frame against the guide of `version` in a frame of `frameWidth`×`frameHeight`
 * pixels: the first problem found, in the order a person would fix them (who is there, where, how).
 */
export function faceVerdict(frame: Pick<FaceFrame, 'faces'>, version: 'v1' | 'v2', frameWidth: number, frameHeight: number): FaceVerdict {
  const { faces } = frame;
  if (faces.length === 0)
    return { code: 'no-face', verdict: 'fail', headline: 'No face', detail: 'No face is found in the picture. Sit in front of the camera, in the oval.' };
  if (faces.length > 1)
    return {
      code: 'several-faces',
      verdict: 'fail',
      headline: 'More than one face',
      detail: `${faces.length} faces are in the picture. Only the person the twin is of may be in it.`,
    };
  const face = faces[0]!;
  const head = headOf(framingGuide(version, frameWidth, frameHeight), frameWidth, frameHeight);
  const size = face.box.height / (head.ry * 2);
  const { min, max } = faceQuality.sizeOfGuide;
  const distance = version === 'v1' ? 'Come closer: waist up, the face in the oval.' : 'Come closer: head and shoulders, the face filling the oval.';
  if (size < min)
    return { code: 'too-small', verdict: 'warn', headline: 'Face too small', detail: `The face is ${percent(size)} of the oval's height. ${distance}` };
  if (size > max)
    return {
      code: 'too-large',
      verdict: 'warn',
      headline: 'Face too large',
      detail: `The face is ${percent(size)} of the oval's height. Move back a little so ${version === 'v1' ? 'the waist shows' : 'the shoulders show'}.`,
    };
  const dx = (face.box.x + face.box.width / 2 - head.cx) / head.rx;
  const dy = (face.box.y + face.box.height / 2 - head.cy) / head.ry;
  if (Math.abs(dx) > faceQuality.offCentre || Math.abs(dy) > faceQuality.offCentre)
    return { code: 'off-centre', verdict: 'warn', headline: 'Off centre', detail: 'The face is outside the oval. Move so the face sits in it.' };
  const turn = Math.max(Math.abs(face.yaw ?? 0), Math.abs(face.pitch ?? 0));
  if (turn > faceQuality.maxTurnDegrees)
    return {
      code: 'turned-away',
      verdict: 'warn',
      headline: 'Turned away',
      detail: `The face is turned ${Math.round(turn)}° from the camera (at most ${faceQuality.maxTurnDegrees}°). Look into the camera.`,
    };
  if (face.eyeOpening !== null && face.eyeOpening < faceQuality.minEyeOpening)
    return { code: 'eyes-closed', verdict: 'warn', headline: 'Eyes closed', detail: 'The eyes look closed. Keep them open, looking into the camera.' };
  if (face.sharpness !== null && face.sharpness < faceQuality.minSharpness)
    return { code: 'blurry', verdict: 'warn', headline: 'Blurry', detail: 'The face is out of focus or moving fast. Check the focus, hold still.' };
  return { code: 'good', verdict: 'pass', headline: 'Face OK', detail: `One face, ${percent(size)} of the oval, facing the camera.` };
}

// ---- what a take carries -----------------------------------------------------------------------

/**
 * The faces of one second of a take: the number of faces seen most often in that second (the
 * mode of its analysed frames), the face's size against the guide's oval (median; null without
 * one face), and whether the picture cut (a scene change) in it.
 */
export const faceSecondSchema = z.object({
  faces: z.number().int().min(0).max(50),
  size: z.number().min(0).max(20).nullable(),
  cut: z.boolean(),
});
export type FaceSecond = z.infer<typeof faceSecondSchema>;

/** A face descriptor: 1024 numbers from Human's faceres model. */
export const faceDescriptorSchema = z.array(z.number().finite()).min(64).max(2048);

/**
 * The faces of a take as the page saw them while it recorded (`takes/finish`'s `faces`): one entry
 * per second of recording and the mean face descriptor of the one face, for "same person".
 */
export const faceRecordSchema = z.object({
  seconds: z.array(faceSecondSchema).max(3600),
  descriptor: faceDescriptorSchema.nullable(),
});
export type FaceRecord = z.infer<typeof faceRecordSchema>;

/** The ids of the checks a face record gives a take (replaced as a group, like the light checks). */
export const faceCheckIds = ['face-one', 'face-gap', 'face-cuts', 'face-size'] as const;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * What a video take's face record says: one face ≥ 95 % of the time, the longest gap, cuts, and the
 * median face size over the seconds with exactly one face (no size check when there are none).
 */
export function faceTakeChecks(record: FaceRecord): CheckResult[] {
  const total = record.seconds.length;
  if (total === 0) return [];
  const one = record.seconds.filter((second) => second.faces === 1).length;
  const share = one / total;
  const { pass, warn } = faceQuality.oneFaceShare;
  const several = record.seconds.filter((second) => second.faces > 1).length;
  const shareVerdict: Verdict = share >= pass ? 'pass' : share >= warn ? 'warn' : 'fail';
  const whoElse = several > 0 ? ` More than one face in ${several} s.` : '';
  const checks: CheckResult[] = [
    {
      id: 'face-one',
      label: 'One face',
      verdict: shareVerdict,
      reason: `Exactly one face in ${percent(share)} of the take (in ${one} of the ${total} seconds looked at, counting a last part-second; at least ${percent(pass)} needed).${whoElse}`,
      value: share,
    },
  ];
  let longest = 0;
  let run = 0;
  for (const second of record.seconds) {
    run = second.faces === 1 ? 0 : run + 1;
    longest = Math.max(longest, run);
  }
  const gap = faceQuality.longestGapSeconds;
  checks.push({
    id: 'face-gap',
    label: 'Longest time without one face',
    verdict: longest > gap.fail ? 'fail' : longest > gap.warn ? 'warn' : 'pass',
    reason:
      longest === 0
        ? 'The face is there all the time.'
        : `${longest} s in a row without exactly one face (a warning over ${gap.warn} s, a failure over ${gap.fail} s).`,
    value: longest,
  });
  const cuts = record.seconds.filter((second) => second.cut).length;
  checks.push({
    id: 'face-cuts',
    label: 'Cuts',
    verdict: cuts === 0 ? 'pass' : 'warn',
    reason: cuts === 0 ? 'One continuous shot.' : `The picture cuts ${cuts} time${cuts === 1 ? '' : 's'}: the avatar needs one continuous shot.`,
    value: cuts,
  });
  // Only seconds with exactly one face have a size to judge (records kept before that rule carry sizes of others).
  const size = median(record.seconds.flatMap((second) => (second.faces !== 1 || second.size === null ? [] : [second.size])));
  if (size !== null) {
    const { min, max } = faceQuality.sizeOfGuide;
    checks.push({
      id: 'face-size',
      label: 'Face size',
      verdict: size < min || size > max ? 'warn' : 'pass',
      reason: `The face is ${percent(size)} of the guide's oval (median; ${percent(min)}–${percent(max)} is right for head and shoulders).`,
      value: size,
    });
  }
  return checks;
}

// ---- what a photo carries ----------------------------------------------------------------------

/**
 * The faces found in a photo's 16:9 part (the part the avatar gets), by the main process when the
 * photo was taken or imported: how many, and the descriptor of the only one (for "same person").
 */
export const photoFacesSchema = z.object({
  count: z.number().int().min(0).max(50),
  descriptor: faceDescriptorSchema.nullable(),
});
export type PhotoFaces = z.infer<typeof photoFacesSchema>;

/** The ids of the checks the face gives a photo. */
export const photoFaceCheckIds = ['face-one', 'face-framing'] as const;

/**
 * A photo's face checks, on the faces found in its 16:9 part of `width`×`height` pixels (boxes in
 * shares of that part), against the v1 waist-up guide, which is exactly that part: exactly one face
 * (none or several fail), then how it sits there (the live verdict's size, place, turn, eyes and
 * sharpness; a problem warns).
 */
export function photoFaceChecks(faces: FaceObservation[], width: number, height: number): CheckResult[] {
  const verdict = faceVerdict({ faces }, 'v1', width, height);
  const one: CheckResult = {
    id: 'face-one',
    label: 'One face',
    verdict: faces.length === 1 ? 'pass' : 'fail',
    reason:
      faces.length === 0
        ? 'No face is found in the part of the photo the avatar gets. The photo must show the person, looking into the camera.'
        : faces.length === 1
          ? 'One face, as the avatar needs.'
          : `${faces.length} faces are in the part of the photo the avatar gets. Only the person the twin is of may be in it.`,
    value: faces.length,
  };
  if (faces.length !== 1) return [one];
  const size = faceSizeOfGuide(faces[0]!.box, 'v1', width, height);
  const { min, max } = faceQuality.sizeOfGuide;
  const framing: CheckResult = {
    id: 'face-framing',
    label: 'Face in the frame',
    verdict: verdict.verdict,
    reason:
      verdict.code === 'good'
        ? `The face is ${percent(size)} of the waist-up guide's oval (${percent(min)}–${percent(max)}), in its place, facing the camera.`
        : `${verdict.headline}: ${verdict.detail}`,
    value: size,
  };
  return [one, framing];
}

/**
 * Keeps a take's faces second by second while it records (the page's side of `faces`): `add` each
 * analysed frame with the recording's elapsed time; `record()` gives what `takes/finish` carries.
 */
export class FaceRecorder {
  private readonly seconds: { counts: number[]; sizes: number[]; cut: boolean }[] = [];
  private descriptorSum: number[] | null = null;
  private descriptorCount = 0;

  constructor(private readonly version: 'v1' | 'v2') {}

  /** Adds a frame analysed `elapsedMs` into the recording, found in a video frame of `frameWidth`×`frameHeight` pixels. */
  add(elapsedMs: number, frame: FaceFrame, frameWidth: number, frameHeight: number): void {
    const index = Math.max(0, Math.floor(elapsedMs / 1000));
    if (index >= 3600) return;
    while (this.seconds.length <= index) this.seconds.push({ counts: [], sizes: [], cut: false });
    const second = this.seconds[index]!;
    second.counts.push(frame.faces.length);
    if (frame.faces.length === 1) second.sizes.push(faceSizeOfGuide(frame.faces[0]!.box, this.version, frameWidth, frameHeight));
    if (frame.change !== null && frame.change > faceQuality.cutLumaChange) second.cut = true;
    if (frame.descriptor && frame.faces.length === 1) {
      this.descriptorSum ??= new Array<number>(frame.descriptor.length).fill(0);
      if (this.descriptorSum.length === frame.descriptor.length) {
        frame.descriptor.forEach((value, i) => (this.descriptorSum![i]! += value));
        this.descriptorCount += 1;
      }
    }
  }

  /**
   * The record so far. A second in which no frame was analysed (the machine was busy, not the face
   * gone) repeats the nearest analysed second before it, or, at the start, the first one after it.
   */
  record(): FaceRecord | null {
    const first = this.seconds.find((second) => second.counts.length > 0);
    if (!first) return null;
    const seconds: FaceSecond[] = [];
    let before: FaceSecond = { ...summarise(first), cut: false };
    for (const second of this.seconds) {
      if (second.counts.length > 0) before = summarise(second);
      seconds.push(second.counts.length > 0 ? before : { ...before, cut: false });
    }
    const descriptor = this.descriptorSum && this.descriptorCount > 0 ? this.descriptorSum.map((value) => value / this.descriptorCount) : null;
    return { seconds, descriptor };
  }
}

/**
 * One second's faces: the count seen most often, and the face's size only when that count is one (a
 * second mostly without a face keeps no size from the odd frame that had one, or the take would show
 * "one face 0 %" beside a passing face size).
 */
function summarise(second: { counts: number[]; sizes: number[]; cut: boolean }): FaceSecond {
  const faces = mode(second.counts);
  return { faces, size: faces === 1 ? median(second.sizes) : null, cut: second.cut };
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = values[0]!;
  for (const [value, count] of counts) if (count > counts.get(best)! || (count === counts.get(best)! && value < best)) best = value;
  return best;
}

// ---- pixels ------------------------------------------------------------------------------------

/**
 * A picture as interleaved RGB or RGBA values, 0–255, rows top to bottom: the page's converted
 * camera frame (floats) and the main process's decoded photo or video frame (bytes) alike, so both
 * measure sharpness and cuts with the same code.
 */
export type Pixels = { data: ArrayLike<number>; width: number; height: number; channels: 3 | 4 };

/** The size of the luma thumbnails compared for cuts (`lumaChange`): 32×18, a 16:9 frame's shape. */
export const cutThumbnail = { width: 32, height: 18 } as const;
/** A face is scaled to this many rows before its sharpness is measured, so small and large faces compare. */
const sharpnessHeight = 64;

/** Luma (BT.709 weights, 0–255) of the picture's pixel at `index` (pixel number, not value number). */
function lumaAt(picture: Pixels, index: number): number {
  const i = index * picture.channels;
  return 0.2126 * picture.data[i]! + 0.7152 * picture.data[i + 1]! + 0.0722 * picture.data[i + 2]!;
}

/** The whole picture as a `width` × `height` luma thumbnail, each value the mean of its block. */
export function lumaThumbnail(picture: Pixels, width: number, height: number): Uint8ClampedArray {
  const thumb = new Uint8ClampedArray(width * height);
  for (let ty = 0; ty < height; ty++) {
    const y0 = Math.floor((ty * picture.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * picture.height) / height));
    for (let tx = 0; tx < width; tx++) {
      const x0 = Math.floor((tx * picture.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * picture.width) / width));
      let sum = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += lumaAt(picture, y * picture.width + x);
      thumb[ty * width + tx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return thumb;
}

/**
 * The luma of a region (`x`, `y`, `width`, `height` in the picture's pixels) scaled bilinearly to
 * `outHeight` rows at its own shape: a face measured at one scale whatever its size. Null for a
 * region under 8 pixels either way.
 */
export function lumaRegion(
  picture: Pixels,
  region: { x: number; y: number; width: number; height: number },
  outHeight: number,
): { luma: Float32Array; width: number; height: number } | null {
  if (region.width < 8 || region.height < 8) return null;
  const outWidth = Math.max(8, Math.round((region.width / region.height) * outHeight));
  const luma = new Float32Array(outWidth * outHeight);
  const maxX = picture.width - 1;
  const maxY = picture.height - 1;
  for (let oy = 0; oy < outHeight; oy++) {
    const sy = Math.min(maxY, Math.max(0, region.y + ((oy + 0.5) * region.height) / outHeight - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(maxY, y0 + 1);
    const fy = sy - y0;
    for (let ox = 0; ox < outWidth; ox++) {
      const sx = Math.min(maxX, Math.max(0, region.x + ((ox + 0.5) * region.width) / outWidth - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(maxX, x0 + 1);
      const fx = sx - x0;
      const top = lumaAt(picture, y0 * picture.width + x0) * (1 - fx) + lumaAt(picture, y0 * picture.width + x1) * fx;
      const bottom = lumaAt(picture, y1 * picture.width + x0) * (1 - fx) + lumaAt(picture, y1 * picture.width + x1) * fx;
      luma[oy * outWidth + ox] = top * (1 - fy) + bottom * fy;
    }
  }
  return { luma, width: outWidth, height: outHeight };
}

/**
 * A face's sharpness: the Laplacian variance of its box (shares of the picture, 0–1) scaled to 64
 * rows. Null when the box is under 8 pixels either way. Compared with `faceQuality.minSharpness`.
 */
export function faceSharpness(picture: Pixels, box: Rect): number | null {
  const region = lumaRegion(
    picture,
    { x: box.x * picture.width, y: box.y * picture.height, width: box.width * picture.width, height: box.height * picture.height },
    sharpnessHeight,
  );
  return region && laplacianVariance(region.luma, region.width, region.height);
}

/** Variance of the 4-neighbour Laplacian over a luma image (0–255): low means soft or blurred. */
export function laplacianVariance(luma: ArrayLike<number>, width: number, height: number): number {
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const value = luma[i - width]! + luma[i + width]! + luma[i - 1]! + luma[i + 1]! - 4 * luma[i]!;
      sum += value;
      sumSquares += value * value;
      count += 1;
    }
  }
  if (count === 0) return 0;
  const mean = sum / count;
  return sumSquares / count - mean * mean;
}

/** Mean absolute difference (0–1) of two luma thumbnails of the same size. */
export function lumaChange(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length / 255;
}

/** Eye aspect ratio from Human's 468-point face mesh (lid gap over eye width, mean of both eyes). */
export function eyeOpening(mesh: readonly (readonly (number | undefined)[])[]): number | null {
  if (mesh.length < 468) return null;
  const gap = (a: number, b: number) => Math.hypot(mesh[a]![0]! - mesh[b]![0]!, mesh[a]![1]! - mesh[b]![1]!);
  const ratio = (upper: number, lower: number, inner: number, outer: number) => gap(upper, lower) / Math.max(1e-6, gap(inner, outer));
  return (ratio(159, 145, 33, 133) + ratio(386, 374, 362, 263)) / 2;
}

// ---- same person -------------------------------------------------------------------------------

/**
 * Similarity of two face descriptors, 0–1: Human's own measure (Euclidean distance × 25, root,
 * normalised to its 0.2–0.8 range and clamped), so the numbers match its documentation.
 */
export function faceSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  const distance = Math.round(100 * 25 * sum) / 100;
  if (distance === 0) return 1;
  const normalised = (1 - Math.sqrt(distance) / 100 - 0.2) / (0.8 - 0.2);
  return Math.round(100 * Math.max(Math.min(normalised, 1), 0)) / 100;
}

export type SamePerson = { same: boolean; similarity: number; headline: string };

/** "Same person" or "looks like a different person", at `faceQuality.samePersonSimilarity`. */
export function samePerson(a: readonly number[], b: readonly number[]): SamePerson {
  const similarity = faceSimilarity(a, b);
  const same = similarity >= faceQuality.samePersonSimilarity;
  return { same, similarity, headline: same ? 'Same person' : 'Looks like a different person' };
}
