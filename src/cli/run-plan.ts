/**
 * What `train` and `sweep` train: the configurations and seeds (from a run file or a preset), the backend
 * and the data. The plan is plain JSON: `DIR/runner.json` keeps it for --resume, and the worker threads of
 * --jobs receive it.
 */
import { readFile } from 'node:fs/promises';
import { mnistPaperConfig, pythiaPaperConfig, type ConfigOverrides } from '../core/presets';
import { normaliseRows, rowBudget } from '../core/shards';
import { loadShardFolder } from '../io/shards-node';
import { sweepPreset, type SweepEntry, type SweepScaling } from '../core/sweeps';
import type { DataTrack } from '../core/experiment-presets';
import { parseTrainConfig } from '../core/train/schema';
import { MNIST_PIXELS } from '../core/data/mnist';
import { loadMnistNode } from '../io/mnist-node';
import type { NodeBackend } from './node-backend';
import { ProgressBar } from './progress';
import type { TrainedOn } from './train-entry';

/** Everything a run needs to be resumed: kept as `DIR/runner.json` by runs with --ckpt. */
export interface RunPlan {
  version: 1;
  backend: NodeBackend;
  data: { images?: number; shards?: string; maxMb?: number };
  entries: SweepEntry[];
  seeds: number[];
  ckpt?: number;
}

/** A usage mistake (a missing or bad flag): the message names the flag, and the command's help follows it. */
export class UsageError extends Error {}

/** The training rows, row-major `[rows, d_in]`, and what they are for the SAEs' cfg.json. */
export interface LoadedData {
  rows: Float32Array;
  d_in: number;
  on: TrainedOn;
}

const MNIST_HOOK = 'mnist.pixels';

export async function loadData(data: RunPlan['data']): Promise<LoadedData> {
  if (data.shards) return loadShards(data.shards, data.maxMb ?? 1024);
  return { rows: await mnistRows(data.images), d_in: MNIST_PIXELS, on: { hookName: MNIST_HOOK } };
}

/** Activation shards streamed from `folder` into at most `maxMb` MB, normalised as the paper does. */
async function loadShards(folder: string, maxMb: number): Promise<LoadedData> {
  const maxBytes = maxMb * 2 ** 20;
  const bar = new ProgressBar(`shards ${folder}`, 1);
  const loaded = await loadShardFolder(folder, {
    maxBytes,
    onProgress: (p) => bar.update((p.fileIndex + (p.bytesTotal ? p.bytesDone / p.bytesTotal : 0)) / p.files, `${p.file} · ${p.rowsSeen} rows read, ${p.rowsKept} kept`),
  });
  const scale = normaliseRows(loaded.rows, loaded.d_model);
  console.log(
    `data: ${loaded.count} of ${loaded.totalTokens} activation rows of ${loaded.model ?? folder} at ${loaded.hook ?? 'an unnamed hook'}, d_model ${loaded.d_model}` +
      `${loaded.sampled ? ` (a uniform sample: at most ${rowBudget(loaded.d_model, maxBytes)} rows fit in ${maxMb} MB)` : ''}; scaled × ${scale.toPrecision(4)} to mean squared norm d_model`,
  );
  return { rows: loaded.rows, d_in: loaded.d_model, on: { hookName: loaded.hook ?? 'unknown', ...(loaded.model ? { modelName: loaded.model } : {}), inputScale: scale } };
}

/** The MNIST training images, or only the first `limit` of them (quick trials, tests). */
async function mnistRows(limit?: number): Promise<Float32Array> {
  const { train } = await loadMnistNode();
  const rows = Math.min(train.count, limit ?? Infinity);
  if (rows < train.count) console.log(`data: the first ${rows} of ${train.count} MNIST training images`);
  return train.images.subarray(0, rows * MNIST_PIXELS);
}

export interface PlannedRun {
  entries: SweepEntry[];
  seeds: number[];
  dataset: DataTrack;
}

/** A run file: a (partial) training configuration plus optional "name" and "seeds". */
export async function runFile(path: string, dataset: DataTrack): Promise<PlannedRun> {
  let parsed: { name?: string; seeds?: number[] } & ConfigOverrides;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not a readable JSON file (${(e as Error).message})`);
  }
  const { name = 'run', seeds = [0, 1, 2], ...overrides } = parsed;
  if (typeof name !== 'string') throw new Error(`${path}: "name" must be a string`);
  if (!Array.isArray(seeds) || seeds.length === 0 || !seeds.every((s) => Number.isInteger(s) && s >= 0)) throw new Error(`${path}: "seeds" must be a non-empty list of whole numbers`);
  // The overrides are merged into the defaults and the whole parsed with the schema, which refuses a misspelt
  // key at any depth (it would otherwise be ignored silently and the run would train with the default).
  const defaults = dataset === 'lm' ? pythiaPaperConfig : mnistPaperConfig;
  const config = parseTrainConfig(defaults(overrides), path);
  return { entries: [{ name, config }], seeds, dataset };
}

export function presetRun(name: string, scaling: SweepScaling): PlannedRun {
  const preset = sweepPreset(name, scaling);
  console.log(`${preset.id}: ${preset.title}. ${preset.note}`);
  return { entries: preset.entries, seeds: preset.seeds, dataset: preset.data };
}
