import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/core/tf';
import { disposeParams, paramsFromWeights } from '../../../src/core/sae/model';
import { sparseTopKPays } from '../../../src/core/sae/sparse-top-k';
import { lossTerms } from '../../../src/core/train/losses';
import { pythiaPaperConfig, pythiaLaptopConfig, syntheticSampleConfig, type ConfigOverrides } from '../../../src/core/presets';
import type { TrainConfig } from '../../../src/core/train/config';
import { referenceLoss, residualOf, type Weights64 } from '../../helpers/reference-sae';
import { lcg, randomArray, tinyConfig } from '../../helpers/configs';

/** Random weights; `biasShift` lowers every encoder bias, so fewer latents can fire. */
function randomWeights(d_in: number, d_sae: number, seed: number, biasShift = 0): Weights64 {
  const r = lcg(seed);
  return {
    d_in,
    d_sae,
    W_enc: randomArray(d_in * d_sae, r),
    b_enc: randomArray(d_sae, r, 0.2).map((b) => b - biasShift),
    W_dec: randomArray(d_sae * d_in, r),
    b_dec: randomArray(d_in, r, 0.2),
  };
}

const float32 = (w: Weights64) => ({ d_in: w.d_in, d_sae: w.d_sae, W_enc: Float32Array.from(w.W_enc), b_enc: Float32Array.from(w.b_enc), W_dec: Float32Array.from(w.W_dec), b_dec: Float32Array.from(w.b_dec) });

interface Evaluated {
  terms: Record<string, number>;
  xHat: Float32Array;
  firedOn: Float32Array;
  grads: Record<string, Float32Array>;
}

/** Loss terms, reconstruction, firing counts and gradients of one batch through the chosen path. */
function evaluate(w: Weights64, x: Float64Array, n: number, config: TrainConfig, dead: boolean[], sparse: boolean): Evaluated {
  const params = paramsFromWeights(float32(w), true);
  const xT = tf.tensor2d(Float32Array.from(x), [n, w.d_in]);
  const deadT = tf.tensor1d(dead.map(Number));
  let kept: { terms: Record<string, tf.Scalar>; xHat: tf.Tensor2D; firedOn: tf.Tensor1D } | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const r = lossTerms(params, xT, config, deadT, { sparse });
    kept = { terms: Object.fromEntries(Object.entries(r.terms).map(([name, t]) => [name, tf.keep(t)])), xHat: tf.keep(r.xHat), firedOn: tf.keep(r.firedOn) };
    return r.total;
  }, Object.values(params));
  const out: Evaluated = {
    terms: Object.fromEntries(Object.entries(kept!.terms).map(([name, t]) => [name, t.dataSync()[0]])),
    xHat: kept!.xHat.dataSync() as Float32Array,
    firedOn: kept!.firedOn.dataSync() as Float32Array,
    grads: Object.fromEntries((['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const).map((name) => [name, grads[params[name].name].dataSync() as Float32Array])),
  };
  out.terms.total = value.dataSync()[0];
  tf.dispose([value, xT, deadT, kept!.xHat, kept!.firedOn, ...Object.values(kept!.terms), ...Object.values(grads)]);
  disposeParams(params);
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-5): void {
  expect(actual.length, what).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    if (err > worst) [worst, at] = [err, i];
  }
  expect(worst, `${what}[${at}]: ${actual[at]} vs ${expected[at]}`).toBeLessThanOrEqual(tol);
}

const d_in = 16;
const d_sae = 96;
const n = 24;
const halfDead = Array.from({ length: d_sae }, (_, j) => j % 2 === 0);
const fewDead = Array.from({ length: d_sae }, (_, j) => j % 16 === 3); // 6 dead < k_aux

const cases: [string, ConfigOverrides, boolean[], number][] = [
  ['TopK + AuxK, half the latents dead', { activation: { kind: 'topk', k: 5, auxkCoeff: 1 / 32, kAux: 12 } }, halfDead, 0],
  ['TopK + AuxK with fewer dead latents than k_aux, squared L2 on both', { activation: { kind: 'topk', k: 5, auxkCoeff: 0.5, kAux: 12 }, penalty: { kind: 'l2', coeff: 0.01, on: 'both' } }, fewDead, 0],
  ['TopK without AuxK', { activation: { kind: 'topk', k: 7, auxkCoeff: 0, kAux: 12 } }, halfDead, 0],
  // A strongly negative encoder bias leaves rows with fewer than k positive pre-activations:
  // selected latents that do not fire, i.e. empty slots.
  ['TopK + AuxK with empty slots', { activation: { kind: 'topk', k: 9, auxkCoeff: 0.5, kAux: 20 } }, halfDead, 4],
];

describe.each(cases)('sparse TopK path: %s', (_name, overrides, dead, biasShift) => {
  const config = tinyConfig({ d_in, d_sae, ...overrides });
  const w = randomWeights(d_in, d_sae, 5, biasShift);
  const x = randomArray(n * d_in, lcg(9), 1.5);

  it('gives the dense path’s loss terms, reconstruction, firing counts and gradients to 1e-5', () => {
    const dense = evaluate(w, x, n, config, dead, false);
    const sparse = evaluate(w, x, n, config, dead, true);
    expect(Object.keys(sparse.terms).sort()).toEqual(Object.keys(dense.terms).sort());
    for (const name of Object.keys(dense.terms)) expectClose([sparse.terms[name]], [dense.terms[name]], name);
    expectClose(sparse.xHat, dense.xHat, 'x̂');
    expect(Array.from(sparse.firedOn)).toEqual(Array.from(dense.firedOn));
    for (const name of Object.keys(dense.grads)) expectClose(sparse.grads[name], dense.grads[name], `d${name}`);
    // Not vacuous: latents fired, and in the last case some selected ones did not (empty slots).
    const fired = sparse.firedOn.reduce((a, b) => a + b, 0);
    expect(fired).toBeGreaterThan(n);
    if (biasShift > 0) expect(fired).toBeLessThan(n * 9);
  });
});

describe('sparse TopK gradients against finite differences of an independent float64 loss', () => {
  const small: [string, ConfigOverrides][] = [
    ['TopK + AuxK', { activation: { kind: 'topk', k: 2, auxkCoeff: 0.5, kAux: 2 } }],
    ['TopK + AuxK with fewer dead latents than k_aux + squared L2', { activation: { kind: 'topk', k: 3, auxkCoeff: 0.5, kAux: 5 }, penalty: { kind: 'l2', coeff: 0.01, on: 'both' } }],
  ];
  it.each(small)('%s', (_name, overrides) => {
    const [din, dsae, rows] = [4, 6, 5];
    const dead = [true, false, true, true, false, false];
    const config = tinyConfig({ d_in: din, d_sae: dsae, ...overrides });
    const w = randomWeights(din, dsae, 7);
    const x = randomArray(rows * din, lcg(11), 1.5);
    const got = evaluate(w, x, rows, config, dead, true);
    // AuxK's residual target is detached: hold it fixed while differentiating.
    const residual = residualOf(w, x, rows, config);
    expect(got.terms.total).toBeCloseTo(referenceLoss(w, x, rows, config, dead, residual), 5);
    const h = 1e-6;
    for (const name of ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const) {
      const p = w[name];
      for (let i = 0; i < p.length; i++) {
        const keep = p[i];
        p[i] = keep + h;
        const up = referenceLoss(w, x, rows, config, dead, residual);
        p[i] = keep - h;
        const down = referenceLoss(w, x, rows, config, dead, residual);
        p[i] = keep;
        const numeric = (up - down) / (2 * h);
        expect(Math.abs(got.grads[name][i] - numeric), `${name}[${i}]: sparse ${got.grads[name][i]} vs finite difference ${numeric}`).toBeLessThan(1e-4 + 1e-3 * Math.abs(numeric));
      }
    }
  });
});

describe('when the sparse path is used', () => {
  it('on wasm from 4 latents per slot, on cpu always, never on GPU backends or for ReLU', () => {
    expect(sparseTopKPays(pythiaPaperConfig(), 'wasm')).toBe(true);
    expect(sparseTopKPays(pythiaLaptopConfig(), 'wasm')).toBe(true);
    // 8 + 64 slots of 256 latents: where the two paths tie on wasm.
    expect(sparseTopKPays(syntheticSampleConfig(), 'wasm')).toBe(false);
    expect(sparseTopKPays(syntheticSampleConfig(), 'cpu')).toBe(true);
    expect(sparseTopKPays(pythiaPaperConfig(), 'webgpu')).toBe(false);
    expect(sparseTopKPays(pythiaPaperConfig(), 'webgl')).toBe(false);
    expect(sparseTopKPays(tinyConfig(), 'cpu')).toBe(false); // ReLU
  });
});
