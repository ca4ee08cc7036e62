/**
 * The experiment the page is set up to run: plain JSON, the part of the state the URL encodes.
 * A comparison trains two configurations (A and B) side by side, each once per seed.
 */
import type { DataTrack } from '../../core/experiment-presets';
import type { TrainConfig } from '../../core/train/config';
import { BACKEND_MEMORY_LIMIT, bytesAgainstLimit, estimateTrainingMemory, type MemoryBackend } from '../../core/train/memory-estimate';
import { trainConfigProblems } from '../../core/train/validate';
import type { BackendRequest } from '../../runtime/protocol/backend-types';

/** Index of a configuration: 0 is A, 1 is B. */
export type Side = 0 | 1;
export const SIDES: readonly Side[] = [0, 1];
export const SIDE_NAMES = ['A', 'B'] as const;

/** What the SAEs train on: MNIST digits, or (`lm`) a language model's residual-stream activations, read from shards. */
export type Dataset = DataTrack;

/**
 * The shard sets (each with its model) that ship with the app, under its base URL: the WordNet gloss
 * sample (a tiny model trained here on WordNet's glosses), which the language-model track opens on,
 * and a random-weight control whose features are only token detectors.
 */
export const SAMPLE = 'sample';
export const CONTROL_SAMPLE = 'synthetic';
export type SampleName = typeof SAMPLE | typeof CONTROL_SAMPLE;
export const isSample = (location: string | null): location is SampleName => location === SAMPLE || location === CONTROL_SAMPLE;
/** Shards or a model the person picked or dropped: they cannot be put in a link. */
export const PICKED_FILES = 'files';

/** More seeds make the across-seed numbers steadier but cost one more SAE each. */
export const MAX_SEEDS = 6;

export interface Experiment {
  /** true: train A and B side by side; false: train A only. */
  compare: boolean;
  /** `config.seed` is ignored: each configuration trains once per seed 0 … seedCount − 1. */
  configs: [TrainConfig, TrainConfig];
  seedCount: number;
  backend: BackendRequest;
  /** Train on only the first n MNIST training images (quick demos, tests); null: all 60,000. */
  trainLimit: number | null;
  /** Start training as soon as the page has loaded: a demo link shows a run without a click. */
  autostart: boolean;
  dataset: Dataset;
  /** With dataset 'lm': SAMPLE or CONTROL_SAMPLE, a manifest.json URL, PICKED_FILES, or null before any is chosen. */
  shards: string | null;
  /** The GPT-NeoX model for contexts and steering: a sample's, a folder URL, PICKED_FILES or none (a sample's shards then bring their own). */
  model: string | null;
  /** Seconds of training between two saved checkpoints: what a reload or a crash can lose at most. */
  checkpointSeconds: number;
}

/** The sides an experiment trains. */
export function activeSides(experiment: Pick<Experiment, 'compare'>): Side[] {
  return experiment.compare ? [0, 1] : [0];
}

export function seedList(seedCount: number): number[] {
  return Array.from({ length: seedCount }, (_, i) => i);
}

export function seedCountProblem(seedCount: number): string | null {
  return Number.isInteger(seedCount) && seedCount >= 1 && seedCount <= MAX_SEEDS ? null : `seeds must be a whole number from 1 to ${MAX_SEEDS} (got ${seedCount})`;
}

export function trainLimitProblem(trainLimit: number | null): string | null {
  return trainLimit === null || (Number.isInteger(trainLimit) && trainLimit > 0) ? null : `training images must be a positive whole number (got ${trainLimit})`;
}

export interface ExperimentProblems {
  /** Problems of each configuration (B's are empty in single mode). */
  perSide: [string[], string[]];
  /** Problems of the settings both share. */
  shared: string[];
}

/** Everything that keeps the experiment from starting, as sentences for the controls. */
export function experimentProblems(experiment: Experiment): ExperimentProblems {
  const perSide: [string[], string[]] = [[], []];
  for (const side of activeSides(experiment)) {
    perSide[side] = trainConfigProblems(experiment.configs[side]);
    const tooBig = perSide[side].length === 0 && seedCountProblem(experiment.seedCount) === null ? memoryProblem(experiment.configs[side], experiment) : null;
    if (tooBig) perSide[side].push(tooBig);
  }
  const shared = [seedCountProblem(experiment.seedCount), trainLimitProblem(experiment.trainLimit), dataProblem(experiment)].filter((p): p is string => p !== null);
  return { perSide, shared };
}

/** The problems as the page lists them: the shared ones, then each configuration's, named in a comparison. */
export function problemSentences(experiment: Experiment): string[] {
  const { perSide, shared } = experimentProblems(experiment);
  const named = (side: Side) => perSide[side].map((p) => (experiment.compare ? `${SIDE_NAMES[side]}: ${p}` : p));
  return [...shared, ...named(0), ...named(1)];
}

export function isStartable(experiment: Experiment): boolean {
  const { perSide, shared } = experimentProblems(experiment);
  return perSide[0].length + perSide[1].length + shared.length === 0;
}

/** MNIST's training images, and the bound on activation rows a lab worker keeps (core/shards/loader.ts's DEFAULT_MAX_BYTES). */
const MNIST_TRAIN_IMAGES = 60_000;
export const SHARD_DATA_BYTES = 256 * 2 ** 20;

/** Auto mode is judged as wasm: the backend every machine falls back to, and the one with a hard limit. */
const memoryBackend = (backend: BackendRequest): MemoryBackend => (backend === 'auto' ? 'wasm' : backend);

const gib = (bytes: number) => `${Number((bytes / 2 ** 30).toFixed(1))} GiB`;

/**
 * Why one configuration would not fit its worker's memory (see core/train/memory-estimate.ts), or
 * null. A GPU upload of the data counts on GPU backends; the wasm limit is hard, the others budgets.
 */
export function memoryProblem(config: TrainConfig, experiment: Pick<Experiment, 'seedCount' | 'backend' | 'dataset' | 'trainLimit'>): string | null {
  const backend = memoryBackend(experiment.backend);
  const dataBytes = experiment.dataset === 'lm' ? SHARD_DATA_BYTES : Math.min(experiment.trainLimit ?? MNIST_TRAIN_IMAGES, MNIST_TRAIN_IMAGES) * config.d_in * 4;
  const estimate = estimateTrainingMemory(config, { seeds: experiment.seedCount, backend, dataBytes });
  const needed = bytesAgainstLimit(estimate, backend);
  const limit = BACKEND_MEMORY_LIMIT[backend];
  if (needed <= limit) return null;
  const seeds = `${experiment.seedCount} seed${experiment.seedCount === 1 ? '' : 's'}`;
  const can =
    backend === 'wasm'
      ? `the wasm backend${experiment.backend === 'auto' ? ' (what auto falls back to)' : ''} can address ${gib(limit)}`
      : backend === 'cpu'
        ? `the cpu backend is allowed ${gib(limit)} (the tab's own memory)`
        : `the ${backend} backend is allowed ${gib(limit)} (browsers do not report GPU memory)`;
  return `width ${config.d_sae.toLocaleString('en')} × ${seeds} at batch ${config.batchSize.toLocaleString('en')} needs about ${gib(needed)} of memory; ${can}: lower the width, batch or seeds`;
}

export function dataProblem(experiment: Pick<Experiment, 'dataset' | 'shards'>): string | null {
  return experiment.dataset === 'lm' && experiment.shards === null ? 'choose activation shards to train on (the WordNet gloss sample, files or a manifest URL)' : null;
}
