/**
 * The face model's files, copied by the renderer build into `faces/` beside the page, so the face
 * check loads them from the app's own origin and nothing is fetched from anywhere else at run time:
 * `@vladmandic/human`'s model files (JSON topology + binary weights) and the TensorFlow.js WebAssembly
 * binaries its bundled tfjs needs (the same tfjs version, 4.22.0, from `@tensorflow/tfjs-backend-wasm`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';
import { faceModelFiles, faceWasmFiles } from '../shared/faces';

const require = createRequire(import.meta.url);

/** A package's folder: its entry resolved, then up to its package.json (Human's `exports` do not list that file). */
function packageDir(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** Where each file comes from in node_modules, and its name under `faces/` in the built renderer. */
export function faceAssets(): { from: string; to: string }[] {
  const humanModels = path.join(packageDir('@vladmandic/human'), 'models');
  const wasmDist = path.join(packageDir('@tensorflow/tfjs-backend-wasm'), 'dist');
  return [
    ...faceModelFiles.flatMap((model) => [`${model}.json`, `${model}.bin`]).map((name) => ({ from: path.join(humanModels, name), to: `faces/models/${name}` })),
    ...faceWasmFiles.map((name) => ({ from: path.join(wasmDist, name), to: `faces/wasm/${name}` })),
  ];
}

/** Vite plugin: emits the face model's files into the build output. */
export function faceAssetsPlugin(): Plugin {
  return {
    name: 'twin-studio-face-assets',
    apply: 'build',
    generateBundle() {
      for (const asset of faceAssets()) this.emitFile({ type: 'asset', fileName: asset.to, source: readFileSync(asset.from) });
    },
  };
}
