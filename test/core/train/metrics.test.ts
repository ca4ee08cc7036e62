// The trainer's reported metrics against values computed here in float64 from the weights it held
// before each step (its checkpoint) and the batch it drew (recorded by the source).
import { describe, expect, it } from 'vitest';
import { UNCONSTRAINED, type ConfigOverrides } from '../../../src/core/presets';
import type { TrainConfig } from '../../../src/core/train/config';
import type { StepMetrics } from '../../../src/core/train/metrics';
import { tensorSource, type BatchSource } from '../../../src/core/train/source';
import { SaeTrainer } from '../../../src/core/train/trainer';
import { lcg, tinyConfig } from '../../helpers/configs';
import { decode, pre, topk, type Weights64 } from '../../helpers/reference-sae';

const d_in = 8;
const d_sae = 12;
const batch = 16;
const steps = 10;

// Columns far from zero, each with its own mean: a non-centred FVU (Σ(x̂ − x)² / Σx²) would be
// several times smaller than the centred one.
const r = lcg(5);
const data = Float32Array.from({ length: 64 * d_in }, (_, i) => 3 + (i % d_in) * 0.5 + (r() - 0.5) * 2);

/** The rows the trainer draws, as float64, batch by batch. */
function recording(source: BatchSource): { source: BatchSource; batches: Float64Array[] } {
  const batches: Float64Array[] = [];
  return {
    batches,
    source: { ...source, gather: (indices) => (batches.push(Float64Array.from(source.rowsOnHost(indices))), source.gather(indices)) },
  };
}

interface Expected {
  fvu: number;
  nonCentredFvu: number;
  l0: number;
  deadFrac: number;
  encNorm: number;
  decNorm: number;
}

/** Runs `steps` steps with metrics every step; per step, what was reported and what is expected. */
async function run(c: TrainConfig): Promise<{ reported: StepMetrics; expected: Expected }[]> {
  const base = tensorSource(data, d_in);
  const { source, batches } = recording(base);
  const trainer = SaeTrainer.create(c, source);
  const sinceFired = new Float64Array(d_sae); // training rows since each latent last fired
  const out: { reported: StepMetrics; expected: Expected }[] = [];
  for (let s = 0; s < steps; s++) {
    const { weights } = await trainer.checkpoint();
    const reported = (await trainer.trainStep())!;
    const x = batches[s];
    const w: Weights64 = {
      d_in,
      d_sae,
      W_enc: Float64Array.from(weights.W_enc),
      b_enc: Float64Array.from(weights.b_enc),
      W_dec: Float64Array.from(weights.W_dec),
      b_dec: Float64Array.from(weights.b_dec),
    };
    const z = pre(w, x, batch);
    const f = c.activation.kind === 'relu' ? z.map((v) => Math.max(0, v)) : topk(z, batch, d_sae, c.activation.k);
    const xHat = decode(w, f, batch);

    let error = 0;
    let centred = 0;
    let raw = 0;
    for (let i = 0; i < d_in; i++) {
      let mean = 0;
      for (let n = 0; n < batch; n++) mean += x[n * d_in + i] / batch;
      for (let n = 0; n < batch; n++) {
        error += (xHat[n * d_in + i] - x[n * d_in + i]) ** 2;
        centred += (x[n * d_in + i] - mean) ** 2;
        raw += x[n * d_in + i] ** 2;
      }
    }
    let active = 0;
    for (const v of f) if (v > 0) active++;
    // Dead is judged before the step, on the window up to it.
    const dead = sinceFired.filter((t) => t >= c.deadAfterTokens).length;
    for (let j = 0; j < d_sae; j++) {
      let fired = false;
      for (let n = 0; n < batch; n++) fired ||= f[n * d_sae + j] > 0;
      sinceFired[j] = fired ? 0 : sinceFired[j] + batch;
    }
    const frobenius = (m: Float64Array) => Math.sqrt(m.reduce((t, v) => t + v * v, 0));
    out.push({
      reported,
      expected: { fvu: error / centred, nonCentredFvu: error / raw, l0: active / batch, deadFrac: dead / d_sae, encNorm: frobenius(w.W_enc), decNorm: frobenius(w.W_dec) },
    });
  }
  trainer.dispose();
  base.dispose();
  return out;
}

// A one-batch dead window, so latents die and revive within the run.
const CASES: [string, ConfigOverrides][] = [
  // Unconstrained: with inputs far from zero, some random encoder columns never fire.
  ['ReLU, unconstrained', { activation: { kind: 'relu', l1Coeff: 0.3 }, init: UNCONSTRAINED }],
  ['TopK k = 2', { activation: { kind: 'topk', k: 2, auxkCoeff: 1 / 32, kAux: 4 } }],
];

describe.each(CASES)('metrics the trainer reports (%s)', (_, overrides) => {
  it('equal FVU (centred per column), L0 per input, dead fraction and weight norms computed independently', async () => {
    const c = tinyConfig({ d_in, d_sae, batchSize: batch, metricsEvery: 1, deadAfterTokens: batch, length: { unit: 'steps', value: steps }, optim: { lr: 3e-2 }, ...overrides });
    const rows = await run(c);
    for (const { reported, expected } of rows) {
      expect(reported.fvu / expected.fvu).toBeCloseTo(1, 5);
      expect(reported.l0).toBeCloseTo(expected.l0, 6);
      expect(reported.deadFrac).toBeCloseTo(expected.deadFrac, 6);
      expect(reported.encNorm / expected.encNorm).toBeCloseTo(1, 6);
      expect(reported.decNorm / expected.decNorm).toBeCloseTo(1, 6);
    }
    // The checks tell the definitions apart: a non-centred FVU or an L0 per latent would fail them.
    for (const { expected } of rows) expect(expected.nonCentredFvu / expected.fvu).toBeLessThan(0.5);
    expect(Math.max(...rows.map((x) => x.expected.l0))).toBeGreaterThan(1);
    // Some latents were dead at some step and none at the first: the dead fraction was exercised.
    expect(rows[0].expected.deadFrac).toBe(0);
    expect(Math.max(...rows.map((x) => x.expected.deadFrac))).toBeGreaterThan(0);
  });
});
