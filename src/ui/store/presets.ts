/**
 * The page's view of the shared preset table (core/experiment-presets.ts): the presets that compare two
 * configurations, each as the part of an Experiment it sets. The runner-only grids are left out.
 */
import { allPresets, findPreset, isPairPreset, type ExperimentPreset, type PresetId } from '../../core/experiment-presets';
import type { Dataset, Experiment } from './experiment';

export type { PresetId } from '../../core/experiment-presets';

export interface LabPreset {
  id: PresetId;
  /** The data it is made for: the picker shows the presets of the data chosen. */
  dataset: Dataset;
  title: string;
  /** Shown next to the preset: what it runs and what to expect from it. */
  note: string;
  experiment(): Pick<Experiment, 'compare' | 'configs' | 'seedCount'>;
}

function labPreset(preset: ExperimentPreset): LabPreset {
  const { id, data, title, note } = preset;
  return {
    id,
    dataset: data,
    title,
    note,
    experiment() {
      // Built afresh each time: the store may keep and change what it gets.
      const { entries, seeds } = findPreset(id)!;
      return { compare: true, seedCount: seeds.length, configs: [entries[0].config, entries[1].config] };
    },
  };
}

/** Every preset the page offers, in the table's order. */
export const LAB_PRESETS: readonly LabPreset[] = allPresets().filter(isPairPreset).map(labPreset);

export const DEFAULT_PRESET: PresetId = 'mnist-demo';
/** A checkpoint of every seed costs a read-back of the weights: every 10 s of training keeps that small. */
export const DEFAULT_CHECKPOINT_SECONDS = 10;
/** The preset each dataset starts with when the page switches to it. */
export const DATASET_DEFAULT_PRESET: Record<Dataset, PresetId> = { mnist: DEFAULT_PRESET, lm: 'lm-gloss' };

export function presetsFor(dataset: Dataset): LabPreset[] {
  return LAB_PRESETS.filter((p) => p.dataset === dataset);
}

/** The page's preset with this id; a runner-only preset (a grid) is an error. */
export function presetById(id: PresetId): LabPreset {
  const preset = LAB_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`unknown preset '${id}'`);
  return preset;
}

/** What a first visit gets: the teaching demo, on the best backend, starting by itself. */
export function defaultExperiment(): Experiment {
  return { ...presetById(DEFAULT_PRESET).experiment(), backend: 'auto', trainLimit: null, autostart: true, dataset: 'mnist', shards: null, model: null, checkpointSeconds: DEFAULT_CHECKPOINT_SECONDS };
}

/** The preset the experiment is exactly, if any (so the page can show its note). */
export function matchingPreset(experiment: Experiment): LabPreset | null {
  return presetsFor(experiment.dataset).find((p) => sameJson(p.experiment(), { compare: experiment.compare, configs: experiment.configs, seedCount: experiment.seedCount })) ?? null;
}

/** Structural equality of plain JSON values, whatever order their keys were written in. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
