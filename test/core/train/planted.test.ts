import { describe, expect, it } from 'vitest';
import { plantedDictionary } from '../../../src/core/data/planted';
import { tensorSource } from '../../../src/core/train/source';
import { SaeTrainer } from '../../../src/core/train/trainer';
import type { ConfigOverrides } from '../../../src/core/presets';
import { tinyConfig } from '../../helpers/configs';

/** For each true direction, its best |cosine| among the learned decoder rows, averaged. */
function recovery(truth: Float32Array, learned: Float32Array, nTrue: number, nLearned: number, d: number): number {
  let total = 0;
  for (let t = 0; t < nTrue; t++) {
    let best = 0;
    for (let j = 0; j < nLearned; j++) {
      let dot = 0;
      let norm = 0;
      for (let i = 0; i < d; i++) {
        dot += truth[t * d + i] * learned[j * d + i];
        norm += learned[j * d + i] ** 2;
      }
      if (norm > 0) best = Math.max(best, Math.abs(dot) / Math.sqrt(norm));
    }
    total += best;
  }
  return total / nTrue;
}

const planted = plantedDictionary({ nFeatures: 24, d: 16, n: 2048, activePerSample: 3, seed: 5 });

const variants: [string, ConfigOverrides][] = [
  ['ReLU + L1', { activation: { kind: 'relu', l1Coeff: 1 }, optim: { lr: 2e-2 } }],
  ['TopK', { activation: { kind: 'topk', k: 3, auxkCoeff: 1 / 32, kAux: 8 }, deadAfterTokens: 2048, optim: { lr: 1e-2 } }],
];

describe.each(variants)('%s SAE on a planted dictionary', (_name, overrides) => {
  it('recovers the planted directions (mean max cosine with the truth ≥ 0.9)', async () => {
    const c = tinyConfig({ d_in: 16, d_sae: 32, batchSize: 64, length: { unit: 'epochs', value: 6 }, metricsEvery: 1000, ...overrides });
    const source = tensorSource(planted.data, 16);
    const trainer = SaeTrainer.create(c, source);
    const before = recovery(planted.dictionary, (await trainer.snapshot()).W_dec, 24, 32, 16);
    while (!trainer.done) trainer.trainStep();
    const after = recovery(planted.dictionary, (await trainer.snapshot()).W_dec, 24, 32, 16);
    trainer.dispose();
    source.dispose();
    expect(before).toBeLessThan(0.8);
    expect(after).toBeGreaterThanOrEqual(0.9);
  });
});
