/** Builds the renderer into dist/renderer, served by app://studio and by the browser host. */
import { defineConfig } from 'vite';
import { faceAssetsPlugin } from './scripts/face-assets';

export default defineConfig({
  root: 'renderer',
  base: './',
  esbuild: { jsx: 'automatic' },
  // The face model and its WebAssembly, served from the app's own origin (see scripts/face-assets.ts).
  plugins: [faceAssetsPlugin()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    // Electron and the browser host serve files with a strict CSP: no inline module preload polyfill.
    modulePreload: { polyfill: false },
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments Rollup cannot place; harmless and not ours to fix.
        if (warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
});
