import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/core/tf';
import { plantedDictionary } from '../../../src/core/data/planted';
import { UNCONSTRAINED } from '../../../src/core/presets';
import type { TrainerCheckpoint } from '../../../src/core/train/checkpoint';
import type { TrainConfig } from '../../../src/core/train/config';
import { DivergedError } from '../../../src/core/train/divergence';
import type { StepMetrics } from '../../../src/core/train/metrics';
import { tensorSource, type BatchSource } from '../../../src/core/train/source';
import { SaeTrainer } from '../../../src/core/train/trainer';
import { tinyConfig } from '../../helpers/configs';

// 256 rows in batches of 16: 16 steps an epoch, so a checkpoint at step 21 falls mid-epoch.
const planted = plantedDictionary({ nFeatures: 12, d: 8, n: 256, activePerSample: 2, seed: 5 });
const schedule = { lr: 1e-2, warmupSteps: 6, decayStartFrac: 0.5, clipGradNorm: 1 };
const base = { d_sae: 16, length: { unit: 'epochs', value: 3 }, metricsEvery: 4, optim: schedule } as const;
const CONFIGS: [string, TrainConfig][] = [
  ['ReLU, unit-norm decoder, warm-up and decay', tinyConfig({ ...base, penalty: { kind: 'l2', coeff: 1e-3, on: 'both' } })],
  ['ReLU, no constraint, no biases', tinyConfig({ ...base, init: UNCONSTRAINED })],
  // A short dead window: latents die and revive, so AuxK depends on the restored tokensSinceFired.
  ['TopK with AuxK', tinyConfig({ ...base, activation: { kind: 'topk', k: 2, auxkCoeff: 1 / 8, kAux: 4 }, deadAfterTokens: 48 })],
];

interface Outcome {
  weights: Float32Array[];
  counts: Float32Array;
  inputs: number;
  metrics: StepMetrics[];
}

/** Trains to the end; records the metrics after step `from` and the final state. */
async function finish(trainer: SaeTrainer, from = 0): Promise<Outcome> {
  const metrics: StepMetrics[] = [];
  while (!trainer.done) {
    const m = await trainer.trainStep();
    if (m && m.step > from) metrics.push(m);
  }
  const w = await trainer.snapshot();
  const { counts, inputs } = await trainer.takeFiringCounts();
  trainer.dispose();
  return { weights: [w.W_enc, w.b_enc, w.W_dec, w.b_dec], counts, inputs, metrics };
}

async function trainSteps(trainer: SaeTrainer, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await trainer.trainStep();
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
function expectSameRun(resumed: Outcome, whole: Outcome): void {
  resumed.weights.forEach((w, i) => expect(bits(w)).toEqual(bits(whole.weights[i])));
  expect(Array.from(resumed.counts)).toEqual(Array.from(whole.counts));
  expect(resumed.inputs).toBe(whole.inputs);
  expect(resumed.metrics).toEqual(whole.metrics);
}

async function checkpointAt(config: TrainConfig, source: BatchSource, steps: number): Promise<TrainerCheckpoint> {
  const trainer = SaeTrainer.create(config, source);
  await trainSteps(trainer, steps);
  const checkpoint = await trainer.checkpoint();
  trainer.dispose();
  return checkpoint;
}

describe('SaeTrainer checkpoints', () => {
  it.each(CONFIGS)('resume bitwise exactly mid-epoch: %s', async (_, config) => {
    const source = tensorSource(planted.data, 8);
    const whole = await finish(SaeTrainer.create(config, source), 21);
    const checkpoint = await checkpointAt(config, source, 21);
    expect(checkpoint.step).toBe(21);
    // Through structured clone, as a checkpoint posted to another thread or stored in IndexedDB is.
    const resumed = await finish(SaeTrainer.restore(structuredClone(checkpoint), source), 21);
    expectSameRun(resumed, whole);
    // The run really moved on after the checkpoint (else the comparison proves nothing).
    expect(bits(resumed.weights[2])).not.toEqual(bits(checkpoint.weights.W_dec));
    source.dispose();
  });

  it('resumes exactly from a checkpoint at an epoch boundary and from step 0', async () => {
    const [, config] = CONFIGS[2];
    const source = tensorSource(planted.data, 8);
    const whole = await finish(SaeTrainer.create(config, source));
    for (const at of [0, 16]) {
      const resumed = await finish(SaeTrainer.restore(await checkpointAt(config, source, at), source), at);
      expectSameRun(resumed, { ...whole, metrics: whole.metrics.filter((m) => m.step > at) });
    }
    source.dispose();
  });

  it('captures the state when called, even if steps are queued before its read-back lands', async () => {
    const [, config] = CONFIGS[0];
    const source = tensorSource(planted.data, 8);
    const whole = await finish(SaeTrainer.create(config, source), 10);
    const trainer = SaeTrainer.create(config, source);
    await trainSteps(trainer, 10);
    const pending = trainer.checkpoint();
    await trainSteps(trainer, 5);
    const checkpoint = await pending;
    trainer.dispose();
    expect(checkpoint.step).toBe(10);
    expectSameRun(await finish(SaeTrainer.restore(checkpoint, source), 10), whole);
    source.dispose();
  });

  it('resumes a checkpoint saved before the parallel-gradient switch existed with removal on, as it trained then', async () => {
    // An unsquared L2 on the decoder: the one setting where removal changes the run a lot.
    const config = (removeParallelGrad: boolean) => tinyConfig({ ...base, penalty: { kind: 'l2-unsquared', coeff: 0.05, on: 'both' }, init: { removeParallelGrad } });
    const source = tensorSource(planted.data, 8);
    const removed = await finish(SaeTrainer.create(config(true), source), 21);
    const kept = await finish(SaeTrainer.create(config(false), source), 21);
    const old = structuredClone(await checkpointAt(config(true), source, 21));
    delete (old.config.init as Partial<TrainConfig['init']>).removeParallelGrad;
    const resumed = SaeTrainer.restore(old, source);
    expect(resumed.config.init.removeParallelGrad).toBe(true);
    expectSameRun(await finish(resumed, 21), removed);
    expect(bits(kept.weights[2])).not.toEqual(bits(removed.weights[2]));
    source.dispose();
  });

  it('restores into a trainer whose own checkpoint is the one it came from', async () => {
    const [, config] = CONFIGS[2];
    const source = tensorSource(planted.data, 8);
    const checkpoint = await checkpointAt(config, source, 9);
    const trainer = SaeTrainer.restore(checkpoint, source);
    expect(trainer.step).toBe(9);
    expect(await trainer.checkpoint()).toEqual(checkpoint);
    trainer.dispose();
    source.dispose();
  });

  it('neither checkpoint nor restore leaves tensors behind', async () => {
    const [, config] = CONFIGS[2];
    const source = tensorSource(planted.data, 8);
    const trainer = SaeTrainer.create(config, source);
    await trainSteps(trainer, 3);
    const before = tf.memory().numTensors;
    const checkpoint = await trainer.checkpoint();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    const afterDispose = tf.memory().numTensors;
    const restored = SaeTrainer.restore(checkpoint, source);
    await trainSteps(restored, 2);
    restored.dispose();
    expect(tf.memory().numTensors).toBe(afterDispose);
    source.dispose();
  });

  it('refuses a checkpoint that does not fit the data or is inconsistent, naming the field', async () => {
    const [, config] = CONFIGS[0];
    const source = tensorSource(planted.data, 8);
    const good = await checkpointAt(config, source, 5);
    const restoreWith = (change: (cp: TrainerCheckpoint) => void, on: BatchSource = source) => {
      const cp = structuredClone(good);
      change(cp);
      return () => SaeTrainer.restore(cp, on).dispose();
    };
    expect(restoreWith(() => undefined)).not.toThrow();
    const wider = tensorSource(new Float32Array(256 * 10), 10);
    expect(restoreWith(() => undefined, wider)).toThrow(/config: the data has 10 values per row but the SAE expects d_in = 8/);
    const fewer = tensorSource(planted.data.subarray(0, 128 * 8), 8);
    expect(restoreWith(() => undefined, fewer)).toThrow(/sourceSize is 256 but the data has 128 rows/);
    expect(restoreWith((cp) => (cp.step = 49))).toThrow(/step must be a whole number from 0 to the run's 48 steps \(got 49\)/);
    expect(restoreWith((cp) => (cp.weights.W_dec = new Float32Array(15 * 8)))).toThrow(/weights.W_dec has 120 values, expected 128 for d_in = 8, d_sae = 16/);
    expect(restoreWith((cp) => (cp.weights.d_sae = 12))).toThrow(/weights are 8 → 12, the config is 8 → 16/);
    expect(restoreWith((cp) => (cp.adam.moments.W_enc!.v[3] = NaN))).toThrow(/non-finite values in adam.moments.W_enc.v \(1 of 128 values\)/);
    expect(restoreWith((cp) => delete cp.adam.moments.b_dec)).toThrow(/adam.moments.b_dec.m must be a Float32Array \(got undefined\)/);
    expect(restoreWith((cp) => (cp.adam.step = 4))).toThrow(/adam.step is 4, expected the step count 5/);
    expect(restoreWith((cp) => (cp.tokensSinceFired = new Float32Array(12)))).toThrow(/tokensSinceFired has 12 values, expected 16/);
    expect(restoreWith((cp) => (cp.config.optim.lr = -1))).toThrow(/config: learning rate must be positive/);
    expect(restoreWith((cp) => ((cp as { version: number }).version = 2))).toThrow(/version must be 1 \(got 2\)/);
    wider.dispose();
    fewer.dispose();
    source.dispose();
  });

  it('refuses to checkpoint non-finite weights, naming the fields, the seed and the likely cause', async () => {
    // A penalty this strong overflows at once: the squared gradient in Adam's second moment is infinite.
    const config = tinyConfig({ seed: 4, penalty: { kind: 'l2', coeff: 1e38, on: 'both' } });
    const source = tensorSource(planted.data, 8);
    const trainer = SaeTrainer.create(config, source);
    await expect(trainer.checkpoint()).resolves.toMatchObject({ step: 0 });
    await trainer.trainStep();
    const refused = await trainer.checkpoint().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DivergedError);
    const { divergence } = refused as DivergedError;
    expect(divergence).toMatchObject({ step: 1, seed: 4 });
    expect(divergence.terms).toContain('adam.moments.W_enc.v');
    expect(divergence.message).toMatch(/diverged by step 1 \(seed 4\): non-finite values in .*adam.moments.W_enc.v \(\d+ of 96 values\)/);
    expect(divergence.message).toMatch(/the weight penalty 1e\+38 is probably too strong/);
    trainer.dispose();
    source.dispose();
  });
});
