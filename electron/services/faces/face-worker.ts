/**
 * The main process's face worker thread: runs `@vladmandic/human` (TensorFlow.js on WebAssembly,
 * one thread) on pictures the face model hands over as raw pixels, and answers each with the faces
 * found as observations (shared/faces.ts), so the main loop never waits for a detection. Models and
 * wasm are read from the package's own files on disk (file paths, never a download).
 */
import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { type FaceObservation, humanFaceConfig, laplacianVariance, observeFace } from '../../../shared/faces';
import type { FaceReply, FaceRequest, FaceWorkerData } from './face-protocol';
import { thumbnailSize } from './face-protocol';
import { Human } from './human-node';

/** The face is scaled to this height before its sharpness is measured, as on the page, so small and large faces compare. */
const sharpnessHeight = 64;

const data = workerData as FaceWorkerData;
const port = parentPort!;
const send = (message: FaceReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

/**
 * Human loads models through TensorFlow.js's HTTP loader, which Node's fetch cannot serve from a
 * `file://` address: this loader reads the model's JSON and its weight shards from disk instead.
 */
function registerFileLoader(): void {
  // A router answers null for addresses it does not serve (TensorFlow.js's own routers do the same).
  const router = (url: string | string[]): tf.io.IOHandler | null => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const file = fileURLToPath(url);
    return {
      load: async () => {
        const json = JSON.parse(await readFile(file, 'utf8')) as tf.io.ModelJSON;
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const shards = await Promise.all(manifest.flatMap((group) => group.paths).map((name) => readFile(path.join(path.dirname(file), name))));
          const weights = Buffer.concat(shards);
          return [manifest.flatMap((group) => group.weights), weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)];
        });
      },
    };
  };
  tf.io.registerLoadRouter(router as Parameters<typeof tf.io.registerLoadRouter>[0]);
}

/**
 * Luma (0–255) of `region` of the picture scaled to `outWidth`×`outHeight`, each output pixel the
 * mean of the input pixels it covers (as a canvas's downscale, near enough for sharpness and cuts).
 */
function lumaOf(
  request: Pick<FaceRequest, 'width' | 'height' | 'channels' | 'data'>,
  region: { x: number; y: number; width: number; height: number },
  outWidth: number,
  outHeight: number,
): Uint8Array {
  const { width, height, channels, data: pixels } = request;
  const out = new Uint8Array(outWidth * outHeight);
  for (let oy = 0; oy < outHeight; oy++) {
    const y0 = Math.max(0, Math.floor(region.y + (oy * region.height) / outHeight));
    const y1 = Math.min(height, Math.max(y0 + 1, Math.floor(region.y + ((oy + 1) * region.height) / outHeight)));
    for (let ox = 0; ox < outWidth; ox++) {
      const x0 = Math.max(0, Math.floor(region.x + (ox * region.width) / outWidth));
      const x1 = Math.min(width, Math.max(x0 + 1, Math.floor(region.x + ((ox + 1) * region.width) / outWidth)));
      let sum = 0;
      let count = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const i = (y * width + x) * channels;
          sum += 0.2126 * pixels[i]! + 0.7152 * pixels[i + 1]! + 0.0722 * pixels[i + 2]!;
          count += 1;
        }
      }
      out[oy * outWidth + ox] = count > 0 ? Math.round(sum / count) : 0;
    }
  }
  return out;
}

function sharpness(request: FaceRequest, box: FaceObservation['box']): number | null {
  const region = { x: box.x * request.width, y: box.y * request.height, width: box.width * request.width, height: box.height * request.height };
  if (region.width < 8 || region.height < 8) return null;
  const outWidth = Math.max(8, Math.round((region.width / region.height) * sharpnessHeight));
  return laplacianVariance(lumaOf(request, region, outWidth, sharpnessHeight), outWidth, sharpnessHeight);
}

async function load(): Promise<Human> {
  const started = performance.now();
  registerFileLoader();
  const human = new Human({
    ...humanFaceConfig,
    modelBasePath: `${pathToFileURL(data.modelDir).href}/`,
    wasmPath: `${data.wasmDir}${path.sep}`,
    // One thread: the threaded build would start its own workers on a machine already recording.
    flags: { WASM_HAS_MULTITHREAD_SUPPORT: false },
  });
  await human.load();
  await human.init();
  send({ type: 'ready', loadMs: Math.round(performance.now() - started), backend: human.tf.getBackend() as string });
  return human;
}

async function detect(human: Human, request: FaceRequest): Promise<void> {
  const started = performance.now();
  const { width, height, channels } = request;
  const thumbnail = lumaOf(request, { x: 0, y: 0, width, height }, thumbnailSize.width, thumbnailSize.height);
  const rgb = tf.tidy(() => {
    const image = tf.tensor3d(request.data, [height, width, channels], 'int32');
    return channels === 4 ? tf.slice(image, [0, 0, 0], [height, width, 3]) : image;
  });
  let result: Awaited<ReturnType<Human['detect']>>;
  try {
    result = await human.detect(rgb, { face: { mesh: { enabled: request.mesh || request.descriptor }, description: { enabled: request.descriptor } } });
  } finally {
    rgb.dispose();
  }
  const faces = result.face.map((face) => {
    const observed = observeFace(face, null);
    return { ...observed, sharpness: sharpness(request, observed.box) };
  });
  const only = result.face.length === 1 ? result.face[0] : undefined;
  const descriptor = request.descriptor && only?.embedding && only.embedding.length > 0 ? Array.from(only.embedding) : null;
  send({ type: 'done', id: request.id, faces, descriptor, thumbnail, elapsedMs: Math.round(performance.now() - started) }, [thumbnail.buffer as ArrayBuffer]);
}

// On Linux a thread has its own nice value (elsewhere it would be the whole process's).
if (process.platform === 'linux' && data.nice) {
  try {
    setPriority(data.nice);
  } catch {
    // Not permitted: run at normal priority.
  }
}

const ready = load();
ready.catch((error: unknown) => send({ type: 'failed', id: null, message: error instanceof Error ? error.message : String(error) }));
// One picture at a time, in arrival order: TensorFlow.js's backend is not re-entrant.
let queue: Promise<unknown> = ready;
port.on('message', (request: FaceRequest) => {
  queue = queue
    .then(async () => detect(await ready, request))
    .catch((error: unknown) => send({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) }));
});
