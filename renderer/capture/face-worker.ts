/**
 * The face check's worker: runs `@vladmandic/human` (TensorFlow.js on WebAssembly) off the page's
 * main thread on frames the page hands over as ImageBitmaps, and answers each with a FaceFrame
 * (shared/faces.ts). Models and wasm come from the app's own origin (`faces/` beside the page,
 * copied there by the build); nothing is fetched from anywhere else.
 */
import { Human } from '@vladmandic/human';
import { type FaceFrame, type FaceObservation, eyeOpening, faceBoxOf, humanFaceConfig, laplacianVariance, lumaChange } from '../../shared/faces';

/** A frame to analyse: `mesh` adds the face mesh (turn, eyes), `descriptor` the face descriptor; each costs several times the detection. */
export type FaceWorkerRequest = { type: 'init'; baseUrl: string } | { type: 'frame'; id: number; bitmap: ImageBitmap; mesh: boolean; descriptor: boolean };
export type FaceWorkerReply =
  { type: 'ready'; backend: string } | { type: 'frame'; id: number; frame: FaceFrame } | { type: 'error'; id: number | null; message: string };

// The dedicated worker's scope, which the DOM library does not declare.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<FaceWorkerRequest>) => void) | null;
  postMessage(message: FaceWorkerReply): void;
};

/** Turn and eyes measured on a mesh frame stand for the frames without one for this long. */
const meshValidMs = 1500;
const changeWidth = 32;
const changeHeight = 18;
const sharpnessHeight = 64;

let human: Human | null = null;
let previous: Uint8ClampedArray | null = null;
let lastMesh: { at: number; yaw: number | null; pitch: number | null; eyeOpening: number | null } | null = null;
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
  human = new Human({ ...humanFaceConfig, wasmPath: new URL('wasm/', baseUrl).href, modelBasePath: new URL('models/', baseUrl).href });
  await human.load();
  scope.postMessage({ type: 'ready', backend: human.tf.getBackend() as string });
}

async function detect(id: number, bitmap: ImageBitmap, withMesh: boolean, withDescriptor: boolean): Promise<void> {
  if (!human) throw new Error('The face model is not loaded yet.');
  const started = performance.now();
  const luma = thumbnail(bitmap);
  const change = luma && previous ? lumaChange(luma, previous) : null;
  previous = luma;
  const result = await human.detect(bitmap, { face: { mesh: { enabled: withMesh || withDescriptor }, description: { enabled: withDescriptor } } });
  const { width, height } = bitmap;
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
      sharpness: sharpness(bitmap, [box.x * width, box.y * height, box.width * width, box.height * height]),
    };
  });
  const only = result.face.length === 1 ? result.face[0] : undefined;
  const descriptor = withDescriptor && only?.embedding && only.embedding.length > 0 ? Array.from(only.embedding) : null;
  bitmap.close();
  scope.postMessage({ type: 'frame', id, frame: { faces, change, descriptor, elapsedMs: performance.now() - started } });
}

scope.onmessage = (event) => {
  const request = event.data;
  const work = request.type === 'init' ? init(request.baseUrl) : detect(request.id, request.bitmap, request.mesh, request.descriptor);
  work.catch((failure: unknown) => {
    if (request.type === 'frame') request.bitmap.close();
    scope.postMessage({
      type: 'error',
      id: request.type === 'frame' ? request.id : null,
      message: failure instanceof Error ? failure.message : String(failure),
    });
  });
};
