/**
 * Every trained SAE of a run in one zip, in SAELens layout: one folder per configuration and seed,
 * each holding cfg.json and sae_weights.safetensors, so `SAE.load_from_disk(folder)` reads it.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { SAELENS_CFG_FILE, SAELENS_WEIGHTS_FILE, type SaeLensFiles } from '../core/formats/saelens';

export interface ExportedSae {
  /** The configuration's name and what sets it apart, e.g. "A · L2 off". */
  label: string;
  seed: number;
  files: SaeLensFiles;
}

/** "A · L2² 1e-5" → "A-L2sq-1e-5": a folder name that survives every file system. */
export function folderName(label: string): string {
  return label
    .replace(/²/g, 'sq')
    .replace(/[^A-Za-z0-9.+-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function saeLensZip(saes: readonly ExportedSae[]): Uint8Array {
  const tree: Zippable = {};
  for (const { label, seed, files } of saes) {
    tree[`${folderName(label)}/seed-${seed}`] = {
      [SAELENS_CFG_FILE]: strToU8(files[SAELENS_CFG_FILE]),
      // Weights barely compress; storing them keeps the zip fast to write.
      [SAELENS_WEIGHTS_FILE]: [files[SAELENS_WEIGHTS_FILE], { level: 0 }],
    };
  }
  return zipSync(tree);
}
