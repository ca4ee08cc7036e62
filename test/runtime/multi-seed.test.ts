import { describe, expect, it } from 'vitest';
import { plantedDictionary } from '../../src/core/data/planted';
import type { SaeWeights } from '../../src/core/sae/weights';
import { tensorSource } from '../../src/core/train/source';
import { SaeTrainer } from '../../src/core/train/trainer';
import { tf } from '../../src/core/tf';
import { labMetricsUpdate, MultiSeedTrainer, type MultiSeedCheckpoint, type SeedStepMetrics } from '../../src/runtime/worker/multi-seed';
import { tinyConfig } from '../helpers/configs';
import { referenceEncode } from '../core/analysis/helpers';

const planted = plantedDictionary({ nFeatures: 12, d: 8, n: 256, activePerSample: 2, seed: 3 });
const SEEDS = [0, 3, 7];

async function runToEnd(trainer: { done: boolean; trainStep(): Promise<unknown> | null }): Promise<unknown[]> {
  const reads: Promise<unknown>[] = [];
  while (!trainer.done) {
    const read = trainer.trainStep();
    if (read) reads.push(read);
  }
  return Promise.all(reads);
}

function stepEverySeedOnce(trainer: MultiSeedTrainer): void {
  for (let k = 0; k < SEEDS.length; k++) trainer.trainStep();
}

describe('MultiSeedTrainer', () => {
  it('gives every seed exactly the weights it gets when trained alone', async () => {
    const config = tinyConfig({ length: { unit: 'steps', value: 15 } });
    const source = tensorSource(planted.data, 8);
    const together = MultiSeedTrainer.create(config, SEEDS, source);
    await runToEnd(together);
    const jointly = await together.snapshots();
    together.dispose();

    const alone: SaeWeights[] = [];
    for (const seed of SEEDS) {
      const trainer = SaeTrainer.create({ ...config, seed }, source);
      await runToEnd(trainer);
      alone.push(await trainer.snapshot());
      trainer.dispose();
    }
    source.dispose();
    jointly.forEach((w, s) => {
      expect(w.W_enc).toEqual(alone[s].W_enc);
      expect(w.W_dec).toEqual(alone[s].W_dec);
      expect(w.b_dec).toEqual(alone[s].b_dec);
    });
    // Different seeds really are different SAEs.
    expect(jointly[1].W_dec).not.toEqual(jointly[0].W_dec);
  });

  it('advances the seeds in turn and labels each metric with its seed', async () => {
    const config = tinyConfig({ length: { unit: 'steps', value: 10 }, metricsEvery: 5 });
    const source = tensorSource(planted.data, 8);
    const trainer = MultiSeedTrainer.create(config, SEEDS, source);
    expect(trainer.totalSteps).toBe(10);
    for (let k = 0; k < 4; k++) trainer.trainStep();
    expect(trainer.step).toBe(1); // seed 0 has done 2 steps, the others 1
    const metrics = (await runToEnd(trainer)) as SeedStepMetrics[];
    expect(trainer.step).toBe(10);
    expect(metrics.map((m) => `${m.seed}@${m.step}`).sort()).toEqual(['0@10', '0@5', '3@10', '3@5', '7@10', '7@5']);

    const update = labMetricsUpdate({ metrics, step: 10, totalSteps: 10, elapsedMs: 1 }, SEEDS);
    expect(update.perSeed.map((p) => p.seed)).toEqual(SEEDS);
    for (const { seed, metrics: own } of update.perSeed) {
      expect(own.map((m) => m.step).sort((a, b) => a - b)).toEqual([5, 10]);
      expect(own.every((m) => !('seed' in m))).toBe(true);
      expect(own.map((m) => m.loss)).toEqual(metrics.filter((m) => m.seed === seed).map((m) => m.loss));
    }
    trainer.dispose();
    source.dispose();
  });

  it('reports the fraction of training inputs each feature fired on since the last read', async () => {
    // One batch is the whole data set, so a step's inputs are known whatever the order.
    const config = tinyConfig({ batchSize: 256, length: { unit: 'steps', value: 2 } });
    const source = tensorSource(planted.data, 8);
    const trainer = MultiSeedTrainer.create(config, SEEDS, source);
    const expectFrequencies = (frequencies: Float32Array[], weights: SaeWeights[]) =>
      frequencies.forEach((frequency, s) => {
        const fired = new Array<number>(12).fill(0);
        for (let r = 0; r < 256; r++) referenceEncode(weights[s], planted.data.subarray(r * 8, (r + 1) * 8), config.activation).forEach((v, i) => (fired[i] += v > 0 ? 1 : 0));
        frequency.forEach((v, i) => expect(v).toBeCloseTo(fired[i] / 256, 6));
      });

    const initial = await trainer.snapshots();
    stepEverySeedOnce(trainer);
    const first = await trainer.takeFiringFrequencies();
    expectFrequencies(first, initial);
    expect(first[0].some((v) => v > 0 && v < 1)).toBe(true);
    // With no step since, the latest window's frequencies stand.
    expect(await trainer.takeFiringFrequencies()).toEqual(first);
    // The next window counts only the next step's inputs, seen by the weights after step 1.
    const afterOne = await trainer.snapshots();
    stepEverySeedOnce(trainer);
    expectFrequencies(await trainer.takeFiringFrequencies(), afterOne);
    trainer.dispose();
    source.dispose();
  });

  it('resumes from a mid-round checkpoint with every seed bitwise where the uninterrupted run ends', async () => {
    const config = tinyConfig({ activation: { kind: 'topk', k: 2, auxkCoeff: 1 / 8, kAux: 4 }, deadAfterTokens: 48, length: { unit: 'steps', value: 20 } });
    const source = tensorSource(planted.data, 8);
    const whole = MultiSeedTrainer.create(config, SEEDS, source);
    await runToEnd(whole);
    const expected = await whole.snapshots();
    const expectedFrequencies = await whole.takeFiringFrequencies();
    whole.dispose();

    const first = MultiSeedTrainer.create(config, SEEDS, source);
    const reads: Promise<unknown>[] = [];
    for (let k = 0; k < 3 * 7 + 2; k++) reads.push(first.trainStep() ?? Promise.resolve());
    await Promise.all(reads); // a read frees its report tensor when it lands
    const before = tf.memory().numTensors;
    const checkpoint = structuredClone(await first.checkpoint());
    expect(tf.memory().numTensors).toBe(before);
    first.dispose();
    // Two seeds are one step ahead; the third steps next.
    expect(checkpoint).toMatchObject({ next: 2, step: 7, lastStep: 8 });
    expect(checkpoint.trainers.map((t) => t.step)).toEqual([8, 8, 7]);

    const resumed = MultiSeedTrainer.restore(checkpoint, source);
    expect(resumed.step).toBe(7);
    await runToEnd(resumed);
    const got = await resumed.snapshots();
    got.forEach((w, s) => {
      expect(Array.from(w.W_enc)).toEqual(Array.from(expected[s].W_enc));
      expect(Array.from(w.W_dec)).toEqual(Array.from(expected[s].W_dec));
      expect(Array.from(w.b_dec)).toEqual(Array.from(expected[s].b_dec));
    });
    expect(await resumed.takeFiringFrequencies()).toEqual(expectedFrequencies);
    resumed.dispose();
    source.dispose();
  });

  it('refuses an inconsistent multi-seed checkpoint, naming the seed and the field', async () => {
    const config = tinyConfig({ length: { unit: 'steps', value: 10 } });
    const source = tensorSource(planted.data, 8);
    const trainer = MultiSeedTrainer.create(config, SEEDS, source);
    for (let k = 0; k < 4; k++) trainer.trainStep();
    const good = await trainer.checkpoint();
    trainer.dispose();
    const restoreWith = (change: (cp: MultiSeedCheckpoint) => void) => {
      const cp = structuredClone(good);
      change(cp);
      return () => MultiSeedTrainer.restore(cp, source).dispose();
    };
    const before = tf.memory().numTensors;
    expect(restoreWith((cp) => (cp.next = 0))).toThrow(/trainers\[0\] \(seed 0\) is at step 2, expected 1 at step 1 with seed index 0 next/);
    expect(restoreWith((cp) => (cp.seeds = [0, 3, 8]))).toThrow(/trainers\[2\] is for seed 7, expected seed 8/);
    expect(restoreWith((cp) => cp.trainers.pop())).toThrow(/one checkpoint per seed \(3\), got 2/);
    expect(restoreWith((cp) => (cp.trainers[1].config.optim.lr = 0.5))).toThrow(/trainers\[1\] \(seed 3\) has another configuration than seed 0/);
    // A bad trainer after good ones: the error names its seed, and the good ones are freed.
    expect(restoreWith((cp) => (cp.trainers[2].weights.b_dec[0] = Infinity))).toThrow(/seed 7: Cannot resume .*non-finite values in weights.b_dec \(1 of 8 values\)/);
    expect(tf.memory().numTensors).toBe(before);
    source.dispose();
  });

  it('rejects an empty or repeated seed list', () => {
    const source = tensorSource(planted.data, 8);
    expect(() => MultiSeedTrainer.create(tinyConfig(), [], source)).toThrow(/at least one seed/);
    expect(() => MultiSeedTrainer.create(tinyConfig(), [1, 1], source)).toThrow(/differ/);
    source.dispose();
  });
});
