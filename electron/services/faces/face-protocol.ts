/** Messages between the face model (main thread) and its worker thread running Human on TensorFlow.js's WebAssembly. */
import type { FaceObservation } from '../../../shared/faces';

export type FaceWorkerData = {
  /** Folder of Human's model files (`blazeface.json`, …), read from disk: nothing is downloaded. */
  modelDir: string;
  /** Folder of TensorFlow.js's `.wasm` files. */
  wasmDir: string;
  /** Linux nice value of the worker thread. */
  nice?: number;
};

/**
 * A picture to look at: `width`×`height` pixels, row by row, `channels` bytes each (RGB or RGBA,
 * 8-bit sRGB). `mesh` adds the face mesh (turn, eyes), `descriptor` the face descriptor of a single face.
 */
export type FaceRequest = {
  type: 'detect';
  id: number;
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
  mesh: boolean;
  descriptor: boolean;
};

/**
 * What was found: the faces (boxes in shares of the picture), the only face's descriptor when asked
 * for, and the picture as a tiny luma thumbnail (`cutThumbnail` in shared/faces.ts, as the page's), whose change from the previous
 * one shows a cut.
 */
export type FaceDetection = { faces: FaceObservation[]; descriptor: number[] | null; thumbnail: Uint8ClampedArray; elapsedMs: number };

export type FaceReply =
  { type: 'ready'; loadMs: number; backend: string } | ({ type: 'done'; id: number } & FaceDetection) | { type: 'failed'; id: number | null; message: string };
