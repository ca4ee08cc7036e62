import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    setupFiles: ['test/setup.ts'],
    // Two cores: tfjs work is CPU bound, so more parallel files only thrash.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
