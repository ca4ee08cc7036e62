import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { cspPlugin } from './build/csp-plugin';
import { mnistPlugin } from './build/mnist-plugin';

/** Cross-origin isolation gives the page SharedArrayBuffer, which tfjs's threaded wasm backend needs. */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), mnistPlugin(), cspPlugin()],
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  worker: {
    format: 'es',
    // No renaming minifier in the worker: tfjs's threaded wasm backend starts its threads from the
    // source text of an emscripten function (Function.toString()), which must stay self-contained.
    // Mangled, it refers to renamed outer variables and every wasm thread dies with a ReferenceError.
    rolldownOptions: { output: { minify: 'dce-only' } },
  },
  optimizeDeps: {
    // Pre-bundle tfjs up front: the worker imports the backends lazily, and a dependency found
    // late makes Vite re-optimise and reload, which can leave two copies of tfjs-core (two engines).
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-backend-webgpu',
      'comlink',
    ],
  },
});
