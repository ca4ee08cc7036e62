/**
 * Every on-disk SAE layout the lab reads, behind one registry: a folder's file names say which
 * layout it is, and its reader turns the files' bytes into one shape, `FieldSae`, whatever trained it.
 * A new layout is one entry here (its files and a reader in its own module).
 *
 *   const sae = readSaeFolder(new Map([['config.json', bytes], ['ae.pt', bytes]]), 'sweep/trainer_0');
 */
import type { SaeWeights } from '../sae/weights';
import type { TrainConfig } from '../train/config';
import { DL_CONFIG_FILE, DL_WEIGHTS_FILE, readDictionaryLearning, trainerBlock } from './dictionary-learning';
import { jsonObject } from './plain-data';
import type { ReleasedArchitecture } from './released-architecture';
import { readSaeLens, SAELENS_CFG_FILE, SAELENS_WEIGHTS_FILE, SPARSIFY_WEIGHTS_FILE } from './saelens';
import { groupBySeedlessConfig } from './sweep-groups';

export type SaeLayoutId = 'dictionary_learning' | 'saelens' | 'sparsify';

/** An SAE from any layout, as the alignment, the inspector and the grouping into configurations read it. */
export interface FieldSae {
  layout: SaeLayoutId;
  /** Its folder, as the user named it: every message and table row uses it. */
  name: string;
  weights: SaeWeights;
  architecture: ReleasedArchitecture;
  hookName: string | null;
  modelName: string | null;
  seed: number | null;
  /** The configuration as its files wrote it: SAEs that agree on it but for the seed are one configuration. */
  config: Record<string, unknown>;
  /** The lab's own training settings, for SAEs the lab trained (cfg.json's lab_training). */
  training: TrainConfig | null;
}

export interface SaeLayout {
  id: SaeLayoutId;
  /** The files a folder of this layout holds, its small config file first; the first complete set decides the layout. */
  files: readonly [config: string, weights: string];
  read(files: ReadonlyMap<string, Uint8Array>, name: string): FieldSae;
  /**
   * The configuration as the config file alone says it, without reading the weights: enough to group a
   * sweep's folders before anything large is read (the page shows the groups, then imports two of them).
   */
  groupingConfig(configText: string, name: string): Record<string, unknown>;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);


function fromSaeLens(layout: 'saelens' | 'sparsify', weightsFile: string): SaeLayout {
  return {
    id: layout,
    files: [SAELENS_CFG_FILE, weightsFile],
    groupingConfig: (text, name) => jsonObject(text, `${name}/${SAELENS_CFG_FILE}`),
    read(files, name) {
      const loaded = readSaeLens({ [SAELENS_CFG_FILE]: text(files.get(SAELENS_CFG_FILE)!), [weightsFile]: files.get(weightsFile)! }, name);
      const seed = loaded.training?.seed ?? loaded.cfg.seed;
      return {
        layout,
        name,
        weights: loaded.weights,
        architecture: loaded.architecture,
        hookName: loaded.hookName,
        modelName: loaded.modelName,
        seed: Number.isSafeInteger(seed) ? (seed as number) : null,
        config: loaded.cfg,
        training: loaded.training,
      };
    },
  };
}

export const SAE_LAYOUTS: readonly SaeLayout[] = [
  {
    id: 'dictionary_learning',
    files: [DL_CONFIG_FILE, DL_WEIGHTS_FILE],
    groupingConfig: (text, name) => ({ trainer: trainerBlock(text, `${name}/${DL_CONFIG_FILE}`) }),
    read(files, name) {
      const sae = readDictionaryLearning({ [DL_CONFIG_FILE]: text(files.get(DL_CONFIG_FILE)!), [DL_WEIGHTS_FILE]: files.get(DL_WEIGHTS_FILE)! }, name);
      const { weights, architecture, hookName, modelName, seed, trainer } = sae;
      return { layout: 'dictionary_learning', name, weights, architecture, hookName, modelName, seed, config: { trainer }, training: null };
    },
  },
  fromSaeLens('saelens', SAELENS_WEIGHTS_FILE),
  fromSaeLens('sparsify', SPARSIFY_WEIGHTS_FILE),
];

/** The layout a folder with these file names holds, or null. */
export function layoutOf(fileNames: Iterable<string>): SaeLayout | null {
  const names = new Set(fileNames);
  return SAE_LAYOUTS.find((layout) => layout.files.every((f) => names.has(f))) ?? null;
}

/** The files that make a folder an SAE folder, for messages: "config.json + ae.pt, or …". */
export const LAYOUT_FILES_TEXT = SAE_LAYOUTS.map((l) => `${l.files.join(' + ')} (${l.id})`).join(', or ');

export function readSaeFolder(files: ReadonlyMap<string, Uint8Array>, name: string): FieldSae {
  const layout = layoutOf(files.keys());
  if (!layout) throw new Error(`${name}: not an SAE folder: expected ${LAYOUT_FILES_TEXT}; found ${[...files.keys()].join(', ') || 'no files'}`);
  return layout.read(files, name);
}

export interface SweepFolder {
  name: string;
  layout: SaeLayout;
  /** The text of its config file (layout.files[0]). */
  configText: string;
}

/**
 * A sweep's folders grouped into configurations from their config files alone, in folder order:
 * what the page offers as A and B before it reads any weights.
 */
export function sweepGroups(folders: readonly SweepFolder[]): { label: string; folders: string[] }[] {
  const members = folders.map((f) => ({ name: f.name, config: f.layout.groupingConfig(f.configText, f.name) }));
  return groupBySeedlessConfig(members).map((g) => ({ label: g.label, folders: g.members.map((i) => members[i].name) }));
}
