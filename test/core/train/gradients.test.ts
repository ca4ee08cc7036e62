import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/core/tf';
import { paramsFromWeights, disposeParams } from '../../../src/core/sae/model';
import { lossTerms } from '../../../src/core/train/losses';
import type { ConfigOverrides } from '../../../src/core/presets';
import { referenceLoss, residualOf, type Weights64 } from '../../helpers/reference-sae';
import { lcg, randomArray, tinyConfig } from '../../helpers/configs';

const d_in = 4;
const d_sae = 6;
const n = 5;
const dead = [true, false, true, true, false, false];

const cases: [string, ConfigOverrides][] = [
  ['ReLU + L1 sparsity', { activation: { kind: 'relu', l1Coeff: 0.3 } }],
  ['ReLU + L1 weight penalty on both', { activation: { kind: 'relu', l1Coeff: 0.1 }, penalty: { kind: 'l1', coeff: 0.05, on: 'both' } }],
  ['ReLU + squared L2 on the encoder', { activation: { kind: 'relu', l1Coeff: 0.1 }, penalty: { kind: 'l2', coeff: 0.02, on: 'encoder' } }],
  ['ReLU + unsquared L2 on the decoder', { activation: { kind: 'relu', l1Coeff: 0.1 }, penalty: { kind: 'l2-unsquared', coeff: 0.05, on: 'decoder' } }],
  ['TopK without AuxK', { activation: { kind: 'topk', k: 2, auxkCoeff: 0, kAux: 2 } }],
  ['TopK + AuxK on dead latents', { activation: { kind: 'topk', k: 2, auxkCoeff: 0.5, kAux: 2 } }],
  ['TopK + AuxK with fewer dead latents than k_aux + squared L2', { activation: { kind: 'topk', k: 3, auxkCoeff: 0.5, kAux: 5 }, penalty: { kind: 'l2', coeff: 0.01, on: 'both' } }],
];

function randomWeights(seed: number): Weights64 {
  const r = lcg(seed);
  return {
    d_in,
    d_sae,
    W_enc: randomArray(d_in * d_sae, r),
    b_enc: randomArray(d_sae, r, 0.2),
    W_dec: randomArray(d_sae * d_in, r),
    b_dec: randomArray(d_in, r, 0.2),
  };
}

describe.each(cases)('gradient of %s', (_name, overrides) => {
  it('matches central finite differences of an independent float64 loss', () => {
    const config = tinyConfig({ d_in, d_sae, ...overrides });
    const w = randomWeights(7);
    const x = randomArray(n * d_in, lcg(11), 1.5);
    const deadMask = tf.tensor1d(dead.map(Number));
    const params = paramsFromWeights(
      { d_in, d_sae, W_enc: Float32Array.from(w.W_enc), b_enc: Float32Array.from(w.b_enc), W_dec: Float32Array.from(w.W_dec), b_dec: Float32Array.from(w.b_dec) },
      true,
    );
    const xT = tf.tensor2d(Float32Array.from(x), [n, d_in]);
    const { value, grads } = tf.variableGrads(() => lossTerms(params, xT, config, deadMask).total, Object.values(params));

    // AuxK's residual target is detached: hold it fixed while differentiating.
    const residual = residualOf(w, x, n, config);
    expect(value.dataSync()[0]).toBeCloseTo(referenceLoss(w, x, n, config, dead, residual), 4);

    const h = 1e-6;
    for (const name of ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const) {
      const analytic = grads[params[name].name].dataSync();
      const p = w[name];
      for (let i = 0; i < p.length; i++) {
        const keep = p[i];
        p[i] = keep + h;
        const up = referenceLoss(w, x, n, config, dead, residual);
        p[i] = keep - h;
        const down = referenceLoss(w, x, n, config, dead, residual);
        p[i] = keep;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(analytic[i] - numeric), `${name}[${i}]: autodiff ${analytic[i]} vs finite difference ${numeric}`).toBeLessThan(2e-4 + 1e-3 * Math.abs(numeric));
      }
    }
    tf.dispose([value, xT, deadMask, ...Object.values(grads)]);
    disposeParams(params);
  });
});
