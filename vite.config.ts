import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { cspPlugin } from './build/csp-plugin';
import { canOpenBrowser } from './build/desktop';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './build/isolation-headers';
import { mnistPlugin } from './build/mnist-plugin';

export { CROSS_ORIGIN_ISOLATION_HEADERS };

export default defineConfig({
  plugins: [react(), mnistPlugin(), cspPlugin()],
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION_HEADERS, open: canOpenBrowser() },
  preview: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  build: {
    // Two pages: the lab, and the training-step bench that `npm run bench -- --browser` drives (src/bench).
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./index.html', import.meta.url)),
        bench: fileURLToPath(new URL('./bench.html', import.meta.url)),
      },
    },
  },
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
