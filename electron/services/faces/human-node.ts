/**
 * Human's build for Node on TensorFlow.js's WebAssembly backend (`dist/human.node-wasm.js`, which
 * requires tfjs-core, tfjs-converter and tfjs-backend-wasm 4.22.0, the version Human 3.3.6 was built
 * against). It is imported by its path: the package's `exports` name its files without `./` (Node
 * ignores them) and send Node to `human.node.js`, which needs `@tensorflow/tfjs-node`, whose install
 * downloads a native library.
 */
export { Human } from '../../../node_modules/@vladmandic/human/dist/human.node-wasm.js';
