import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/core/tf';
import { plantedDictionary } from '../../../src/core/data/planted';
import { tensorSource } from '../../../src/core/train/source';
import { SaeTrainer } from '../../../src/core/train/trainer';
import type { TrainConfig } from '../../../src/core/train/config';
import type { SaeWeights } from '../../../src/core/sae/weights';
import { UNCONSTRAINED } from '../../../src/core/presets';
import { tinyConfig } from '../../helpers/configs';

const planted = plantedDictionary({ nFeatures: 12, d: 8, n: 512, activePerSample: 2, seed: 3 });

async function train(config: TrainConfig, data = planted.data): Promise<{ initial: SaeWeights; final: SaeWeights; trainer: SaeTrainer }> {
  const source = tensorSource(data, config.d_in);
  const trainer = SaeTrainer.create(config, source);
  const initial = await trainer.snapshot();
  while (!trainer.done) await trainer.trainStep();
  const final = await trainer.snapshot();
  trainer.dispose();
  source.dispose();
  return { initial, final, trainer };
}

function rowNorms(m: Float32Array, rows: number, cols: number): number[] {
  return Array.from({ length: rows }, (_, r) => Math.hypot(...m.subarray(r * cols, (r + 1) * cols)));
}

const frobenius = (m: Float32Array) => Math.hypot(...m);

describe('SaeTrainer', () => {
  it('starts tied: W_enc is exactly W_decᵀ at step 0, with unit decoder rows', async () => {
    const c = tinyConfig({ length: { unit: 'steps', value: 1 } });
    const { initial } = await train(c);
    for (let j = 0; j < c.d_sae; j++) for (let i = 0; i < c.d_in; i++) expect(initial.W_enc[i * c.d_sae + j]).toBe(initial.W_dec[j * c.d_in + i]);
    for (const norm of rowNorms(initial.W_dec, c.d_sae, c.d_in)) expect(norm).toBeCloseTo(1, 5);
  });

  it('starts untied when tied init is off', async () => {
    const c = tinyConfig({ init: UNCONSTRAINED, length: { unit: 'steps', value: 1 } });
    const { initial } = await train(c);
    let differs = 0;
    for (let j = 0; j < c.d_sae; j++) for (let i = 0; i < c.d_in; i++) if (initial.W_enc[i * c.d_sae + j] !== initial.W_dec[j * c.d_in + i]) differs++;
    expect(differs).toBe(c.d_sae * c.d_in);
  });

  it('keeps decoder rows at unit norm after many steps with the constraint on, and not without it', async () => {
    const steps = { unit: 'steps', value: 150 } as const;
    const constrained = await train(tinyConfig({ length: steps, optim: { lr: 1e-2 } }));
    for (const norm of rowNorms(constrained.final.W_dec, 12, 8)) expect(norm).toBeCloseTo(1, 5);
    const free = await train(tinyConfig({ length: steps, optim: { lr: 1e-2 }, init: { unitNormDecoder: false } }));
    const drift = rowNorms(free.final.W_dec, 12, 8).map((v) => Math.abs(v - 1));
    expect(Math.max(...drift)).toBeGreaterThan(1e-2);
  });

  it('b_dec starts at the geometric median of the first batch, which beats the mean on the distance sum', async () => {
    const c = tinyConfig({ length: { unit: 'steps', value: 1 } });
    const { initial } = await train(c);
    const mean = await train(tinyConfig({ length: { unit: 'steps', value: 1 }, init: { bDecInit: 'mean' } }));
    expect(Array.from(initial.b_dec)).not.toEqual(Array.from(mean.initial.b_dec));
    expect(Math.hypot(...initial.b_dec)).toBeGreaterThan(0);
  });

  it('an L2 penalty gives smaller weight norms than none at equal steps', async () => {
    const base = { init: UNCONSTRAINED, length: { unit: 'steps', value: 120 }, optim: { lr: 1e-2 } } as const;
    const none = await train(tinyConfig(base));
    const l2 = await train(tinyConfig({ ...base, penalty: { kind: 'l2', coeff: 1e-2, on: 'both' } }));
    expect(frobenius(l2.final.W_enc)).toBeLessThan(frobenius(none.final.W_enc));
    expect(frobenius(l2.final.W_dec)).toBeLessThan(frobenius(none.final.W_dec));
    // Penalising only the encoder leaves the decoder free to grow.
    const encOnly = await train(tinyConfig({ ...base, penalty: { kind: 'l2', coeff: 1e-2, on: 'encoder' } }));
    expect(frobenius(encOnly.final.W_enc)).toBeLessThan(frobenius(none.final.W_enc));
    expect(frobenius(encOnly.final.W_dec)).toBeGreaterThan(frobenius(l2.final.W_dec));
  });

  it('is reproducible by seed: the same seed gives identical weights, another seed different ones', async () => {
    const c = tinyConfig({ activation: { kind: 'topk', k: 2, auxkCoeff: 1 / 32, kAux: 4 }, deadAfterTokens: 32 });
    const a = await train(c);
    const b = await train(c);
    const other = await train({ ...c, seed: 1 });
    expect(Array.from(a.final.W_dec)).toEqual(Array.from(b.final.W_dec));
    expect(Array.from(a.final.W_enc)).toEqual(Array.from(b.final.W_enc));
    expect(Array.from(a.final.W_dec)).not.toEqual(Array.from(other.final.W_dec));
  });

  it('reports metrics at the interval and on the last step, with terms that sum to the loss', async () => {
    const c = tinyConfig({ length: { unit: 'steps', value: 12 }, metricsEvery: 5, penalty: { kind: 'l1', coeff: 1e-3, on: 'both' } });
    const source = tensorSource(planted.data, c.d_in);
    const trainer = SaeTrainer.create(c, source);
    const reported: number[] = [];
    while (!trainer.done) {
      const m = await trainer.trainStep();
      if (!m) continue;
      reported.push(m.step);
      expect(Object.keys(m.terms).sort()).toEqual(['mse', 'penalty', 'sparsity']);
      expect(m.terms.mse + m.terms.sparsity + m.terms.penalty).toBeCloseTo(m.loss, 6);
      expect(m.mse).toBeCloseTo(m.terms.mse, 6);
      expect(m.fvu).toBeGreaterThan(0);
      expect(m.l0).toBeGreaterThan(0);
      expect(m.l0).toBeLessThanOrEqual(c.d_sae);
    }
    expect(reported).toEqual([5, 10, 12]);
    trainer.dispose();
    source.dispose();
  });

  it('counts latents as dead after deadAfterTokens without firing, and only then feeds AuxK', async () => {
    async function run(deadAfterTokens: number) {
      const c = tinyConfig({ activation: { kind: 'topk', k: 1, auxkCoeff: 1, kAux: 4 }, deadAfterTokens, length: { unit: 'steps', value: 6 }, metricsEvery: 1 });
      const source = tensorSource(planted.data, c.d_in);
      const trainer = SaeTrainer.create(c, source);
      const out: { deadFrac: number; auxk: number }[] = [];
      while (!trainer.done) {
        const m = (await trainer.trainStep())!;
        out.push({ deadFrac: m.deadFrac, auxk: m.terms.auxk });
      }
      trainer.dispose();
      source.dispose();
      return out;
    }
    // k = 1 with batch 16 cannot fire all 12 latents every batch: with a one-batch window some are dead.
    const short = await run(16);
    expect(short[0]).toEqual({ deadFrac: 0, auxk: 0 }); // nothing has had time to die
    expect(Math.max(...short.map((m) => m.deadFrac))).toBeGreaterThan(0);
    expect(Math.max(...short.map((m) => m.auxk))).toBeGreaterThan(0);
    const long = await run(1e9);
    expect(long.every((m) => m.deadFrac === 0 && m.auxk === 0)).toBe(true);
  });

  it.each([0, 1])('does not leak tensors across steps (gradient clipping %d)', async (clipGradNorm) => {
    const c = tinyConfig({ activation: { kind: 'topk', k: 2, auxkCoeff: 1 / 32, kAux: 4 }, length: { unit: 'steps', value: 10 }, metricsEvery: 3, optim: { clipGradNorm } });
    const source = tensorSource(planted.data, c.d_in);
    const trainer = SaeTrainer.create(c, source);
    await trainer.trainStep();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 6; i++) await trainer.trainStep();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    source.dispose();
  });

  it('frees every tensor it created when disposed', () => {
    const source = tensorSource(planted.data, 8);
    const cycle = () => {
      const trainer = SaeTrainer.create(tinyConfig(), source);
      trainer.trainStep();
      trainer.dispose();
    };
    cycle(); // tfjs caches a few constants on first use
    const before = tf.memory().numTensors;
    cycle();
    expect(tf.memory().numTensors).toBe(before);
    source.dispose();
  });

  it('refuses a configuration that does not fit the data, naming the problem', () => {
    const source = tensorSource(planted.data, 8);
    expect(() => SaeTrainer.create(tinyConfig({ d_in: 10 }), source)).toThrow(/d_in = 10/);
    expect(() => SaeTrainer.create(tinyConfig({ activation: { kind: 'topk', k: 50, auxkCoeff: 0, kAux: 1 } }), source)).toThrow(/k = 50 is larger than the width/);
    expect(() => SaeTrainer.create(tinyConfig({ optim: { lr: -1 } }), source)).toThrow(/learning rate/);
    expect(() => SaeTrainer.create(tinyConfig({ d_sae: 0 }), source)).toThrow(/width/);
    source.dispose();
  });
});
