import { mnistPaperConfig, type ConfigOverrides } from '../../src/core/presets';
import type { TrainConfig } from '../../src/core/train/config';

/** A tiny configuration for fast tests; override any field. */
export function tinyConfig(overrides: ConfigOverrides = {}): TrainConfig {
  return mnistPaperConfig({
    d_in: 8,
    d_sae: 12,
    batchSize: 16,
    length: { unit: 'steps', value: 20 },
    metricsEvery: 5,
    deadAfterTokens: 1000,
    ...overrides,
  });
}

export function randomArray(n: number, rng: () => number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => (rng() * 2 - 1) * scale);
}

/** Deterministic uniform [0,1) stream for tests, independent of the core's Rng. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
