// Bundles the Electron main process and the preload into dist/electron (CommonJS, as Electron loads them).
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // Native and wasm payloads stay in node_modules (unpacked from asar by electron-builder).
  external: ['electron', '@napi-rs/keyring', '@ffmpeg/core', '@ffmpeg/core-mt', 'sharp'],
};

// import.meta.url is only read when running from the TypeScript sources, never in the bundle.
await build({
  ...common,
  entryPoints: ['electron/main.ts'],
  outfile: 'dist/electron/main.cjs',
  target: 'node22',
  logOverride: { 'empty-import-meta': 'silent' },
});
// The media engine's ffmpeg.wasm worker thread, started by the main process from beside main.cjs.
await build({
  ...common,
  entryPoints: ['electron/services/media/worker.ts'],
  outfile: 'dist/electron/media-worker.cjs',
  target: 'node22',
});
// The face model's worker thread: Human's Node build and TensorFlow.js bundled in; the models and
// the .wasm stay files in node_modules (unpacked from asar), read at run time by their paths.
await build({
  ...common,
  entryPoints: ['electron/services/faces/face-worker.ts'],
  outfile: 'dist/electron/face-worker.cjs',
  target: 'node22',
  logOverride: { 'empty-import-meta': 'silent' },
});
// The threads that measure sound: a file's decoded sound, and a voice recording's as it arrives.
await build({
  ...common,
  entryPoints: ['electron/services/media/measure-worker.ts'],
  outfile: 'dist/electron/measure-worker.cjs',
  target: 'node22',
});
await build({
  ...common,
  entryPoints: ['electron/services/takes/live-voice-worker.ts'],
  outfile: 'dist/electron/live-voice-worker.cjs',
  target: 'node22',
});
// A sandboxed preload may require only `electron`: everything else is bundled in.
await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', target: 'chrome130' });
