/**
 * Reading a stored picture by its bytes: JPEG or PNG (anything else is refused by name), its size,
 * and its luma for the exposure check. Pure JavaScript decoders (jpeg-js, pngjs), so the check
 * needs neither the media engine's queue nor a native module.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { StudioError } from '../../../shared/errors';
import { type LumaFrame, lumaFromPixels, samplingStep } from '../../../shared/exposure';
import { photoRules } from '../../../shared/requirements';

export type PictureFormat = 'jpeg' | 'png';

export type Picture = { format: PictureFormat; width: number; height: number; luma: LumaFrame };

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** What the bytes are, by their signature; null for anything but JPEG and PNG. */
export function sniffPicture(bytes: Uint8Array): PictureFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && pngSignature.every((value, index) => bytes[index] === value)) return 'png';
  return null;
}

/** The size a PNG declares in its header, read before decoding so a huge one is refused cheaply. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function tooLarge(width: number, height: number): StudioError {
  return new StudioError(
    'MEDIA',
    `This picture is ${width}×${height}: larger than the studio can check (${Math.round(photoRules.maxPixels / 1e6)} megapixels). Scale it down first.`,
  );
}

/** Decodes a JPEG or PNG; StudioError('MEDIA') with a plain reason when it is neither, damaged or huge. */
export function readPicture(bytes: Uint8Array): Picture {
  const format = sniffPicture(bytes);
  if (!format) throw new StudioError('MEDIA', 'This file is not a picture the studio can use: import a JPEG or PNG.');
  let width: number;
  let height: number;
  let pixels: Uint8Array;
  try {
    if (format === 'png') {
      const declared = pngSize(bytes);
      if (declared && declared.width * declared.height > photoRules.maxPixels) throw tooLarge(declared.width, declared.height);
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      ({ width, height } = png);
      pixels = png.data;
    } else {
      const image = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        maxResolutionInMP: photoRules.maxPixels / 1e6,
        maxMemoryUsageInMB: 1024,
      });
      ({ width, height } = image);
      pixels = image.data;
    }
  } catch (error) {
    if (error instanceof StudioError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (/maxResolutionInMP|exceeds/i.test(reason))
      throw new StudioError(
        'MEDIA',
        `This picture is larger than the studio can check (${Math.round(photoRules.maxPixels / 1e6)} megapixels). Scale it down first.`,
      );
    throw new StudioError('MEDIA', `This ${format === 'png' ? 'PNG' : 'JPEG'} is damaged and cannot be read (${reason}).`);
  }
  if (!width || !height) throw new StudioError('MEDIA', 'This picture has no pixels.');
  return { format, width, height, luma: lumaFromPixels(pixels, width, height, 4, samplingStep(width)) };
}
