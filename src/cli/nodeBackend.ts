import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { tf } from '../core/tf';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type NodeBackend = 'wasm' | 'cpu';

/**
 * tfjs backends that run in Node here. wasm (XNNPACK, SIMD) is several times faster than the
 * pure-JavaScript cpu backend; tfjs-node is not an option because its install downloads a binary.
 */
export async function initNodeBackend(name: NodeBackend = 'wasm'): Promise<string> {
  if (name === 'wasm') {
    // Emscripten reads the .wasm file from disk in Node; point it at the installed package.
    const wasmFile = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    setWasmPaths(`${dirname(wasmFile)}/`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`the tfjs ${name} backend failed to start`);
  await tf.ready();
  return tf.getBackend();
}
