import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * tfjs packages ship a CommonJS bundle (`main`) and ES modules (`module`). Gradients exist only as
 * ES modules, so every tfjs import must resolve to the ES build, or tfjs-core is loaded twice and
 * tensors from one copy meet ops from the other.
 */
const tfjsEsm = ['tfjs-core', 'tfjs-backend-cpu', 'tfjs-backend-wasm', 'tfjs-backend-webgl', 'tfjs-backend-webgpu'].map((name) => ({
  find: new RegExp(`^@tensorflow/${name}$`),
  replacement: require.resolve(`@tensorflow/${name}/dist/index.js`),
}));

export default defineConfig({
  resolve: { alias: tfjsEsm },
  test: {
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['test/setup.ts'],
    server: { deps: { inline: [/@tensorflow\//] } },
    // Two cores: tfjs work is CPU bound, so more parallel files only thrash.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/browser/**'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // Builds the app once for every browser test file.
          globalSetup: ['test/browser/support/global-setup.ts'],
          // A browser test trains in Chromium's workers on both cores; two at once starve each other's
          // pages (screenshots and phase waits time out), so they run after the rest, one file at a time.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
