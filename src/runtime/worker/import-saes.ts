/**
 * SAEs trained elsewhere, in SAELens layout (cfg.json + sae_weights.safetensors) or EleutherAI's
 * sparsify layout (cfg.json + sae.safetensors) — one folder per SAE — read for the lab's alignment,
 * inspector and steering views as if they were the seeds of one run.
 */
import { readSaeLens, SAELENS_CFG_FILE, SAELENS_WEIGHTS_FILE, SPARSIFY_WEIGHTS_FILE, type LoadedSae } from '../../core/formats/saelens';
import { mnistPaperConfig, pythiaPaperConfig } from '../../core/presets';
import type { DataTrack } from '../../core/experiment-presets';
import { saeVariant } from '../../core/sae/variants';
import type { TrainConfig } from '../../core/train/config';

export interface ImportedSaes {
  saes: LoadedSae[];
  /** Each SAE's folder, in the order they became seeds 0, 1, … */
  names: string[];
  /**
   * The configuration they trained with, when the lab trained them (cfg.json's lab_training); for SAEs
   * from elsewhere one that describes them (width, activation), the rest the data's default.
   */
  config: TrainConfig;
}

/** Reads picked files grouped by folder; every folder must hold one SAE, all of the same input width. */
export async function readImportedSaes(files: File[], data: { d_in: number; hook: string | null; kind: DataTrack }): Promise<ImportedSaes> {
  const folders = new Map<string, Map<string, File>>();
  for (const file of files) {
    const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
    if (!folders.has(folder)) folders.set(folder, new Map());
    folders.get(folder)!.set(file.name, file);
  }
  const withCfg = [...folders].filter(([, byName]) => byName.has(SAELENS_CFG_FILE)).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  if (withCfg.length === 0) throw new Error(`no ${SAELENS_CFG_FILE} among the chosen files: pick a folder holding one folder per SAE (cfg.json + ${SAELENS_WEIGHTS_FILE} or ${SPARSIFY_WEIGHTS_FILE})`);
  const saes: LoadedSae[] = [];
  for (const [folder, byName] of withCfg) {
    const weights = byName.get(SAELENS_WEIGHTS_FILE) ?? byName.get(SPARSIFY_WEIGHTS_FILE);
    const sae = readSaeLens(
      {
        [SAELENS_CFG_FILE]: await byName.get(SAELENS_CFG_FILE)!.text(),
        ...(weights ? { [weights.name]: new Uint8Array(await weights.arrayBuffer()) } : {}),
      },
      folder,
    );
    if (sae.weights.d_in !== data.d_in) throw new Error(`${folder}: the SAE reads ${sae.weights.d_in} values, the loaded data has ${data.d_in} per row`);
    if (data.hook && sae.hookName && sae.hookName !== data.hook) throw new Error(`${folder}: the SAE reads ${sae.hookName}, the loaded shards come from ${data.hook}`);
    saes.push(sae);
  }
  const widths = new Set(saes.map((s) => s.weights.d_sae));
  if (widths.size > 1) throw new Error(`the SAEs have different widths (${[...widths].join(', ')}): import SAEs of one configuration together`);
  const names = withCfg.map(([folder]) => folder);
  return { saes, names, config: labConfig(saes, names) ?? describedConfig(saes[0], data.kind) };
}

/**
 * The configuration the lab's own SAEs trained with (cfg.json's lab_training), when every SAE has one;
 * they must agree but for the seed. Null for SAEs trained elsewhere.
 */
function labConfig(saes: LoadedSae[], names: string[]): TrainConfig | null {
  const withTraining = saes.filter((s) => s.training !== null).length;
  if (withTraining === 0) return null;
  if (withTraining < saes.length) throw new Error(`only some of the SAEs were trained by the lab (${SAELENS_CFG_FILE} with lab_training): import SAEs of one configuration together`);
  const bySeedless = (c: TrainConfig) => JSON.stringify({ ...c, seed: 0 });
  const first = saes[0].training!;
  const other = saes.findIndex((s) => bySeedless(s.training!) !== bySeedless(first));
  if (other >= 0) throw new Error(`${names[other]} trained with a different configuration from ${names[0]}: import SAEs of one configuration together`);
  return first;
}

/** For SAEs trained elsewhere: width and activation from the file, the rest the data's default. */
function describedConfig(sae: LoadedSae, kind: DataTrack): TrainConfig {
  const { architecture, weights } = sae;
  const base = kind === 'mnist' ? mnistPaperConfig() : pythiaPaperConfig();
  const activation = saeVariant(architecture.kind).fromArchitecture(architecture, base.activation);
  return { ...base, d_in: weights.d_in, d_sae: weights.d_sae, activation };
}
