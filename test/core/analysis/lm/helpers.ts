// Shared fixtures for the language-model analysis tests: the tiny GPT-NeoX, random SAEs on its
// d_model, and a leak check.
import { expect } from 'vitest';
import { GptNeox, parseGptNeoxConfig } from '../../../../src/core/model';
import { Rng } from '../../../../src/core/rng';
import type { SaeWeights } from '../../../../src/core/sae/weights';
import { tf } from '../../../../src/core/tf';
import { buildTinyNeox, type TinyNeoxOptions } from '../../../helpers/tiny-neox';

export function tinyModel(options: TinyNeoxOptions = {}) {
  const neox = buildTinyNeox(options);
  return { neox, model: GptNeox.fromSafetensors(neox.safetensors, parseGptNeoxConfig(neox.config)) };
}

/** Random SAE weights: normal W_enc, W_dec, b_dec; b_enc normal with std `biasStd`. */
export function randomSaeWeights(d_in: number, d_sae: number, seed: number, biasStd = 0.5): SaeWeights {
  const rng = new Rng(seed);
  return {
    d_in,
    d_sae,
    W_enc: rng.fillNormal(new Float32Array(d_in * d_sae), 1 / Math.sqrt(d_in)),
    b_enc: rng.fillNormal(new Float32Array(d_sae), biasStd),
    W_dec: rng.fillNormal(new Float32Array(d_sae * d_in), 1 / Math.sqrt(d_in)),
    b_dec: rng.fillNormal(new Float32Array(d_in), 0.3),
  };
}

/** Runs `use` once to warm up (kernels, caches), then again, and expects no tensor left behind by the second run. */
export async function expectNoLeak(use: () => Promise<unknown>): Promise<void> {
  await use();
  const before = tf.memory().numTensors;
  await use();
  expect(tf.memory().numTensors).toBe(before);
}
