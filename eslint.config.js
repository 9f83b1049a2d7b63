// Lint rules, including the layering: which runtime may import what.
//   shared/    the contract: no Node, no DOM, no electron, no React
//   renderer/  the page: no Node, no electron, nothing from electron/
//   electron/  Node services: no DOM; only main.ts, preload.ts, ipc.ts and shell/ may touch `electron`
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNode,
            noElectron,
            { group: ['**/electron/**'], message: 'The renderer reaches the main process only through the StudioClient.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', ...nodeGlobals],
    },
  },
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
);
