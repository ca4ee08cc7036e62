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
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['test/setup.ts'],
    // Builds the app once for every browser test file (skipped when no browser test is selected).
    globalSetup: ['test/browser/support/global-setup.ts'],
    server: { deps: { inline: [/@tensorflow\//] } },
    // Two cores: tfjs work is CPU bound, so more parallel files only thrash.
    maxWorkers: 2,
  },
});
