/**
 * Every trained SAE of a run in one zip, in SAELens layout: one folder per configuration and seed,
 * each holding cfg.json and sae_weights.safetensors, so `SAE.load_from_disk(folder)` reads it, and
 * the seed's training metrics as metrics.jsonl (one read-back per line, as the runner writes them).
 */
import { strToU8, zip, type AsyncZippable } from 'fflate';
import { SAELENS_CFG_FILE, SAELENS_WEIGHTS_FILE, type SaeLensFiles } from '../core/formats/saelens';
import type { StepMetrics } from '../core/train/metrics';

export interface ExportedSae {
  /** The configuration's name and what sets it apart, e.g. "A · L2 off". */
  label: string;
  seed: number;
  files: SaeLensFiles;
  /** The seed's metrics read-backs, in step order. */
  metrics?: readonly StepMetrics[];
}

/** "A · L2² 1e-5" → "A-L2sq-1e-5": a folder name that survives every file system. */
export function folderName(label: string): string {
  return label
    .replace(/²/g, 'sq')
    .replace(/[^A-Za-z0-9.+-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export const METRICS_FILE = 'metrics.jsonl';

export function saeLensZip(saes: readonly ExportedSae[]): Promise<Uint8Array> {
  const tree: AsyncZippable = {};
  for (const { label, seed, files, metrics } of saes) {
    tree[`${folderName(label)}/seed-${seed}`] = {
      [SAELENS_CFG_FILE]: strToU8(files[SAELENS_CFG_FILE]),
      // Weights barely compress; storing them keeps the zip fast to write.
      [SAELENS_WEIGHTS_FILE]: [files[SAELENS_WEIGHTS_FILE], { level: 0 }],
      ...(metrics ? { [METRICS_FILE]: strToU8(metrics.map((m) => JSON.stringify(m)).join('\n') + '\n') } : {}),
    };
  }
  return zipped(tree);
}

/** Files stored as they are (weights and activations barely compress), e.g. exported shards and their manifest. */
export function filesZip(files: Record<string, Uint8Array>): Promise<Uint8Array> {
  return zipped(Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, [bytes, { level: 0 }]])));
}

/**
 * fflate's asynchronous zip: the checksums of hundreds of megabytes are computed in its own workers,
 * not on the page's thread.
 */
function zipped(tree: AsyncZippable): Promise<Uint8Array> {
  return new Promise((resolve, reject) => zip(tree, (error, data) => (error ? reject(error) : resolve(data))));
}
