/**
 * A camera frame as the face check reads it: scaled down to RGB floats (0–255, three a pixel, rows
 * top to bottom), the layout TensorFlow.js takes as it is. Cameras deliver I420 or NV12; drawing such a VideoFrame on a canvas (or making an ImageBitmap
 * of it) has the browser convert every one of its pixels to RGB before scaling, and reading a canvas
 * back and reshaping its RGBA bytes for the model copies the picture twice more: on a 720p frame
 * that costs as much as the face detection itself. Here the YUV planes are read as they are and only
 * the pixels kept are converted, once.
 */
import type { Pixels } from '../../shared/faces';

/** The YUV layouts converted here; any other picture is drawn on a canvas and read back (`rgbFromRgba`). */
export const yuvFormats = ['I420', 'I420A', 'NV12'] as const;
export type YuvFormat = (typeof yuvFormats)[number];

export type YuvPlanes = {
  format: YuvFormat;
  /** The frame's bytes as `VideoFrame.copyTo` wrote them, and where each plane starts and how long its rows are. */
  data: Uint8Array;
  layout: readonly { offset: number; stride: number }[];
  /** The visible picture, pixels. */
  width: number;
  height: number;
  /** BT.709 (HD) or BT.601 (SD and most webcams) coefficients; studio range (16–235) unless `fullRange`. */
  matrix: 'bt709' | 'bt601';
  fullRange: boolean;
};

/** A picture as RGB floats, 0–255, `width * height * 3` of them: the model's input as it is. */
export type RgbPicture = Pixels & { data: Float32Array; channels: 3 };

/** The matrix a VideoFrame's colour space names (BT.601 when it names none or another). */
export function matrixOf(name: string | null | undefined): 'bt709' | 'bt601' {
  return name === 'bt709' ? 'bt709' : 'bt601';
}

/**
 * The picture scaled to `outWidth` × `outHeight`: each output pixel takes the mean of the 2×2 luma
 * samples at its place (less aliasing than the nearest one, like a bilinear scale) and the chroma there.
 */
export function rgbFromYuv(planes: YuvPlanes, outWidth: number, outHeight: number): RgbPicture {
  const { data, layout, width, height, format } = planes;
  const y = layout[0]!;
  const u = layout[1]!;
  // NV12 interleaves U and V in one plane: each chroma sample two bytes apart.
  const v = format === 'NV12' ? { offset: u.offset + 1, stride: u.stride } : layout[2]!;
  const chromaStep = format === 'NV12' ? 2 : 1;
  const [kr, kb] = planes.matrix === 'bt709' ? [0.2126, 0.0722] : [0.299, 0.114];
  const kg = 1 - kr - kb;
  const lumaScale = planes.fullRange ? 1 : 255 / 219;
  const chromaScale = planes.fullRange ? 1 : 255 / 224;
  const lumaOffset = planes.fullRange ? 0 : 16;
  const rv = 2 * (1 - kr) * chromaScale;
  const gu = ((2 * (1 - kb) * kb) / kg) * chromaScale;
  const gv = ((2 * (1 - kr) * kr) / kg) * chromaScale;
  const bu = 2 * (1 - kb) * chromaScale;
  const rgb = new Float32Array(outWidth * outHeight * 3);
  const columns = new Int32Array(outWidth);
  for (let x = 0; x < outWidth; x++) columns[x] = Math.max(0, Math.min(width - 2, Math.floor(((x + 0.5) * width) / outWidth - 0.5)));
  for (let oy = 0, o = 0; oy < outHeight; oy++) {
    const sy = Math.max(0, Math.min(height - 2, Math.floor(((oy + 0.5) * height) / outHeight - 0.5)));
    const row = y.offset + sy * y.stride;
    const below = row + y.stride;
    const uRow = u.offset + ((sy + 1) >> 1) * u.stride;
    const vRow = v.offset + ((sy + 1) >> 1) * v.stride;
    for (let ox = 0; ox < outWidth; ox++, o += 3) {
      const sx = columns[ox]!;
      const luma = (data[row + sx]! + data[row + sx + 1]! + data[below + sx]! + data[below + sx + 1]!) * 0.25;
      const chroma = ((sx + 1) >> 1) * chromaStep;
      const cb = data[uRow + chroma]! - 128;
      const cr = data[vRow + chroma]! - 128;
      const l = (luma - lumaOffset) * lumaScale;
      rgb[o] = clamp(l + rv * cr);
      rgb[o + 1] = clamp(l - gu * cb - gv * cr);
      rgb[o + 2] = clamp(l + bu * cb);
    }
  }
  return { data: rgb, width: outWidth, height: outHeight, channels: 3 };
}

const clamp = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : value);

/** RGBA bytes (a canvas read back) as an RGB picture. */
export function rgbFromRgba(rgba: ArrayLike<number>, width: number, height: number): RgbPicture {
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0, o = 0; o < rgb.length; i += 4, o += 3) {
    rgb[o] = rgba[i]!;
    rgb[o + 1] = rgba[i + 1]!;
    rgb[o + 2] = rgba[i + 2]!;
  }
  return { data: rgb, width, height, channels: 3 };
}
