/**
 * Trains one configuration's seeds the way the lab's worker does (src/runtime/worker/lab-session.ts): a
 * MultiSeedTrainer driven by a RunLoop, so the runner's weights, metrics and divergence reports are
 * the lab's. With `checkpointEverySeconds` the state goes to `DIR/<name>/checkpoint.safetensors`
 * every so many seconds of training, and a run given that checkpoint continues it exactly.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alignSeeds, type AlignmentSummary } from '../core/align';
import { writeSaeLens } from '../core/formats/saelens';
import { saeArchitecture } from '../core/sae/variants';
import type { SaeWeights } from '../core/sae/weights';
import { foldInputScale } from '../core/shards/normalise';
import type { StepMetrics } from '../core/train/metrics';
import type { BatchSource } from '../core/train/source';
import type { SweepEntry } from '../core/sweeps';
import { labMetricsUpdate, MultiSeedTrainer, type MultiSeedCheckpoint } from '../runtime/worker/multi-seed';
import { RunLoop } from '../runtime/worker/run-loop';
import { writeCheckpoint, type TrainedEntry, type TrainingState } from './checkpoint-file';
import { ProgressBar } from './progress';

/** What the SAEs read, for their cfg.json: the hook and, for activations scaled before training, the scale to fold back in. */
export interface TrainedOn {
  hookName: string;
  modelName?: string;
  inputScale?: number;
}

export interface TrainOptions {
  /** Seconds of training between checkpoints on disk; none: no checkpoints. */
  checkpointEverySeconds?: number;
  /** A checkpoint of this configuration to continue. */
  resume?: TrainingState;
  /**
   * `seeds` are only some of the configuration's (a task's or a job's share): no alignment.json here, and
   * the weights come back for whoever holds the other seeds' (the jobs' parent, or `align DIR`).
   */
  partial?: boolean;
}

/** A trained configuration (or part of one), and for a part its seeds' weights, in `seeds` order. */
export interface EntryResult extends TrainedEntry {
  seeds: number[];
  weights?: SaeWeights[];
}

/**
 * Trains `entry` once per seed on `source`, writing each SAE in SAELens layout with its metrics
 * (JSONL), then (unless `partial`) the cross-seed alignment report: `DIR/<name>/seed-<s>/…` and
 * `DIR/<name>/alignment.json`.
 * A divergence ends the run with the RunLoop's message (step, seed, likely cause).
 */
export async function trainEntry(entry: SweepEntry, seeds: number[], source: BatchSource, outDir: string, on: TrainedOn, options: TrainOptions = {}): Promise<EntryResult> {
  const entryDir = join(outDir, entry.name);
  await mkdir(entryDir, { recursive: true });
  const { resume } = options;
  const trainer = resume ? MultiSeedTrainer.restore(resume.checkpoint, source) : MultiSeedTrainer.create(entry.config, seeds, source);
  try {
    const priorMs = resume?.elapsedMs ?? 0;
    const metrics = new MetricsLog(trainer, resume?.metrics);
    const bar = new ProgressBar(`${entry.name} (${seeds.length === 1 ? 'seed' : 'seeds'} ${seeds.join(', ')})`, trainer.totalSteps, undefined, trainer.step);
    let last = '';
    let saving: Promise<void> | null = null;
    let lastSavedMs = priorMs;
    // A checkpoint saves progress: none before the first step after the start (or the last one), however
    // long that step took to come on a loaded machine.
    let lastSavedStep = trainer.step;
    const everyMs = options.checkpointEverySeconds === undefined ? Infinity : options.checkpointEverySeconds * 1000;
    const save = async (elapsedMs: number) => {
      const checkpoint = await loop.between(() => trainer.checkpoint());
      // A checkpoint's metrics are those of the steps it has done: wait for the reads still on their way.
      await metrics.through(checkpoint);
      if (ended) return;
      await writeCheckpoint(entryDir, { status: 'training', checkpoint, metrics: metrics.upTo(checkpoint), elapsedMs });
    };
    let ended = false;
    const loop = new RunLoop(trainer, (batch) => {
      for (const { seed, metrics: ms } of labMetricsUpdate(batch, trainer.seeds).perSeed) {
        metrics.add(seed, ms);
        const m = ms.at(-1);
        if (m && seed === seeds[0]) last = `loss ${m.loss.toFixed(4)} mse ${m.mse.toFixed(4)} L0 ${m.l0.toFixed(1)}`;
      }
      bar.update(batch.step, last);
      const elapsedMs = priorMs + batch.elapsedMs;
      if (!saving && !trainer.done && batch.step > lastSavedStep && elapsedMs - lastSavedMs >= everyMs) {
        lastSavedMs = elapsedMs;
        lastSavedStep = batch.step;
        // A failed checkpoint leaves the previous one; one refused as non-finite ends the run as diverged.
        saving = save(elapsedMs)
          .catch((error: unknown) => console.warn(`${entry.name}: checkpoint failed (${(error as Error).message}); the previous one stays`))
          .finally(() => (saving = null));
      }
    });
    const end = await loop.run();
    ended = true;
    metrics.close();
    await saving;
    if (end.reason === 'diverged') throw new Error(`${entry.name}: ${end.message ?? `diverged at step ${end.step}`}`);
    const weights = await trainer.snapshots();

    await Promise.all(
      seeds.map(async (seed, s) => {
        const seedDir = join(entryDir, `seed-${seed}`);
        await mkdir(seedDir, { recursive: true });
        const config = { ...entry.config, seed };
        // Alignment is scale-free; the files read the model's raw stream.
        const files = writeSaeLens(on.inputScale === undefined ? weights[s] : foldInputScale(weights[s], on.inputScale), {
          hookName: on.hookName,
          ...(on.modelName ? { modelName: on.modelName } : {}),
          architecture: saeArchitecture(config.activation),
          training: config,
        });
        await Promise.all([
          ...Object.entries(files).map(([name, contents]) => writeFile(join(seedDir, name), contents)),
          writeFile(join(seedDir, 'metrics.jsonl'), metrics.of(seed).map((m) => JSON.stringify(m)).join('\n') + '\n'),
        ]);
      }),
    );

    // SAE steps (every seed's) per second of training, the time before a resume included.
    const stepsPerSecond = (trainer.totalSteps * seeds.length) / ((priorMs + end.elapsedMs) / 1000);
    if (options.partial) return { name: entry.name, seeds, alignment: null, stepsPerSecond, weights };
    const alignment = await alignEntry(entryDir, entry.name, weights);
    const result = { name: entry.name, alignment, stepsPerSecond };
    if (options.checkpointEverySeconds !== undefined) await writeCheckpoint(entryDir, { status: 'done', result });
    return { ...result, seeds };
  } finally {
    trainer.dispose();
  }
}

/** The cross-seed alignment of one configuration's SAEs (in seed order), also written to `DIR/<name>/alignment.json`; none for one seed. */
export async function alignEntry(entryDir: string, name: string, weights: SaeWeights[]): Promise<AlignmentSummary | null> {
  if (weights.length < 2) return null;
  const alignBar = new ProgressBar(`${name} alignment`, (weights.length * (weights.length - 1)) / 2);
  const alignment = (await alignSeeds(weights, { onProgress: (done) => alignBar.update(done) })).summary;
  await writeFile(join(entryDir, 'alignment.json'), JSON.stringify(alignment, null, 2) + '\n');
  return alignment;
}

/** Each seed's metrics in step order, and a wait for those a checkpoint has done. */
class MetricsLog {
  private readonly perSeed: Map<number, StepMetrics[]>;
  private waiters: { ready: () => boolean; resolve: () => void }[] = [];
  private closed = false;

  constructor(
    private readonly trainer: MultiSeedTrainer,
    saved: StepMetrics[][] | undefined,
  ) {
    this.perSeed = new Map(trainer.seeds.map((seed, s) => [seed, saved?.[s] ? [...saved[s]] : []]));
  }

  add(seed: number, metrics: StepMetrics[]): void {
    this.of(seed).push(...metrics);
    this.waiters = this.waiters.filter((w) => (w.ready() ? (w.resolve(), false) : true));
  }

  of(seed: number): StepMetrics[] {
    return this.perSeed.get(seed)!;
  }

  /** Per seed, the metrics of the steps `checkpoint` has done, in seed order. */
  upTo(checkpoint: MultiSeedCheckpoint): StepMetrics[][] {
    return checkpoint.seeds.map((seed, s) => this.of(seed).filter((m) => m.step <= checkpoint.trainers[s].step));
  }

  /** Resolves once every metric step up to each seed's step in `checkpoint` has been read (or the run ended). */
  through(checkpoint: MultiSeedCheckpoint): Promise<void> {
    const { metricsEvery } = this.trainer.config;
    const total = this.trainer.totalSteps;
    const ready = () =>
      checkpoint.seeds.every((seed, s) => {
        const step = checkpoint.trainers[s].step;
        // The newest metric step at or before `step`: a multiple of metricsEvery, or the last step.
        const expected = step === total ? total : step - (step % metricsEvery);
        return expected === 0 || (this.of(seed).at(-1)?.step ?? 0) >= expected;
      });
    if (this.closed || ready()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }

  /** The run ended: nothing more will come, so no wait goes on. */
  close(): void {
    this.closed = true;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }
}
