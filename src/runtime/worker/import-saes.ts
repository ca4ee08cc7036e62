/**
 * SAEs trained elsewhere, in any layout of the registry (src/core/formats/sae-layouts.ts:
 * dictionary_learning's trainer folders, SAELens, sparsify) — one folder per SAE — read for the lab's
 * alignment, inspector and steering views as if they were the seeds of one run.
 */
import type { DataTrack } from '../../core/experiment-presets';
import type { ReleasedArchitecture } from '../../core/formats/released-architecture';
import type { FieldSae } from '../../core/formats/sae-layouts';
import { mnistPaperConfig, pythiaPaperConfig } from '../../core/presets';
import { saeVariant, type SaeArchitecture } from '../../core/sae/variants';
import type { SaeWeights } from '../../core/sae/weights';
import type { TrainConfig } from '../../core/train/config';
import { pickedSaeFolders, readPickedSaeFolder } from '../../io/sae-folders-web';

export interface ImportedSaes {
  weights: SaeWeights[];
  /** Each SAE's folder, in the order they became seeds 0, 1, … */
  names: string[];
  /**
   * The configuration they trained with, when the lab trained them (cfg.json's lab_training); for SAEs
   * from elsewhere one that describes them (width, activation), the rest the data's default.
   */
  config: TrainConfig;
  /** What the page should know about how they are encoded here, or null. */
  note: string | null;
}

/** Reads picked files grouped by folder; every folder must hold one SAE, all of the same input width. */
export async function readImportedSaes(
  files: File[],
  data: { d_in: number; hook: string | null; kind: DataTrack },
  { onRead, signal }: { onRead?: (done: number, total: number, name: string) => void; signal?: AbortSignal } = {},
): Promise<ImportedSaes> {
  const saes: FieldSae[] = [];
  const folders = await pickedSaeFolders(files);
  for (const folder of folders) {
    signal?.throwIfAborted();
    onRead?.(saes.length, folders.length, folder.name);
    const sae = await readPickedSaeFolder(folder);
    if (sae.weights.d_in !== data.d_in) throw new Error(`${folder.name}: the SAE reads ${sae.weights.d_in} values, the loaded data has ${data.d_in} per row`);
    if (data.hook && sae.hookName && sae.hookName !== data.hook) throw new Error(`${folder.name}: the SAE reads ${sae.hookName}, the loaded shards come from ${data.hook}`);
    saes.push(sae);
  }
  const widths = new Set(saes.map((s) => s.weights.d_sae));
  if (widths.size > 1) throw new Error(`the SAEs have different widths (${[...widths].join(', ')}): import SAEs of one configuration together`);
  const names = saes.map((s) => s.name);
  const { architecture, note } = labArchitecture(saes[0]);
  return { weights: saes.map((s) => s.weights), names, config: labConfig(saes) ?? describedConfig(saes[0].weights, architecture, data.kind), note };
}

/**
 * How the page's views encode a released SAE. BatchTopK keeps, at inference, what passes one threshold
 * learnt in training; the views keep each input's k largest instead (the k it trained with), which is
 * what its training selected on average. JumpReLU has no counterpart among the lab's variants.
 */
function labArchitecture(sae: FieldSae): { architecture: SaeArchitecture; note: string | null } {
  const arch: ReleasedArchitecture = sae.architecture;
  if (arch.kind === 'batchtopk') return { architecture: { kind: 'topk', k: arch.k }, note: `BatchTopK SAEs are encoded here as TopK with k = ${arch.k}, not with their inference threshold; alignment uses the weights alone.` };
  if (arch.kind === 'jumprelu') throw new Error(`${sae.name}: a JumpReLU SAE, which the page's views cannot encode yet; align it with npm run lab -- align`);
  return { architecture: arch, note: null };
}

/**
 * The configuration the lab's own SAEs trained with (cfg.json's lab_training), when every SAE has one;
 * they must agree but for the seed. Null for SAEs trained elsewhere.
 */
function labConfig(saes: FieldSae[]): TrainConfig | null {
  const withTraining = saes.filter((s) => s.training !== null).length;
  if (withTraining === 0) return null;
  if (withTraining < saes.length) throw new Error('only some of the SAEs were trained by the lab (cfg.json with lab_training): import SAEs of one configuration together');
  const bySeedless = (c: TrainConfig) => JSON.stringify({ ...c, seed: 0 });
  const first = saes[0].training!;
  const other = saes.findIndex((s) => bySeedless(s.training!) !== bySeedless(first));
  if (other >= 0) throw new Error(`${saes[other].name} trained with a different configuration from ${saes[0].name}: import SAEs of one configuration together`);
  return first;
}

/** For SAEs trained elsewhere: width and activation from the file, the rest the data's default. */
function describedConfig(weights: SaeWeights, architecture: SaeArchitecture, kind: DataTrack): TrainConfig {
  const base = kind === 'mnist' ? mnistPaperConfig() : pythiaPaperConfig();
  const activation = saeVariant(architecture.kind).fromArchitecture(architecture, base.activation);
  return { ...base, d_in: weights.d_in, d_sae: weights.d_sae, activation };
}
