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

/**
 * The choices to show for a camera, from its track's capabilities (absent ones: offer the default
 * only). Only rates the camera can give are offered; one slower than every usual rate is offered as
 * it is (a 15 fps camera offers "15 fps", never a 30 it cannot deliver).
 */
export function cameraOffer(track: Pick<MediaStreamTrack, 'getCapabilities'> | null): CameraOffer {
  const capabilities = (track?.getCapabilities?.() ?? {}) as { width?: Range; height?: Range; frameRate?: Range };
  const maxWidth = capabilities.width?.max ?? null;
  const maxHeight = capabilities.height?.max ?? null;
  const maxRate = capabilities.frameRate?.max ?? null;
  const resolutions = cameraCapture.resolutions.filter(
    (resolution, index) => index === 0 || (maxWidth !== null && maxHeight !== null && maxWidth >= resolution.width && maxHeight >= resolution.height),
  );
  const usual = maxRate === null ? [cameraCapture.defaultFrameRate] : cameraCapture.frameRates.filter((rate) => rate <= maxRate + 0.5);
  const frameRates = usual.length > 0 ? usual : [Math.round(maxRate!)];
  return { resolutions, frameRates, maxWidth, maxHeight };
}

/**
 * The frame rate a camera really delivers, counted from its track's frame counter
 * (`track.stats.totalFrames`) over a window of about two seconds: what the camera gives in this
 * light, not what was asked for nor what its settings claim.
 */
export class FrameRateMeter {
  private samples: { frames: number; atMs: number }[] = [];

  constructor(private readonly windowMs = 2000) {}

  /** A reading of the counter at a time (ms); the rate in frames per second once a window is full, else null. */
  push(frames: number, atMs: number): number | null {
    // A counter that went back belongs to another track: start again.
    if (this.samples.length > 0 && frames < this.samples.at(-1)!.frames) this.samples = [];
    this.samples.push({ frames, atMs });
    while (this.samples.length > 2 && atMs - this.samples[1]!.atMs >= this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const spanMs = atMs - first.atMs;
    if (spanMs < this.windowMs) return null;
    return ((frames - first.frames) * 1000) / spanMs;
  }

  reset(): void {
    this.samples = [];
  }
}

/**
 * Whether the camera gives a rate other than the one asked for, by more than a counting wobble
 * (a loaded machine counts 28 of a camera's 30): at least 2 fps and 15 % apart.
 */
export function frameRateDiffers(given: number, asked: number): boolean {
  return Math.abs(given - asked) >= Math.max(2, asked * 0.15);
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
