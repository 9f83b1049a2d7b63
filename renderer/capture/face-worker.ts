/**
 * The face check's worker: runs `@vladmandic/human` (TensorFlow.js on WebAssembly) off the page's
 * main thread on frames the page hands over as ImageBitmaps, and answers each with a FaceFrame
 * (shared/faces.ts). Models and wasm come from the app's own origin (`faces/` beside the page,
 * copied there by the build); nothing is fetched from anywhere else.
 */
import { Human } from '@vladmandic/human';
import { type FaceFrame, type FaceObservation, eyeOpening, laplacianVariance, lumaChange } from '../../shared/faces';

export type FaceWorkerRequest = { type: 'init'; baseUrl: string } | { type: 'frame'; id: number; bitmap: ImageBitmap; descriptor: boolean };
export type FaceWorkerReply =
  { type: 'ready'; backend: string } | { type: 'frame'; id: number; frame: FaceFrame } | { type: 'error'; id: number | null; message: string };

// The dedicated worker's scope, which the DOM library does not declare.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<FaceWorkerRequest>) => void) | null;
  postMessage(message: FaceWorkerReply): void;
};

const changeWidth = 32;
const changeHeight = 18;
const sharpnessHeight = 64;

let human: Human | null = null;
let previous: Uint8ClampedArray | null = null;
const canvas = new OffscreenCanvas(changeWidth, changeHeight);
const context = canvas.getContext('2d', { willReadFrequently: true });

function lumaOf(pixels: Uint8ClampedArray): Uint8ClampedArray {
  const luma = new Uint8ClampedArray(pixels.length / 4);
  for (let i = 0; i < luma.length; i++) luma[i] = 0.2126 * pixels[i * 4]! + 0.7152 * pixels[i * 4 + 1]! + 0.0722 * pixels[i * 4 + 2]!;
  return luma;
}

/** The whole frame as a tiny luma picture: its change from the last one shows a cut. */
function thumbnail(bitmap: ImageBitmap): Uint8ClampedArray | null {
  if (!context) return null;
  canvas.width = changeWidth;
  canvas.height = changeHeight;
  context.drawImage(bitmap, 0, 0, changeWidth, changeHeight);
  return lumaOf(context.getImageData(0, 0, changeWidth, changeHeight).data);
}

/** The face's sharpness, measured at one scale whatever its size, so small and large faces compare. */
function sharpness(bitmap: ImageBitmap, box: [number, number, number, number]): number | null {
  const [x, y, width, height] = box;
  if (!context || width < 8 || height < 8) return null;
  const outWidth = Math.max(8, Math.round((width / height) * sharpnessHeight));
  canvas.width = outWidth;
  canvas.height = sharpnessHeight;
  context.drawImage(bitmap, x, y, width, height, 0, 0, outWidth, sharpnessHeight);
  return laplacianVariance(lumaOf(context.getImageData(0, 0, outWidth, sharpnessHeight).data), outWidth, sharpnessHeight);
}

const degrees = (radians: number | undefined) => (radians === undefined ? null : (radians * 180) / Math.PI);

async function init(baseUrl: string): Promise<void> {
  human = new Human({
    backend: 'wasm',
    wasmPath: new URL('wasm/', baseUrl).href,
    modelBasePath: new URL('models/', baseUrl).href,
    // Warm-up loads a data: URL (the CSP allows none); the first frame warms up instead.
    warmup: 'none',
    // Every frame is detected afresh: a face that left or a second person must show at once.
    cacheSensitivity: 0,
    debug: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: { rotation: false, maxDetected: 5, minConfidence: 0.5, skipFrames: 0, skipTime: 0, return: false },
      mesh: { enabled: true },
      iris: { enabled: false },
      attention: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      description: { enabled: true, skipFrames: 0, skipTime: 0 },
    },
  });
  await human.load();
  scope.postMessage({ type: 'ready', backend: human.tf.getBackend() as string });
}

async function detect(id: number, bitmap: ImageBitmap, withDescriptor: boolean): Promise<void> {
  if (!human) throw new Error('The face model is not loaded yet.');
  const started = performance.now();
  const luma = thumbnail(bitmap);
  const change = luma && previous ? lumaChange(luma, previous) : null;
  previous = luma;
  const result = await human.detect(bitmap, { face: { description: { enabled: withDescriptor } } });
  const { width, height } = bitmap;
  const faces: FaceObservation[] = result.face.map((face) => {
    const [x, y, w, h] = face.boxRaw;
    const angle = face.rotation?.angle;
    return {
      box: { x, y, width: w, height: h },
      score: face.boxScore,
      yaw: degrees(angle?.yaw),
      pitch: degrees(angle?.pitch),
      eyeOpening: face.mesh.length >= 468 ? eyeOpening(face.mesh) : null,
      sharpness: sharpness(bitmap, [x * width, y * height, w * width, h * height]),
    };
  });
  const only = result.face.length === 1 ? result.face[0] : undefined;
  const descriptor = withDescriptor && only?.embedding && only.embedding.length > 0 ? Array.from(only.embedding) : null;
  bitmap.close();
  scope.postMessage({ type: 'frame', id, frame: { faces, change, descriptor, elapsedMs: performance.now() - started } });
}

scope.onmessage = (event) => {
  const request = event.data;
  const work = request.type === 'init' ? init(request.baseUrl) : detect(request.id, request.bitmap, request.descriptor);
  work.catch((failure: unknown) => {
    if (request.type === 'frame') request.bitmap.close();
    scope.postMessage({
      type: 'error',
      id: request.type === 'frame' ? request.id : null,
      message: failure instanceof Error ? failure.message : String(failure),
    });
  });
};
