/**
 * Several seeds of one configuration trained side by side on one shared batch source: one step of
 * each seed in turn, so all seeds are at the same point of training whenever the page looks.
 * Each seed's trainer is exactly the one it would be alone (same config with its seed, same
 * source), so its weights are too. The RunLoop drives it like a single trainer.
 */
import type { SaeWeights } from '../core/sae/weights';
import type { TrainConfig } from '../core/train/config';
import type { StepMetrics } from '../core/train/metrics';
import type { BatchSource } from '../core/train/source';
import { SaeTrainer } from '../core/train/trainer';
import type { LabMetricsUpdate } from './lab-api';
import type { Steppable } from './run-loop';
import type { MetricsBatch } from './trainer-api';

/** One seed's step metrics, labelled with the seed they belong to. */
export interface SeedStepMetrics extends StepMetrics {
  seed: number;
}

export class MultiSeedTrainer implements Steppable {
  readonly totalSteps: number;
  private next = 0;
  /** The latest frequencies per seed, for reads with no training in between. */
  private lastFrequencies: Float32Array[] | null = null;

  private constructor(
    readonly seeds: number[],
    private readonly trainers: SaeTrainer[],
  ) {
    this.totalSteps = trainers[0].totalSteps;
  }

  /** `config.seed` is replaced by each of `seeds`. */
  static create(config: TrainConfig, seeds: number[], source: BatchSource): MultiSeedTrainer {
    checkSeeds(seeds);
    const trainers: SaeTrainer[] = [];
    try {
      for (const seed of seeds) trainers.push(SaeTrainer.create({ ...config, seed }, source));
    } catch (error) {
      for (const t of trainers) t.dispose();
      throw error;
    }
    return new MultiSeedTrainer([...seeds], trainers);
  }

  /** Steps completed by every seed. */
  get step(): number {
    return Math.min(...this.trainers.map((t) => t.step));
  }

  get done(): boolean {
    return this.trainers.every((t) => t.done);
  }

  /** One step of the next seed in turn; on its metric steps, a promise of its metrics. */
  trainStep(): Promise<SeedStepMetrics> | null {
    const index = this.next;
    this.next = (this.next + 1) % this.trainers.length;
    const read = this.trainers[index].trainStep();
    const seed = this.seeds[index];
    return read && read.then((metrics) => ({ ...metrics, seed }));
  }

  /** Every seed's current weights, in `seeds` order. */
  snapshots(): Promise<SaeWeights[]> {
    return Promise.all(this.trainers.map((t) => t.snapshot()));
  }

  /**
   * Per seed [d_sae]: the fraction of training inputs since the previous call on which each
   * feature fired. With no step in between (a snapshot at a pause or at the end right after
   * another), the previous call's answer again rather than zeros; zeros before any step.
   */
  async takeFiringFrequencies(): Promise<Float32Array[]> {
    const taken = await Promise.all(this.trainers.map((t) => t.takeFiringCounts()));
    const frequencies = taken.map(({ counts, inputs }, s) => {
      if (inputs > 0) return counts.map((n) => n / inputs);
      return this.lastFrequencies?.[s].slice() ?? new Float32Array(counts.length);
    });
    this.lastFrequencies = frequencies.map((f) => f.slice());
    return frequencies;
  }

  dispose(): void {
    for (const t of this.trainers) t.dispose();
  }
}

function checkSeeds(seeds: number[]): void {
  if (seeds.length === 0) throw new Error('a run needs at least one seed');
  if (seeds.some((s) => !Number.isSafeInteger(s))) throw new Error(`seeds must be integers, got ${seeds.join(', ')}`);
  if (new Set(seeds).size !== seeds.length) throw new Error(`seeds must differ, got ${seeds.join(', ')}`);
}

/** A RunLoop batch of SeedStepMetrics split by seed, in `seeds` order (each seed's metrics by step). */
export function labMetricsUpdate(batch: MetricsBatch, seeds: number[]): LabMetricsUpdate {
  const perSeed = seeds.map((seed) => ({ seed, metrics: [] as StepMetrics[] }));
  for (const labelled of batch.metrics as SeedStepMetrics[]) {
    const { seed, ...metrics } = labelled;
    const entry = perSeed.find((p) => p.seed === seed);
    if (!entry) throw new Error(`metrics of seed ${seed}, which is not in this run`);
    entry.metrics.push(metrics);
  }
  return { perSeed, step: batch.step, totalSteps: batch.totalSteps, elapsedMs: batch.elapsedMs };
}
