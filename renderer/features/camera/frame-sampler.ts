/**
 * Small frames of the live picture for the exposure check: the preview drawn into a canvas of
 * `exposureQuality.sampleWidth` pixels across, turned into luma and measured, a few times a second.
 */
import { type ExposureAnalysis, type Rect, analyseExposure, lumaFromPixels } from '../../../shared/exposure';
import { exposureQuality } from '../../../shared/requirements';

export class FrameSampler {
  private readonly canvas = document.createElement('canvas');
  private readonly context: CanvasRenderingContext2D | null;

  constructor() {
    this.context = this.canvas.getContext('2d', { willReadFrequently: true });
  }

  /**
   * Measures the current frame of `video`, or the part inside `region` (in the video's own pixels);
   * null while the video has no picture yet.
   */
  measure(video: HTMLVideoElement, region?: Rect | null): ExposureAnalysis | null {
    const { videoWidth, videoHeight } = video;
    if (!this.context || video.readyState < 2 || videoWidth === 0 || videoHeight === 0) return null;
    const width = exposureQuality.sampleWidth;
    const height = Math.max(1, Math.round((videoHeight / videoWidth) * width));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.context.drawImage(video, 0, 0, width, height);
    const pixels = this.context.getImageData(0, 0, width, height).data;
    const scale = width / videoWidth;
    const scaled = region ? { x: region.x * scale, y: region.y * scale, width: region.width * scale, height: region.height * scale } : null;
    return analyseExposure(lumaFromPixels(pixels, width, height), scaled);
  }
}
