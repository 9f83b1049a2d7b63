/**
 * Where a worker thread's script is: a bundled `.cjs` beside the Electron bundle (unpacked from
 * app.asar), or, from the TypeScript sources (tsx, Vitest), the `.ts` file through tsx's loader,
 * which a worker thread does not inherit.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type WorkerEntry = { file: string | URL; eval: boolean };

/** Where this module runs from: the esbuild bundle (CommonJS) or the TypeScript sources (tsx, Vitest). */
export function currentFile(): string {
  if (typeof __filename === 'string' && __filename.endsWith('.cjs')) return __filename;
  return fileURLToPath(import.meta.url);
}

/**
 * A file packaged inside Electron's app.asar but unpacked beside it (electron-builder `asarUnpack`):
 * a worker thread and the wasm loader need the real file on disk.
 */
export function unpacked(file: string): string {
  const real = file.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  return real !== file && existsSync(real) ? real : file;
}

/**
 * A worker script: `bundled` (e.g. `media-worker.cjs`, built by scripts/build-electron.mjs) beside
 * the bundle, or `source` (a path under electron/services/, e.g. `media/worker.ts`) from the sources.
 */
export function workerEntry(bundled: string, source: string): WorkerEntry {
  const here = currentFile();
  if (here.endsWith('.cjs')) return { file: unpacked(path.join(path.dirname(here), bundled)), eval: false };
  const require = createRequire(here);
  // require.resolve picks tsx's CommonJS build; the worker imports its ESM twin beside it.
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const worker = pathToFileURL(path.join(path.dirname(here), source)).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); });`;
  return { file: code, eval: true };
}
