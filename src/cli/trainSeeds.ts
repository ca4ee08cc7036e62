import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alignSeeds, type AlignmentSummary } from '../core/align';
import { writeSaeLens } from '../core/formats/saelens';
import type { SaeWeights } from '../core/sae/weights';
import { foldInputScale } from '../core/shards/normalise';
import type { BatchSource } from '../core/train/source';
import { SaeTrainer } from '../core/train/trainer';
import type { SweepEntry } from '../core/sweeps';
import { ProgressBar } from './progress';

export interface TrainedEntry {
  name: string;
  alignment: AlignmentSummary | null;
  stepsPerSecond: number;
}

/**
 * Trains one configuration once per seed on `source`, writing each SAE in SAELens layout with its
 * per-step metrics (JSONL), then the cross-seed alignment report: `DIR/<name>/seed-<s>/…` and
 * `DIR/<name>/alignment.json`.
 */
/** What the SAEs read, for their cfg.json: the hook and, for activations scaled before training, the scale to fold back in. */
export interface TrainedOn {
  hookName: string;
  modelName?: string;
  inputScale?: number;
}

export async function trainSeeds(entry: SweepEntry, seeds: number[], source: BatchSource, outDir: string, on: TrainedOn): Promise<TrainedEntry> {
  const entryDir = join(outDir, entry.name);
  const trained: SaeWeights[] = [];
  let steps = 0;
  let seconds = 0;
  for (const seed of seeds) {
    const config = { ...entry.config, seed };
    const seedDir = join(entryDir, `seed-${seed}`);
    await mkdir(seedDir, { recursive: true });
    const trainer = SaeTrainer.create(config, source);
    const bar = new ProgressBar(`${entry.name} seed ${seed}`, trainer.totalSteps);
    const metricLines: string[] = [];
    let last = '';
    const started = performance.now();
    while (!trainer.done) {
      const pending = trainer.trainStep();
      if (pending) {
        const m = await pending;
        metricLines.push(JSON.stringify(m));
        last = `loss ${m.loss.toFixed(4)} mse ${m.mse.toFixed(4)} L0 ${m.l0.toFixed(1)}`;
        if (!Number.isFinite(m.loss)) throw new Error(`${entry.name} seed ${seed}: the loss became ${m.loss} at step ${m.step}; lower the learning rate or the penalty`);
      }
      bar.update(trainer.step, last);
    }
    seconds += (performance.now() - started) / 1000;
    steps += trainer.totalSteps;
    const weights = await trainer.snapshot();
    trainer.dispose();
    trained.push(weights);
    // Alignment is scale-free; the files read the model's raw stream.
    const files = writeSaeLens(on.inputScale === undefined ? weights : foldInputScale(weights, on.inputScale), {
      hookName: on.hookName,
      ...(on.modelName ? { modelName: on.modelName } : {}),
      architecture: config.activation.kind === 'topk' ? { kind: 'topk', k: config.activation.k } : { kind: 'relu' },
      training: config,
    });
    await Promise.all([
      ...Object.entries(files).map(([name, contents]) => writeFile(join(seedDir, name), contents)),
      writeFile(join(seedDir, 'metrics.jsonl'), metricLines.join('\n') + '\n'),
    ]);
  }

  let alignment: AlignmentSummary | null = null;
  if (trained.length >= 2) {
    const bar = new ProgressBar(`${entry.name} alignment`, (trained.length * (trained.length - 1)) / 2);
    alignment = (await alignSeeds(trained, { onProgress: (done) => bar.update(done) })).summary;
    await writeFile(join(entryDir, 'alignment.json'), JSON.stringify(alignment, null, 2) + '\n');
  }
  return { name: entry.name, alignment, stepsPerSecond: steps / seconds };
}
