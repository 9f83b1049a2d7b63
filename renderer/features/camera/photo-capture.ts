/**
 * Pixels into the v1 photo: a camera frame at the camera's own resolution, cropped to the guide's
 * 16:9 box (never mirrored: the preview is, the photo is not), or an imported picture cropped the
 * same way. Both are stored as PNG, so the only lossy step is the prepared upload JPEG.
 */
import { photoCrop } from '../../../shared/camera';

export type PhotoPixels = { blob: Blob; width: number; height: number };

function toPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The picture could not be encoded.'))), 'image/png');
  });
}

function cropToPng(source: CanvasImageSource, width: number, height: number): Promise<PhotoPixels> {
  const crop = photoCrop(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = crop.width;
  canvas.height = crop.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This window cannot draw pictures.');
  context.drawImage(source, crop.x, crop.y, crop.width, crop.height, 0, 0, crop.width, crop.height);
  return toPng(canvas).then((blob) => ({ blob, width: crop.width, height: crop.height }));
}

/** The frame on screen now, at the full size the camera delivers, cropped to the photo guide. */
export function captureFrame(video: HTMLVideoElement): Promise<PhotoPixels> {
  if (video.readyState < 2 || video.videoWidth === 0) throw new Error('The camera has not delivered a picture yet.');
  return cropToPng(video, video.videoWidth, video.videoHeight);
}

/**
 * An imported file cropped to the largest centred 16:9 picture. Null when the browser cannot decode
 * it: the file then goes to the studio as it is, which names what is wrong with it.
 */
export async function cropImport(file: Blob): Promise<PhotoPixels | null> {
  let bitmap: ImageBitmap;
  try {
    // EXIF orientation applied: a phone's portrait photo is cropped as it is seen.
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return null;
  }
  try {
    return await cropToPng(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}
