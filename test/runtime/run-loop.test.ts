import { describe, expect, it } from 'vitest';
import { tf } from '../../src/core/tf';
import { plantedDictionary } from '../../src/core/data/planted';
import { UNCONSTRAINED } from '../../src/core/presets';
import type { TrainConfig } from '../../src/core/train/config';
import { DivergedError } from '../../src/core/train/divergence';
import type { StepMetrics } from '../../src/core/train/metrics';
import { tensorSource } from '../../src/core/train/source';
import { MultiSeedTrainer } from '../../src/runtime/worker/multi-seed';
import { RunLoop, type Steppable } from '../../src/runtime/worker/run-loop';
import type { MetricsBatch } from '../../src/runtime/protocol/trainer-api';
import { tinyConfig } from '../helpers/configs';

const planted = plantedDictionary({ nFeatures: 12, d: 8, n: 256, activePerSample: 2, seed: 3 });
const SEEDS = [0, 3, 7];
// Short chunks and an emit after each, so a few dozen steps cross many chunk boundaries.
const TIMING = { chunkMs: 1, emitEveryMs: 0, maxReadsInFlight: 2 };

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A trainer without tensors: every step reports metrics whose loss is `lossAt(step)`. */
class FakeTrainer implements Steppable {
  step = 0;
  /** The step count when the loop first looked at a non-finite read-back. */
  noticedAt: number | null = null;

  constructor(
    readonly totalSteps: number,
    private readonly lossAt: (step: number) => number,
    readonly config: TrainConfig = tinyConfig(),
  ) {}

  get done(): boolean {
    return this.step >= this.totalSteps;
  }

  trainStep(): Promise<StepMetrics> {
    const step = ++this.step;
    const loss = this.lossAt(step);
    const terms = { mse: loss };
    const record = () => (this.noticedAt ??= Number.isFinite(loss) ? null : this.step);
    const metrics = { step, epoch: 0, lr: 0, loss, mse: loss, fvu: 0, l0: 0, deadFrac: 0, encNorm: 1, decNorm: 1, terms };
    // Reading the terms is how the loop checks a read-back: note how far training had got then.
    return Promise.resolve(Object.defineProperty(metrics, 'terms', { get: () => (record(), terms) }));
  }
}

function collect(): { batches: MetricsBatch[]; emit: (b: MetricsBatch) => void; steps: () => number[] } {
  const batches: MetricsBatch[] = [];
  return { batches, emit: (b) => batches.push(b), steps: () => batches.flatMap((b) => b.metrics.map((m) => m.step)) };
}

describe('RunLoop divergence', () => {
  it('ends the run as diverged at the first non-finite loss, training nothing after it is noticed', async () => {
    const trainer = new FakeTrainer(1000, (step) => (step < 30 ? 1 / step : NaN), tinyConfig({ optim: { lr: 0.5 } }));
    const { emit, steps } = collect();
    const end = await new RunLoop(trainer, emit, TIMING).run();
    expect(end).toMatchObject({ reason: 'diverged', divergence: { step: 30, seed: 0, terms: ['mse', 'loss'] } });
    expect(trainer.step).toBe(trainer.noticedAt);
    expect(trainer.step).toBeLessThan(1000);
    expect(end.step).toBe(trainer.step);
    expect(end.message).toMatch(/diverged at step 30 \(seed 0\): mse = NaN, loss = NaN\./);
    expect(end.message).toMatch(/the learning rate 0.5 is probably too high/);
    // Metrics of step 29 were finite: its loss was computed on the weights after step 28.
    expect(end.finiteThrough).toBe(28);
    // Only finite metrics reach the page.
    expect(steps()).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
  });

  it('names the seed and the learning rate when a multi-seed run blows up', async () => {
    // Adam moves every weight by about lr on the first step: at 1e36 the next reconstruction overflows.
    const config = tinyConfig({ init: UNCONSTRAINED, optim: { lr: 1e36 }, metricsEvery: 1, length: { unit: 'steps', value: 200 } });
    const source = tensorSource(planted.data, 8);
    const before = tf.memory().numTensors;
    const trainer = MultiSeedTrainer.create(config, SEEDS, source);
    const { emit, batches } = collect();
    const end = await new RunLoop(trainer, emit, TIMING).run();
    expect(end.reason).toBe('diverged');
    expect(trainer.done).toBe(false);
    const { divergence } = end;
    expect(SEEDS).toContain(divergence!.seed);
    expect(end.message).toMatch(new RegExp(`diverged at step ${divergence!.step} \\(seed ${divergence!.seed}\\): mse = (NaN|Infinity)`));
    expect(end.message).toMatch(/the learning rate 1e\+36 is probably too high/);
    expect(end.finiteThrough).toBeLessThan(divergence!.step);
    expect(batches.flatMap((b) => b.metrics).every((m) => Number.isFinite(m.loss))).toBe(true);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    source.dispose();
  });

  it('ends the run as diverged when work run between chunks finds non-finite state', async () => {
    const trainer = new FakeTrainer(100_000, () => 1);
    let refusedAt = -1;
    const loop = new RunLoop(trainer, () => undefined, TIMING);
    const refusal = loop.between(() => {
      refusedAt = trainer.step;
      throw new DivergedError({ step: trainer.step, terms: ['weights.W_dec'], message: 'W_dec is NaN' });
    });
    const finished = loop.run();
    await expect(refusal).rejects.toThrow(/W_dec is NaN/);
    const end = await finished;
    expect(end).toMatchObject({ reason: 'diverged', message: 'W_dec is NaN' });
    expect(trainer.step).toBe(refusedAt);
  });
});

describe('RunLoop milestones', () => {
  it('stops its chunk at every multiple of the interval, before any later step, including with long chunks', async () => {
    const trainer = new FakeTrainer(50, () => 1, tinyConfig());
    const seen: [number, number][] = [];
    const milestones = { every: 7, reached: (step: number) => seen.push([step, trainer.step]) };
    await new RunLoop(trainer, () => undefined, { ...TIMING, chunkMs: 10_000 }, milestones).run();
    expect(seen).toEqual([7, 14, 21, 28, 35, 42, 49].map((s) => [s, s]));
  });

  it('in a multi-seed run, reaches a milestone only once every seed has taken that step', async () => {
    const trainer = MultiSeedTrainer.create(tinyConfig({ length: { unit: 'steps', value: 12 } }), SEEDS, tensorSource(planted.data, 8));
    const seen: number[][] = [];
    try {
      await new RunLoop(trainer, () => undefined, TIMING, { every: 4, reached: () => seen.push((trainer as unknown as { trainers: { step: number }[] }).trainers.map((t) => t.step)) }).run();
    } finally {
      trainer.dispose();
    }
    expect(seen).toEqual([4, 8, 12].map((s) => SEEDS.map(() => s)));
  });
});

describe('RunLoop.between', () => {
  it('runs work between chunks with no step taken while it runs, then training goes on', async () => {
    const trainer = new FakeTrainer(400, () => 1);
    const seen: [number, number][] = [];
    const loop = new RunLoop(trainer, () => undefined, TIMING);
    const work = async () => {
      const at = trainer.step;
      for (let i = 0; i < 3; i++) await macrotask(); // long enough for several chunks, were they allowed
      seen.push([at, trainer.step]);
    };
    const finished = loop.run();
    await macrotask();
    await Promise.all([loop.between(work), loop.between(work)]);
    const end = await finished;
    expect(end.reason).toBe('done');
    expect(seen).toHaveLength(2);
    for (const [at, after] of seen) expect(after).toBe(at);
  });

  it('while paused runs at once, and a resume meanwhile waits for it', async () => {
    const trainer = new FakeTrainer(50, () => 1);
    const loop = new RunLoop(trainer, () => undefined, TIMING);
    loop.pause();
    const finished = loop.run();
    await macrotask();
    const step = await loop.between(async () => {
      loop.resume();
      for (let i = 0; i < 3; i++) await macrotask();
      return trainer.step;
    });
    expect(step).toBe(0);
    expect((await finished).reason).toBe('done');
  });

  it('runs at once before the run starts and after it ends', async () => {
    const trainer = new FakeTrainer(5, () => 1);
    const loop = new RunLoop(trainer, () => undefined, TIMING);
    expect(await loop.between(() => trainer.step)).toBe(0);
    await loop.run();
    expect(await loop.between(() => trainer.step)).toBe(5);
  });

  it('takes a multi-seed checkpoint mid-run that resumes to the same weights as the whole run', async () => {
    const config = tinyConfig({ activation: { kind: 'topk', k: 2, auxkCoeff: 1 / 8, kAux: 4 }, deadAfterTokens: 48, length: { unit: 'steps', value: 40 } });
    const source = tensorSource(planted.data, 8);
    const before = tf.memory().numTensors;
    const trainer = MultiSeedTrainer.create(config, SEEDS, source);
    let checkpoint: ReturnType<MultiSeedTrainer['checkpoint']> | null = null;
    const loop = new RunLoop(trainer, () => (checkpoint ??= loop.between(() => trainer.checkpoint())), TIMING);
    const end = await loop.run();
    const whole = await trainer.snapshots();
    trainer.dispose();
    expect(end).toMatchObject({ reason: 'done', finiteThrough: 39 });

    const taken = await checkpoint!;
    const resumed = MultiSeedTrainer.restore(taken, source);
    await new RunLoop(resumed, () => undefined, TIMING).run();
    const got = await resumed.snapshots();
    resumed.dispose();
    got.forEach((w, s) => expect(Array.from(w.W_dec)).toEqual(Array.from(whole[s].W_dec)));
    expect(tf.memory().numTensors).toBe(before);
    source.dispose();
  });
});
