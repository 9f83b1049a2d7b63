/**
 * A camera frame into the v1 photo: at the camera's own resolution, cropped to the guide's 16:9 box
 * (never mirrored: the preview is, the photo is not) and stored as PNG, so the only lossy step is
 * the prepared upload JPEG. Imported pictures are not touched here: their own bytes go to the studio.
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
