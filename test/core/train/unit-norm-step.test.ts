// One training step with a unit-norm decoder, against an independent float64 step written here:
// forward and loss (test/helpers/reference-sae.ts), central finite-difference gradient, optional
// removal of each decoder row's parallel component, Adam from zero moments, row renormalisation.
import { describe, expect, it } from 'vitest';
import type { ConfigOverrides } from '../../../src/core/presets';
import type { TrainerCheckpoint } from '../../../src/core/train/checkpoint';
import type { TrainConfig } from '../../../src/core/train/config';
import { tensorSource } from '../../../src/core/train/source';
import { SaeTrainer } from '../../../src/core/train/trainer';
import { lcg, randomArray, tinyConfig } from '../../helpers/configs';
import { referenceLoss, type Weights64 } from '../../helpers/reference-sae';

const d_in = 5;
const d_sae = 4;
const n = 6;
const PARAMS = ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const;
type Grads = Record<(typeof PARAMS)[number], Float64Array>;

// A strong unsquared L2 so that its decoder gradient, parallel to every row, is a large part of the
// whole. Adam's eps is near the gradients' size: with eps ≪ |g| the first step is lr·sign(g),
// which would hide an error in the gradient's size; here the step is proportional to it.
const config = (removeParallelGrad: boolean, overrides: ConfigOverrides = {}): TrainConfig =>
  tinyConfig({
    d_in,
    d_sae,
    batchSize: n,
    length: { unit: 'steps', value: 1 },
    activation: { kind: 'relu', l1Coeff: 0.1 },
    penalty: { kind: 'l2-unsquared', coeff: 0.5, on: 'both' },
    init: { tied: true, unitNormDecoder: true, removeParallelGrad, bDecInit: 'geometric-median', biases: true },
    optim: { lr: 1e-2, eps: 1e-2 },
    ...overrides,
  });

const x = Float32Array.from(randomArray(n * d_in, lcg(21), 1.5));

/** The lab's start, and its state after one step (Adam's moments show the gradient it was given). */
async function labStep(c: TrainConfig): Promise<{ before: TrainerCheckpoint; after: TrainerCheckpoint }> {
  const source = tensorSource(x, d_in);
  const trainer = SaeTrainer.create(c, source);
  const before = await trainer.checkpoint();
  await trainer.trainStep();
  const after = await trainer.checkpoint();
  trainer.dispose();
  source.dispose();
  return { before, after };
}

const to64 = (cp: TrainerCheckpoint): Weights64 => ({
  d_in,
  d_sae,
  W_enc: Float64Array.from(cp.weights.W_enc),
  b_enc: Float64Array.from(cp.weights.b_enc),
  W_dec: Float64Array.from(cp.weights.W_dec),
  b_dec: Float64Array.from(cp.weights.b_dec),
});

function finiteDifferenceGrads(w: Weights64, c: TrainConfig): Grads {
  const x64 = Float64Array.from(x);
  const dead = new Array<boolean>(d_sae).fill(false);
  const h = 1e-6;
  const out = {} as Grads;
  for (const name of PARAMS) {
    const p = w[name];
    out[name] = p.map((keep, i) => {
      p[i] = keep + h;
      const up = referenceLoss(w, x64, n, c, dead);
      p[i] = keep - h;
      const down = referenceLoss(w, x64, n, c, dead);
      p[i] = keep;
      return (up - down) / (2 * h);
    });
  }
  return out;
}

const rowDot = (a: ArrayLike<number>, b: ArrayLike<number>, r: number) => {
  let s = 0;
  for (let i = 0; i < d_in; i++) s += a[r * d_in + i] * b[r * d_in + i];
  return s;
};

/** The reference step: the gradient Adam receives, and the weights after the step. */
function referenceStep(start: Weights64, c: TrainConfig): { adamGrad: Grads; after: Weights64 } {
  const grads = finiteDifferenceGrads(start, c);
  if (c.init.removeParallelGrad) {
    const g = grads.W_dec;
    for (let r = 0; r < d_sae; r++) {
      const along = rowDot(g, start.W_dec, r); // the start's rows are unit length
      for (let i = 0; i < d_in; i++) g[r * d_in + i] -= along * start.W_dec[r * d_in + i];
    }
  }
  const { lr, beta1, beta2, eps } = c.optim;
  const after = { ...start };
  for (const name of PARAMS) {
    after[name] = start[name].map((p, i) => {
      const mHat = ((1 - beta1) * grads[name][i]) / (1 - beta1);
      const vHat = ((1 - beta2) * grads[name][i] ** 2) / (1 - beta2);
      return p - (lr * mHat) / (Math.sqrt(vHat) + eps);
    });
  }
  for (let r = 0; r < d_sae; r++) {
    const norm = Math.sqrt(rowDot(after.W_dec, after.W_dec, r));
    for (let i = 0; i < d_in; i++) after.W_dec[r * d_in + i] /= norm;
  }
  return { adamGrad: grads, after };
}

/** Adam's first moment after one step is (1 − β1)·g: the gradient it was given. */
const gradientGiven = (cp: TrainerCheckpoint, c: TrainConfig) => Array.from(cp.adam.moments.W_dec!.m, (m) => m / (1 - c.optim.beta1));

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));

// float32 forward/backward against float64 finite differences: weights of size ~1 hold ~1e-7 of
// rounding, a few ulps after a step of size ~lr = 1e-2.
const TOLERANCE = 1e-6;

describe('one training step with a unit-norm decoder', () => {
  it.each([true, false])('matches an independent float64 step (parallel-gradient removal %s)', async (removal) => {
    const c = config(removal);
    const { before, after } = await labStep(c);
    const ref = referenceStep(to64(before), c);
    for (const name of PARAMS) expect(maxDiff(after.weights[name], ref.after[name]), name).toBeLessThan(TOLERANCE);
    expect(maxDiff(gradientGiven(after, c), ref.adamGrad.W_dec)).toBeLessThan(TOLERANCE);

    // The other setting's reference is far off: the test tells the two apart.
    const other = referenceStep(to64(before), config(!removal));
    expect(maxDiff(after.weights.W_dec, other.after.W_dec)).toBeGreaterThan(100 * TOLERANCE);
  });

  it('gives Adam a decoder gradient perpendicular to every row with removal, and not without', async () => {
    for (const removal of [true, false]) {
      const c = config(removal);
      const { before, after } = await labStep(c);
      const g = gradientGiven(after, c);
      const along = Array.from({ length: d_sae }, (_, r) => Math.abs(rowDot(g, before.weights.W_dec, r)));
      if (removal) for (const a of along) expect(a).toBeLessThan(1e-6);
      // Unsquared L2 alone puts coeff·‖row‖/‖W_dec‖_F = 0.5/2 along each unit row.
      else expect(Math.min(...along)).toBeGreaterThan(1e-2);
    }
  });

  it("with removal, a decoder-only unsquared L2 leaves the decoder's step unchanged; without, it moves it", async () => {
    const decoderOnly = (removal: boolean, coeff: number) => config(removal, { penalty: { kind: 'l2-unsquared', coeff, on: 'decoder' } });
    const step = async (c: TrainConfig) => (await labStep(c)).after.weights.W_dec;
    expect(maxDiff(await step(decoderOnly(true, 0.5)), await step(decoderOnly(true, 0)))).toBeLessThan(1e-6);
    expect(maxDiff(await step(decoderOnly(false, 0.5)), await step(decoderOnly(false, 0)))).toBeGreaterThan(100 * TOLERANCE);
  });
});
