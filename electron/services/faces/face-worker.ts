/**
 * The main process's face worker thread: runs `@vladmandic/human` (TensorFlow.js on WebAssembly,
 * one thread) on pictures the face model hands over as raw pixels, and answers each with the faces
 * found as observations (shared/faces.ts), so the main loop never waits for a detection. Models and
 * wasm are read from the package's own files on disk (file paths, never a download).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { cutThumbnail, faceSharpness, humanFaceConfig, lumaThumbnail, observeFace } from '../../../shared/faces';
import type { FaceReply, FaceRequest, FaceWorkerData } from './face-protocol';
import { Human } from './human-node';
import { lowerThreadPriority } from '../thread-priority';

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
  const picture = { data: request.data, width, height, channels: request.channels };
  const thumbnail = lumaThumbnail(picture, cutThumbnail.width, cutThumbnail.height);
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
    return { ...observed, sharpness: faceSharpness(picture, observed.box) };
  });
  const only = result.face.length === 1 ? result.face[0] : undefined;
  const descriptor = request.descriptor && only?.embedding && only.embedding.length > 0 ? Array.from(only.embedding) : null;
  send({ type: 'done', id: request.id, faces, descriptor, thumbnail, elapsedMs: Math.round(performance.now() - started) }, [thumbnail.buffer as ArrayBuffer]);
}

lowerThreadPriority(data.nice ?? 0);

const ready = load();
ready.catch((error: unknown) => send({ type: 'failed', id: null, message: error instanceof Error ? error.message : String(error) }));
// One picture at a time, in arrival order: TensorFlow.js's backend is not re-entrant.
let queue: Promise<unknown> = ready;
port.on('message', (request: FaceRequest) => {
  queue = queue
    .then(async () => detect(await ready, request))
    .catch((error: unknown) => send({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) }));
});
