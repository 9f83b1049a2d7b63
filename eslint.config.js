// Lint rules, including the layering: which runtime may import what.
//   shared/    the contract: no Node, no DOM, no electron, no React
//   renderer/  the page: no Node, no electron, nothing from electron/; a feature imports no other
//              feature (features share through capture/, ui/, api/, navigation/; app/ composes them)
//   electron/  Node services: no DOM; only main.ts, preload.ts, ipc.ts and shell/ may touch `electron`
// React hooks are checked by eslint-plugin-react-hooks (its recommended rules, dependencies as errors).
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import prettierConfig from 'eslint-config-prettier';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'stream', 'url', 'util', 'worker_threads'];
const noNode = nodeBuiltins.map((name) => ({ group: [name], message: 'Node modules are only for electron/ (the main process).' }));
const noElectron = { group: ['electron', 'electron/*'], message: 'Only electron/main.ts, preload.ts, ipc.ts and electron/shell/ may import electron.' };
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'HTMLElement', 'MediaRecorder'].map((name) => ({
  name,
  message: 'DOM code belongs in renderer/.',
}));
const nodeGlobals = ['process', 'Buffer', 'require', '__dirname', '__filename', 'global'].map((name) => ({
  name,
  message: 'Node globals belong in electron/.',
}));

const rendererPatterns = [
  ...noNode,
  noElectron,
  { group: ['**/electron/**'], message: 'The renderer reaches the main process only through the StudioClient.' },
];
/** The renderer's feature folders, read from disk so that a new feature is fenced in from its first file. */
const features = readdirSync(new URL('./renderer/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const notUpward = { group: ['**/app', '**/app/**'], message: 'renderer/app/ composes the features; nothing imports it back.' };
/** One block per feature: it may import its own files, capture/, ui/, api/, navigation/ and shared/, never another feature. */
const featureBoundaries = features.map((feature) => ({
  files: [`renderer/features/${feature}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...rendererPatterns,
          notUpward,
          {
            group: features.filter((other) => other !== feature).flatMap((other) => [`../${other}/**`, `**/features/${other}/**`]),
            message:
              'A feature does not import another feature: move what both need to renderer/capture, ui, api or navigation, or compose them in renderer/app.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/.fixtures/**', 'tests/.artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNode,
            noElectron,
            { group: ['react', 'react-dom', 'react/*'], message: 'shared/ holds no UI.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ is imported by both sides and imports neither.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...domGlobals, ...nodeGlobals],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': ['error', { patterns: rendererPatterns }],
      'no-restricted-globals': ['error', ...nodeGlobals],
    },
  },
  {
    // The shared layers under the features: they know no feature and not the app.
    files: ['renderer/{api,capture,navigation,ui}/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...rendererPatterns, notUpward, { group: ['**/features/**'], message: 'Shared renderer code does not import a feature.' }] },
      ],
    },
  },
  ...featureBoundaries,
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/ipc.ts', 'electron/shell/**'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { ...noElectron, allowTypeImports: false },
            { group: ['**/renderer/**'], message: 'The main process does not import the renderer.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    // ipc.ts binds to Electron but takes ipcMain as an argument so it can be unit-tested: types only.
    files: ['electron/ipc.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ ...noElectron, allowTypeImports: true }] }],
    },
  },
  {
    files: ['electron/main.ts', 'electron/preload.ts', 'electron/shell/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: { 'no-restricted-globals': ['error', ...domGlobals] },
  },
  {
    // The emulator is a stand-alone Node server, like the service it stands in for: it shares only shared/.
    files: ['emulator/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [noElectron, { group: ['**/electron/**', '**/renderer/**'], message: 'The emulator shares only shared/ with the studio.' }] },
      ],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['scripts/**/*.{ts,mjs,js}', 'tests/**/*.{ts,tsx}', '*.config.{ts,js}', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  // Last, so that no style rule argues with Prettier, which owns formatting (`npm run format`).
  prettierConfig,
);
