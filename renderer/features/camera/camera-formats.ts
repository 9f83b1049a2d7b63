/**
 * What the camera can be asked for: the recording formats in order of preference, and the
 * resolutions and frame rates this camera offers, read from its capabilities.
 */
import { cameraCapture } from '../../../shared/requirements';

/**
 * H.264 in MP4 first: preparation then copies the picture instead of re-encoding it (Chromium
 * records avc1 with Opus, never AAC; the sound is re-encoded, which is quick). WebM is the fallback.
 */
export const videoMimeTypes = [
  'video/mp4;codecs=avc1,opus',
  'video/mp4;codecs=avc1',
  'video/webm;codecs=h264,opus',
  'video/webm;codecs=vp9,opus',
  'video/webm;codecs=vp8,opus',
  'video/webm',
] as const;

export type Resolution = (typeof cameraCapture.resolutions)[number];

export type CameraOffer = {
  resolutions: Resolution[];
  frameRates: number[];
  /** The largest frame the camera gives: what a photo is taken at. */
  maxWidth: number | null;
  maxHeight: number | null;
};

type Range = { max?: number; min?: number };

/** The choices to show for a camera, from its track's capabilities (absent ones: offer the default only). */
export function cameraOffer(track: MediaStreamTrack | null): CameraOffer {
  const capabilities = (track?.getCapabilities?.() ?? {}) as { width?: Range; height?: Range; frameRate?: Range };
  const maxWidth = capabilities.width?.max ?? null;
  const maxHeight = capabilities.height?.max ?? null;
  const maxRate = capabilities.frameRate?.max ?? cameraCapture.defaultFrameRate;
  const resolutions = cameraCapture.resolutions.filter(
    (resolution, index) => index === 0 || (maxWidth !== null && maxHeight !== null && maxWidth >= resolution.width && maxHeight >= resolution.height),
  );
  const frameRates = cameraCapture.frameRates.filter((rate) => rate <= Math.max(maxRate, cameraCapture.defaultFrameRate));
  return { resolutions, frameRates, maxWidth, maxHeight };
}

export function resolutionLabel(resolution: Resolution): string {
  return `${resolution.height}p (${resolution.width}×${resolution.height})`;
}

const codecNames: Record<string, string> = { avc1: 'H.264', avc3: 'H.264', h264: 'H.264', vp8: 'VP8', vp9: 'VP9', av01: 'AV1', opus: 'Opus' };

/** "video/mp4;codecs=avc1,opus" → "MP4 (H.264 + Opus)". */
export function describeRecording(mimeType: string): string {
  const container = mimeType.toLowerCase().startsWith('video/mp4') ? 'MP4' : 'WebM';
  const codecs = (/codecs=([^;]+)/i.exec(mimeType)?.[1] ?? '')
    .split(',')
    .map((codec) => codec.trim())
    .filter(Boolean)
    .map((codec) => codecNames[codec.split('.')[0]!.toLowerCase()] ?? codec);
  return codecs.length > 0 ? `${container} (${codecs.join(' + ')})` : container;
}
