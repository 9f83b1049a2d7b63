/**
 * The one place the studio reads a picture (a stored photo, an import, a still): sharp (libvips)
 * decides what the bytes are, applies the EXIF orientation, converts to sRGB and 8 bits, and hands
 * back upright pixels at the size asked for. Camera checks, preparation and anyone else who needs a
 * photo's pixels (face checks) call these functions rather than decoding a picture themselves.
 */
import { promises as fs } from 'node:fs';
import sharp, { type KernelEnum, type Metadata, type Sharp } from 'sharp';
import { StudioError } from '../../../shared/errors';
import type { LumaFrame, Rect } from '../../../shared/exposure';
import { photoRules } from '../../../shared/requirements';

/** The formats the studio reads; anything else (HEIC, GIF, SVG, PDF…) is refused with a reason. */
export const pictureFormats = ['jpeg', 'png', 'webp', 'avif', 'tiff'] as const;
export type PictureFormat = (typeof pictureFormats)[number];

/** What a picture is, as a person sees it (after its EXIF orientation). */
export type PictureInfo = {
  format: PictureFormat;
  /** Displayed width and height in pixels: a portrait phone photo stored 4032×3024 with orientation 6 is 3024×4032. */
  width: number;
  height: number;
  /** EXIF orientation as stored, 1–8 (1 when the file has none). 5–8 swap width and height. */
  orientation: number;
  /** The file has an alpha channel (it may still be fully opaque). */
  hasAlpha: boolean;
  /** Bits per sample as stored (8, or 16 for a 16-bit PNG or TIFF). */
  bitsPerSample: number;
  /** The stored colour space as libvips names it: 'srgb', 'b-w' (greyscale), 'cmyk', 'rgb16', 'grey16'. */
  space: string;
  /** The file carries its own ICC colour profile (converted to sRGB when decoded). */
  hasProfile: boolean;
};

/**
 * Upright sRGB pixels of a picture: `rgb` is width×height×3 bytes, row by row; `alpha` (one byte a
 * pixel, 0 transparent … 255 opaque) is null for a picture without transparency.
 */
export type DecodedPicture = { info: PictureInfo; width: number; height: number; rgb: Buffer; alpha: Buffer | null };

/** A picture as the camera checks need it: its info, and luma of its upright pixels (transparent ones masked out). */
export type MeasuredPicture = PictureInfo & {
  /** Luma at about exposureQuality.sampleWidth × 4 across, transparent pixels flattened and masked out. */
  luma: LumaFrame;
  /** Share of the picture (0..1) that is more than half transparent. */
  transparentShare: number;
};

/**
 * Transparent areas are filled with 50 % grey: luma 0.5, the middle of the exposure band, so a
 * cut-out person is judged on themselves and the avatar gets a plain neutral backdrop.
 */
export const transparentBackground = { r: 128, g: 128, b: 128 } as const;

/** Measured pictures are this wide (the exposure shares need no more), matching samplingStep's target. */
const measureWidth = 640;

const heicBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/**
 * An iPhone's HEIC, by its `ftyp` box: sharp's prebuilt libvips reads AVIF but carries no HEVC
 * decoder (a patent-encumbered codec), so such a file is named for what it is, not "damaged".
 */
export function isHeic(head: Uint8Array): boolean {
  if (head.length < 16 || String.fromCharCode(...head.subarray(4, 8)) !== 'ftyp') return false;
  const size = Math.min(head.length, new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0));
  const brands = [String.fromCharCode(...head.subarray(8, 12))];
  for (let offset = 16; offset + 4 <= size; offset += 4) brands.push(String.fromCharCode(...head.subarray(offset, offset + 4)));
  return brands.some((brand) => heicBrands.has(brand)) && !brands.includes('avif');
}

const heicMessage =
  'This is an HEIC picture (an iPhone’s own format), which the studio cannot read. Export it as JPEG first: on the iPhone, Settings → Camera → Formats → “Most Compatible”, or share it as JPEG from Photos; on a Mac, open it in Preview and choose File → Export → JPEG.';
const unknownMessage = 'This file is not a picture the studio can use: import a JPEG, PNG, WebP, AVIF or TIFF.';

function limitMessage(width?: number, height?: number): string {
  const size = width && height ? `${width}×${height}` : 'larger';
  return `This picture is ${size}: larger than the studio reads (${Math.round(photoRules.maxPixels / 1e6)} megapixels). Scale it down first.`;
}

async function headOf(input: string | Buffer): Promise<Uint8Array> {
  if (typeof input !== 'string') return input.subarray(0, 64);
  const handle = await fs.open(input, 'r');
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buffer, 0, 64, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A libvips failure in plain words; StudioErrors pass through. */
function readFailure(error: unknown, format: PictureFormat | null): StudioError {
  if (error instanceof StudioError) return error;
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
  if (/pixel limit/i.test(reason)) return new StudioError('MEDIA', limitMessage());
  if (/unsupported image format/i.test(reason)) return new StudioError('MEDIA', unknownMessage);
  const what = format ? format.toUpperCase() : 'picture';
  return new StudioError('MEDIA', `This ${what} is damaged and cannot be read (${reason}).`);
}

function pipeline(input: string | Buffer): Sharp {
  // autoOrient: the pixels come out as a person sees the photo, so every crop and check is in those coordinates.
  // failOn 'error': a truncated file is refused, not silently padded with grey.
  return sharp(input, { autoOrient: true, failOn: 'error', limitInputPixels: photoRules.maxPixels, sequentialRead: true });
}

/**
 * What a picture file (path) or bytes are: format by content, displayed size, orientation, alpha.
 * Errors: StudioError('MEDIA') with a plain reason: HEIC (say how to export a JPEG), not a picture
 * the studio reads, more than photoRules.maxPixels, or damaged.
 */
export async function readPictureInfo(input: string | Buffer): Promise<PictureInfo> {
  if (isHeic(await headOf(input))) throw new StudioError('MEDIA', heicMessage);
  let metadata: Metadata;
  try {
    metadata = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw readFailure(error, null);
  }
  if (metadata.format === 'heif' && metadata.compression !== 'av1') throw new StudioError('MEDIA', heicMessage);
  const format: PictureFormat | null =
    metadata.format === 'heif' ? 'avif' : (pictureFormats as readonly string[]).includes(metadata.format ?? '') ? (metadata.format as PictureFormat) : null;
  if (!format) throw new StudioError('MEDIA', unknownMessage);
  if (!metadata.width || !metadata.height) throw new StudioError('MEDIA', 'This picture has no pixels.');
  if (metadata.width * metadata.height > photoRules.maxPixels) throw new StudioError('MEDIA', limitMessage(metadata.width, metadata.height));
  const orientation = metadata.orientation && metadata.orientation >= 1 && metadata.orientation <= 8 ? metadata.orientation : 1;
  const swapped = orientation >= 5;
  const depth = metadata.depth ?? 'uchar';
  return {
    format,
    width: swapped ? metadata.height : metadata.width,
    height: swapped ? metadata.width : metadata.height,
    orientation,
    hasAlpha: metadata.hasAlpha === true,
    bitsPerSample: depth === 'ushort' || depth === 'short' ? 16 : depth === 'float' || depth === 'uint' ? 32 : 8,
    space: metadata.space ?? 'srgb',
    hasProfile: metadata.hasProfile === true,
  };
}

/**
 * Decodes a picture upright (EXIF orientation applied), in 8-bit sRGB (CMYK, greyscale, 16-bit and
 * embedded ICC profiles converted), optionally only `region` (in displayed pixels) and scaled to
 * fit `maxWidth`×`maxHeight` (never enlarged). Errors as readPictureInfo, plus a damaged file.
 */
export async function decodePicture(
  input: string | Buffer,
  options: { region?: Rect | null; maxWidth?: number; maxHeight?: number; kernel?: keyof KernelEnum } = {},
): Promise<DecodedPicture> {
  const info = await readPictureInfo(input);
  try {
    let image = pipeline(input);
    if (options.region) image = image.extract({ left: options.region.x, top: options.region.y, width: options.region.width, height: options.region.height });
    if (options.maxWidth || options.maxHeight) {
      image = image.resize({
        width: options.maxWidth,
        height: options.maxHeight,
        fit: 'inside',
        withoutEnlargement: true,
        kernel: options.kernel ?? 'lanczos3',
      });
    }
    const { data, info: out } = await image.toColourspace('srgb').ensureAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const pixels = out.width * out.height;
    const rgb = Buffer.allocUnsafe(pixels * 3);
    const alpha = info.hasAlpha ? Buffer.allocUnsafe(pixels) : null;
    for (let index = 0; index < pixels; index++) {
      rgb[index * 3] = data[index * 4]!;
      rgb[index * 3 + 1] = data[index * 4 + 1]!;
      rgb[index * 3 + 2] = data[index * 4 + 2]!;
      if (alpha) alpha[index] = data[index * 4 + 3]!;
    }
    return { info, width: out.width, height: out.height, rgb, alpha };
  } catch (error) {
    throw readFailure(error, info.format);
  }
}

/**
 * Reads a picture for the camera checks: its info and the luma of its upright pixels at about 640
 * across, transparent areas flattened onto `transparentBackground` and left out of the measurement
 * (a pixel more than half transparent is not counted). Errors as decodePicture; a picture with no
 * opaque pixel at all is refused.
 */
export async function measurePicture(input: string | Buffer): Promise<MeasuredPicture> {
  // Nearest neighbour: the measured pixels are real ones, as the live meter's sampling is.
  const decoded = await decodePicture(input, { maxWidth: measureWidth, kernel: 'nearest' });
  const { width, height, rgb, alpha } = decoded;
  const luma = new Uint8Array(width * height);
  const mask = alpha ? new Uint8Array(width * height) : undefined;
  let transparent = 0;
  for (let index = 0; index < width * height; index++) {
    let r = rgb[index * 3]!;
    let g = rgb[index * 3 + 1]!;
    let b = rgb[index * 3 + 2]!;
    if (alpha && mask) {
      const a = alpha[index]! / 255;
      // Flattened as preparation flattens it, so an edge pixel is judged as it will look.
      r = r * a + transparentBackground.r * (1 - a);
      g = g * a + transparentBackground.g * (1 - a);
      b = b * a + transparentBackground.b * (1 - a);
      mask[index] = alpha[index]! >= 128 ? 1 : 0;
      if (!mask[index]) transparent++;
    }
    luma[index] = Math.round(0.2126 * r + 0.7152 * g + 0.0722 * b);
  }
  if (transparent === width * height) throw new StudioError('MEDIA', 'This picture is entirely transparent: there is nothing in it to use.');
  return { ...decoded.info, luma: { width, height, luma, mask }, transparentShare: transparent / (width * height) };
}

/**
 * The sharp pipeline for writing a picture out: upright, in sRGB, and (unless `flatten: false`)
 * with transparency flattened onto `transparentBackground`. Chain extract/resize/encode on it; its
 * errors go through pictureReadFailure for a plain message.
 */
export function uprightPipeline(input: string | Buffer, options: { flatten?: boolean } = {}): Sharp {
  const image = pipeline(input);
  return (options.flatten === false ? image : image.flatten({ background: transparentBackground })).toColourspace('srgb');
}

export { readFailure as pictureReadFailure };
