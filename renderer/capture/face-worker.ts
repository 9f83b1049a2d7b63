/**
 * The face check's worker: runs `@vladmandic/human` (TensorFlow.js on WebAssembly) off the page's
 * main thread on the camera's frames, which the page hands over as they are (VideoFrames), and
 * answers each with a FaceFrame (shared/faces.ts). Models and wasm come from the app's own origin
 * (`faces/` beside the page, copied there by the build); nothing is fetched from anywhere else.
 */
import { Human } from '@vladmandic/human';
import {
  type FaceFrame,
  type FaceObservation,
  cutThumbnail,
  eyeOpening,
  faceBoxOf,
  faceSharpness,
  humanFaceConfig,
  lumaChange,
  lumaThumbnail,
} from '../../shared/faces';
import { type RgbPicture, type YuvFormat, matrixOf, rgbFromRgba, rgbFromYuv, yuvFormats } from './frame-pixels';

/**
 * A frame to analyse: the camera's picture as it is (a VideoFrame, or an ImageBitmap where there is
 * none), scaled here to `width` pixels across; `mesh` adds the face mesh (turn, eyes), `descriptor`
 * the face descriptor, each costing several times the detection. The worker closes the picture.
 */
export type FaceWorkerRequest =
  { type: 'init'; baseUrl: string } | { type: 'frame'; id: number; picture: VideoFrame | ImageBitmap; width: number; mesh: boolean; descriptor: boolean };
export type FaceWorkerReply =
  { type: 'ready'; backend: string } | { type: 'frame'; id: number; frame: FaceFrame } | { type: 'error'; id: number | null; message: string };

// The dedicated worker's scope, which the DOM library does not declare.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<FaceWorkerRequest>) => void) | null;
  postMessage(message: FaceWorkerReply): void;
};

/** Turn and eyes measured on a mesh frame stand for the frames without one for this long. */
const meshValidMs = 1500;

let human: Human | null = null;
let previous: Uint8ClampedArray | null = null;
let lastMesh: { at: number; yaw: number | null; pitch: number | null; eyeOpening: number | null } | null = null;
/** Where a picture that is not YUV is drawn, scaled, and read back. */
const canvas = new OffscreenCanvas(1, 1);
const context = canvas.getContext('2d', { willReadFrequently: true });
/** The bytes of the last YUV frame, kept for the next (the same camera gives the same size). */
let planes = new Uint8Array(0);

/** `width` across at the picture's shape (never larger than it). */
function scaledSize(picture: VideoFrame | ImageBitmap, width: number): { width: number; height: number } {
  const source = 'displayWidth' in picture ? { width: picture.displayWidth, height: picture.displayHeight } : picture;
  const across = Math.min(width, source.width);
  return { width: across, height: Math.max(1, Math.round((source.height / source.width) * across)) };
}

function isYuv(picture: VideoFrame | ImageBitmap): picture is VideoFrame & { format: YuvFormat; visibleRect: DOMRectReadOnly } {
  return 'format' in picture && (yuvFormats as readonly (string | null)[]).includes(picture.format) && picture.visibleRect !== null;
}

/**
 * The picture scaled to `width` across as RGB floats, read once: the model's input, the cut thumbnail
 * and the faces' sharpness all come from it (Human's own input path would draw it on three canvases
 * and read it back). A camera's YUV frame is converted from its planes (frame-pixels.ts); any other
 * picture is drawn on a canvas and read back.
 */
async function pixelsOf(picture: VideoFrame | ImageBitmap, width: number): Promise<RgbPicture> {
  const size = scaledSize(picture, width);
  if (isYuv(picture)) {
    const needed = picture.allocationSize();
    if (planes.length !== needed) planes = new Uint8Array(needed);
    const layout = await picture.copyTo(planes);
    const { matrix, fullRange } = picture.colorSpace;
    const { width: visibleWidth, height: visibleHeight } = picture.visibleRect;
    return rgbFromYuv(
      { format: picture.format, data: planes, layout, width: visibleWidth, height: visibleHeight, matrix: matrixOf(matrix), fullRange: fullRange ?? false },
      size.width,
      size.height,
    );
  }
  if (!context) throw new Error('This browser cannot read pictures in a worker.');
  if (canvas.width !== size.width || canvas.height !== size.height) {
    canvas.width = size.width;
    canvas.height = size.height;
  }
  context.drawImage(picture, 0, 0, size.width, size.height);
  return rgbFromRgba(context.getImageData(0, 0, size.width, size.height).data, size.width, size.height);
}

const degrees = (radians: number | undefined) => (radians === undefined ? null : (radians * 180) / Math.PI);

async function init(baseUrl: string): Promise<void> {
  human = new Human({ ...humanFaceConfig, wasmPath: new URL('wasm/', baseUrl).href, modelBasePath: new URL('models/', baseUrl).href });
  await human.load();
  scope.postMessage({ type: 'ready', backend: human.tf.getBackend() as string });
}

async function detect(id: number, picture: VideoFrame | ImageBitmap, analysisWidth: number, withMesh: boolean, withDescriptor: boolean): Promise<void> {
  if (!human) throw new Error('The face model is not loaded yet.');
  const started = performance.now();
  let pixels: RgbPicture;
  try {
    pixels = await pixelsOf(picture, analysisWidth);
  } finally {
    // The frame goes back to the camera at once: it has only a few.
    picture.close();
  }
  const luma = lumaThumbnail(pixels, cutThumbnail.width, cutThumbnail.height);
  const change = previous ? lumaChange(luma, previous) : null;
  previous = luma;
  // The model takes the RGB floats as they are (Human only adds the batch dimension).
  const input = human.tf.tensor4d(pixels.data, [1, pixels.height, pixels.width, 3], 'float32');
  const result = await human
    .detect(input, { face: { mesh: { enabled: withMesh || withDescriptor }, description: { enabled: withDescriptor } } })
    .finally(() => human?.tf.dispose(input));
  const now = performance.now();
  if (result.face.length !== 1) lastMesh = null;
  const faces: FaceObservation[] = result.face.map((face) => {
    const box = faceBoxOf(face.boxRaw);
    const angle = face.rotation?.angle;
    const meshed = face.mesh.length >= 468;
    if (meshed && result.face.length === 1) lastMesh = { at: now, yaw: degrees(angle?.yaw), pitch: degrees(angle?.pitch), eyeOpening: eyeOpening(face.mesh) };
    // One face between mesh frames: its turn and eyes as last measured, for a short while.
    const carried = !meshed && result.face.length === 1 && lastMesh && now - lastMesh.at < meshValidMs ? lastMesh : null;
    return {
      box,
      score: face.boxScore,
      yaw: meshed ? degrees(angle?.yaw) : (carried?.yaw ?? null),
      pitch: meshed ? degrees(angle?.pitch) : (carried?.pitch ?? null),
      eyeOpening: meshed ? eyeOpening(face.mesh) : (carried?.eyeOpening ?? null),
      sharpness: faceSharpness(pixels, box),
    };
  });
  const only = result.face.length === 1 ? result.face[0] : undefined;
  const descriptor = withDescriptor && only?.embedding && only.embedding.length > 0 ? Array.from(only.embedding) : null;
  scope.postMessage({ type: 'frame', id, frame: { faces, change, descriptor, elapsedMs: performance.now() - started } });
}

scope.onmessage = (event) => {
  const request = event.data;
  const work = request.type === 'init' ? init(request.baseUrl) : detect(request.id, request.picture, request.width, request.mesh, request.descriptor);
  work.catch((failure: unknown) => {
    scope.postMessage({
      type: 'error',
      id: request.type === 'frame' ? request.id : null,
      message: failure instanceof Error ? failure.message : String(failure),
    });
  });
};
