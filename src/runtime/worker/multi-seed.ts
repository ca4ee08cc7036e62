/**
 * Several seeds of one configuration trained side by side on one shared batch source: one step of
 * each seed in turn, so all seeds are at the same point of training whenever the page looks.
 * Each seed's trainer is exactly the one it would be alone (same config with its seed, same
 * source), so its weights are too. The RunLoop drives it like a single trainer.
 */
import type { SaeWeights } from '../../core/sae/weights';
import type { TrainerCheckpoint } from '../../core/train/checkpoint';
import type { TrainConfig } from '../../core/train/config';
import type { SeedMetrics, StepMetrics } from '../../core/train/metrics';
import type { BatchSource } from '../../core/train/source';
import { SaeTrainer } from '../../core/train/trainer';
import type { LabMetricsUpdate } from '../protocol/lab-api';
import type { Steppable } from './run-loop';
import type { MetricsBatch } from '../protocol/trainer-api';

/**
 * Every seed's trainer state and whose turn is next: structured-cloneable plain data. Mid-round
 * (the RunLoop's chunks end anywhere) the seeds before `next` have done one step more.
 */
export interface MultiSeedCheckpoint {
  version: 1;
  seeds: number[];
  /** Index into `seeds` of the seed that steps next. */
  next: number;
  /** Steps done by every seed, as `MultiSeedTrainer.step`. */
  step: number;
  /** Steps done by the seed furthest on (step or step + 1): compare this with RunLoop.finiteThrough. */
  lastStep: number;
  /** In `seeds` order. */
  trainers: TrainerCheckpoint[];
  /** What `takeFiringFrequencies` answers when no step came since its last call. */
  lastFrequencies: Float32Array[] | null;
}

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

  /**
   * Continues `checkpoint` exactly: every seed ends with the weights the uninterrupted run has.
   * The checkpoint must fit `source` (see SaeTrainer.restore); problems are named with their seed.
   */
  static restore(checkpoint: MultiSeedCheckpoint, source: BatchSource): MultiSeedTrainer {
    const problems = multiSeedProblems(checkpoint);
    if (problems.length > 0) throw new Error(`Cannot resume from this checkpoint: ${problems.join('; ')}`);
    const trainers: SaeTrainer[] = [];
    try {
      checkpoint.trainers.forEach((t, s) => {
        try {
          trainers.push(SaeTrainer.restore(t, source));
        } catch (error) {
          throw new Error(`seed ${checkpoint.seeds[s]}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
      });
    } catch (error) {
      for (const t of trainers) t.dispose();
      throw error;
    }
    const restored = new MultiSeedTrainer([...checkpoint.seeds], trainers);
    restored.next = checkpoint.next;
    restored.lastFrequencies = checkpoint.lastFrequencies?.map((f) => f.slice()) ?? null;
    return restored;
  }

  /**
   * Every seed's state, read back from the device. Captured when called (steps queued during the
   * read do not change it); rejects with a DivergedError if any seed's state is non-finite.
   */
  async checkpoint(): Promise<MultiSeedCheckpoint> {
    const { next, step } = this;
    const lastFrequencies = this.lastFrequencies?.map((f) => f.slice()) ?? null;
    const trainers = await Promise.all(this.trainers.map((t) => t.checkpoint()));
    const lastStep = Math.max(...trainers.map((t) => t.step));
    return { version: 1, seeds: [...this.seeds], next, step, lastStep, trainers, lastFrequencies };
  }

  /** The shared configuration; its `seed` is the first seed's (each trainer has its own). */
  get config(): TrainConfig {
    return this.trainers[0].config;
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

/** Whatever makes a multi-seed checkpoint inconsistent; each trainer's own state is checked on restore. */
function multiSeedProblems(cp: MultiSeedCheckpoint): string[] {
  if (cp?.version !== 1) return [`version must be 1 (got ${cp?.version})`];
  const seeds = Array.isArray(cp.seeds) ? cp.seeds : [];
  try {
    checkSeeds(seeds);
  } catch (error) {
    return [`seeds: ${(error as Error).message}`];
  }
  if (!Array.isArray(cp.trainers) || cp.trainers.length !== seeds.length) return [`trainers must hold one checkpoint per seed (${seeds.length}), got ${cp.trainers?.length}`];
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => void (ok || problems.push(message));
  check(Number.isInteger(cp.next) && cp.next >= 0 && cp.next < seeds.length, `next must be a seed index from 0 to ${seeds.length - 1} (got ${cp.next})`);
  const shared = (c: TrainConfig) => JSON.stringify({ ...c, seed: 0 });
  cp.trainers.forEach((t, s) => {
    check(t?.config?.seed === seeds[s], `trainers[${s}] is for seed ${t?.config?.seed}, expected seed ${seeds[s]}`);
    check(t?.config !== undefined && shared(t.config) === shared(cp.trainers[0].config), `trainers[${s}] (seed ${seeds[s]}) has another configuration than seed ${seeds[0]}`);
    // Seeds step in turn: those before `next` are one step ahead of the rest.
    const expected = cp.step + (s < cp.next ? 1 : 0);
    check(t?.step === expected, `trainers[${s}] (seed ${seeds[s]}) is at step ${t?.step}, expected ${expected} at step ${cp.step} with seed index ${cp.next} next`);
  });
  const d_sae = cp.trainers[0].config?.d_sae;
  check(cp.lastFrequencies === null || (Array.isArray(cp.lastFrequencies) && cp.lastFrequencies.length === seeds.length && cp.lastFrequencies.every((f) => f instanceof Float32Array && f.length === d_sae)), `lastFrequencies must be null or one Float32Array of ${d_sae} values per seed`);
  return problems;
}

/** A RunLoop batch of SeedStepMetrics split by seed, in `seeds` order (each seed's metrics by step). */
export function labMetricsUpdate(batch: MetricsBatch, seeds: number[]): LabMetricsUpdate {
  const perSeed: SeedMetrics[] = seeds.map((seed) => ({ seed, metrics: [] }));
  for (const labelled of batch.metrics as SeedStepMetrics[]) {
    const { seed, ...metrics } = labelled;
    const entry = perSeed.find((p) => p.seed === seed);
    if (!entry) throw new Error(`metrics of seed ${seed}, which is not in this run`);
    entry.metrics.push(metrics);
  }
  return { perSeed, step: batch.step, totalSteps: batch.totalSteps, elapsedMs: batch.elapsedMs };
}
