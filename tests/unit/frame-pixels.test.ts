/**
 * The face check's frame reader (renderer/capture/frame-pixels.ts): camera YUV (I420 and NV12, with
 * padded rows, studio and full range, BT.601 and BT.709) to scaled RGB, and the luma thumbnail, face
 * region and sharpness measured on it (shared/faces.ts), the same on the main process's RGBA bytes.
 */
import { describe, expect, it } from 'vitest';
import { matrixOf, rgbFromRgba, rgbFromYuv, type YuvPlanes } from '../../renderer/capture/frame-pixels';
import { faceSharpness, laplacianVariance, lumaRegion, lumaThumbnail } from '../../shared/faces';

type Pixel = { y: number; u: number; v: number };

/**
 * A `width`×`height` frame laid out as a camera delivers it: rows `pad` bytes longer than the
 * picture, chroma at half resolution, I420 (three planes) or NV12 (U and V interleaved).
 */
function frame(
  format: 'I420' | 'NV12',
  width: number,
  height: number,
  at: (x: number, y: number) => Pixel,
  options: Partial<YuvPlanes> = {},
  pad = 16,
): YuvPlanes {
  const lumaStride = width + pad;
  const chromaWidth = Math.ceil(width / 2);
  const chromaHeight = Math.ceil(height / 2);
  const chromaStride = (format === 'NV12' ? chromaWidth * 2 : chromaWidth) + pad;
  const lumaSize = lumaStride * height;
  const chromaSize = chromaStride * chromaHeight;
  const data = new Uint8Array(lumaSize + chromaSize * (format === 'NV12' ? 1 : 2));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * lumaStride + x] = at(x, y).y;
  for (let y = 0; y < chromaHeight; y++) {
    for (let x = 0; x < chromaWidth; x++) {
      const { u, v } = at(x * 2, y * 2);
      if (format === 'NV12') {
        data[lumaSize + y * chromaStride + x * 2] = u;
        data[lumaSize + y * chromaStride + x * 2 + 1] = v;
      } else {
        data[lumaSize + y * chromaStride + x] = u;
        data[lumaSize + chromaSize + y * chromaStride + x] = v;
      }
    }
  }
  const layout =
    format === 'NV12'
      ? [
          { offset: 0, stride: lumaStride },
          { offset: lumaSize, stride: chromaStride },
        ]
      : [
          { offset: 0, stride: lumaStride },
          { offset: lumaSize, stride: chromaStride },
          { offset: lumaSize + chromaSize, stride: chromaStride },
        ];
  return { format, data, layout, width, height, matrix: 'bt601', fullRange: false, ...options };
}

const pixel = (picture: { data: Float32Array; width: number }, x: number, y: number) =>
  Array.from(picture.data.subarray((y * picture.width + x) * 3, (y * picture.width + x) * 3 + 3)).map(Math.round);

describe('camera YUV to scaled RGB', () => {
  it('reads studio-range BT.601 white, black and red, from I420 and from NV12 alike', () => {
    // Left third white, middle black, right third red (BT.601 studio range: Y 81, Cb 90, Cr 240).
    const colours = (x: number): Pixel => (x < 64 ? { y: 235, u: 128, v: 128 } : x < 128 ? { y: 16, u: 128, v: 128 } : { y: 81, u: 90, v: 240 });
    for (const format of ['I420', 'NV12'] as const) {
      const picture = rgbFromYuv(frame(format, 192, 108, colours), 96, 54);
      expect(picture).toMatchObject({ width: 96, height: 54 });
      expect(picture.data.length).toBe(96 * 54 * 3);
      expect(pixel(picture, 10, 20)).toEqual([255, 255, 255]);
      expect(pixel(picture, 48, 20)).toEqual([0, 0, 0]);
      const [red, green, blue] = pixel(picture, 85, 20);
      expect(red).toBeGreaterThanOrEqual(250);
      expect(green).toBeLessThanOrEqual(5);
      expect(blue).toBeLessThanOrEqual(5);
    }
  });

  it('honours full range and the BT.709 matrix a frame names', () => {
    const grey = rgbFromYuv(
      frame('I420', 64, 36, () => ({ y: 128, u: 128, v: 128 }), { fullRange: true }),
      32,
      18,
    );
    expect(pixel(grey, 5, 5)).toEqual([128, 128, 128]);
    // BT.709 studio-range pure green: Y 173, Cb 42, Cr 26.
    const green = rgbFromYuv(
      frame('I420', 64, 36, () => ({ y: 173, u: 42, v: 26 }), { matrix: 'bt709' }),
      32,
      18,
    );
    const [red, g, blue] = pixel(green, 5, 5);
    expect(g).toBeGreaterThanOrEqual(250);
    expect(red).toBeLessThanOrEqual(5);
    expect(blue).toBeLessThanOrEqual(5);
    expect(matrixOf('bt709')).toBe('bt709');
    expect(matrixOf('smpte170m')).toBe('bt601');
    expect(matrixOf(null)).toBe('bt601');
  });

  it('scales with the frame: what is on the left stays on the left, what is at the bottom at the bottom', () => {
    const quarters = (x: number, y: number): Pixel => ({ y: x < 640 === y < 360 ? 235 : 16, u: 128, v: 128 });
    const picture = rgbFromYuv(frame('I420', 1280, 720, quarters), 480, 270);
    expect(pixel(picture, 100, 50)[0]).toBe(255);
    expect(pixel(picture, 380, 50)[0]).toBe(0);
    expect(pixel(picture, 100, 220)[0]).toBe(0);
    expect(pixel(picture, 380, 220)[0]).toBe(255);
  });

  it('reads a canvas’s RGBA bytes the same way', () => {
    const rgba = new Uint8ClampedArray([10, 20, 30, 255, 40, 50, 60, 0]);
    expect(Array.from(rgbFromRgba(rgba, 2, 1).data)).toEqual([10, 20, 30, 40, 50, 60]);
  });
});

describe('measures on the picture', () => {
  const grey = (level: number) => rgbFromRgba(new Uint8ClampedArray(480 * 270 * 4).fill(level), 480, 270);

  it('the thumbnail is the mean luma of each block, so a cut shows in it', () => {
    const picture = rgbFromYuv(
      frame('I420', 320, 180, (x) => ({ y: x < 160 ? 235 : 16, u: 128, v: 128 })),
      320,
      180,
    );
    const thumb = lumaThumbnail(picture, 32, 18);
    expect(thumb.length).toBe(32 * 18);
    expect(thumb[0]).toBe(255);
    expect(thumb[31]).toBe(0);
    expect(Array.from(lumaThumbnail(grey(100), 32, 18)).every((value) => value === 100)).toBe(true);
  });

  it('a face region is scaled to the measuring height; a sharp one measures sharper than the same one blurred', () => {
    expect(lumaRegion(grey(100), { x: 10, y: 10, width: 6, height: 40 }, 64)).toBeNull();
    const flat = lumaRegion(grey(100), { x: 100, y: 50, width: 90, height: 120 }, 64)!;
    expect(flat).toMatchObject({ width: 48, height: 64 });
    expect(laplacianVariance(flat.luma, flat.width, flat.height)).toBeCloseTo(0, 6);
    // Stripes 4 px wide, sharp and softened by a box blur of their own width.
    const stripes = (blur: boolean) => {
      const rgba = new Uint8ClampedArray(480 * 270 * 4);
      for (let y = 0; y < 270; y++) {
        for (let x = 0; x < 480; x++) {
          let value = 0;
          const taps = blur ? [-2, -1, 0, 1, 2] : [0];
          for (const dx of taps) value += Math.floor((x + dx) / 4) % 2 ? 200 : 40;
          rgba.fill(value / taps.length, (y * 480 + x) * 4, (y * 480 + x) * 4 + 3);
        }
      }
      const region = lumaRegion(rgbFromRgba(rgba, 480, 270), { x: 100, y: 50, width: 96, height: 128 }, 64)!;
      return laplacianVariance(region.luma, region.width, region.height);
    };
    expect(stripes(false)).toBeGreaterThan(4 * stripes(true));
  });

  it('measures the same sharpness and thumbnail on the page’s RGB floats and on the main process’s RGBA bytes', () => {
    const rgba = new Uint8Array(480 * 270 * 4);
    for (let i = 0; i < 480 * 270; i++) rgba.set([(i * 7) % 256, (i * 13) % 256, (i * 29) % 256, 255], i * 4);
    const bytes = { data: rgba, width: 480, height: 270, channels: 4 as const };
    const floats = rgbFromRgba(rgba, 480, 270);
    const box = { x: 0.2, y: 0.1, width: 0.3, height: 0.6 };
    expect(faceSharpness(bytes, box)).toBeGreaterThan(100);
    expect(faceSharpness(bytes, box)).toBeCloseTo(faceSharpness(floats, box)!, 6);
    expect(Array.from(lumaThumbnail(bytes, 32, 18))).toEqual(Array.from(lumaThumbnail(floats, 32, 18)));
    expect(faceSharpness(bytes, { x: 0, y: 0, width: 0.01, height: 0.5 })).toBeNull();
  });
});
