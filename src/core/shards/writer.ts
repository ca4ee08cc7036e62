/** Writing one shard: a safetensors file the loader reads back. */
import { writeSafetensors } from '../formats/safetensors';
import type { ShardDtype } from './manifest';
import { LABELS_METADATA_KEY, NO_LABEL, SHARD_TENSORS } from './shard-file';

export interface ShardContents {
  /** [n · d_model] row-major. */
  activations: Float32Array;
  d_model: number;
  /** [n] token ids. */
  tokens: Int32Array;
  /** [n] position of each token in its context. */
  positions: Int32Array;
  dtype: ShardDtype;
  /** e.g. { hook, model }. */
  metadata?: Record<string, string>;
  /** [n] each row's label, an index into `labelNames` or -1 (none); with `labelNames`, or neither. */
  labels?: Int32Array;
  /** Written to `__metadata__.labels` as a JSON list. */
  labelNames?: readonly string[];
}

/** `tokens` and `positions` come first in the data section: a reader streaming the file then knows every
 *  row's token before the row arrives (the lab's loader accepts any order all the same). */
export function encodeShard({ activations, d_model: dModel, tokens, positions, dtype, metadata, labels, labelNames }: ShardContents): Uint8Array {
  const rows = tokens.length;
  if (!Number.isSafeInteger(dModel) || dModel < 1) throw new Error(`encodeShard: d_model must be a positive integer (got ${dModel})`);
  if (positions.length !== rows || activations.length !== rows * dModel) {
    throw new Error(`encodeShard: ${rows} tokens need ${rows} positions and ${rows}·${dModel} activations (got ${positions.length} and ${activations.length})`);
  }
  if (!labels !== !labelNames) throw new Error('encodeShard: labels and labelNames come together');
  if (labels && labelNames) {
    if (labels.length !== rows) throw new Error(`encodeShard: ${rows} tokens need ${rows} labels (got ${labels.length})`);
    const bad = labels.findIndex((label) => label < NO_LABEL || label >= labelNames.length);
    if (bad >= 0) throw new Error(`encodeShard: label ${labels[bad]} at row ${bad} is not -1 or an index into the ${labelNames.length} label names`);
  }
  return writeSafetensors(
    {
      [SHARD_TENSORS.tokens]: { dtype: 'I32', shape: [rows], data: tokens },
      [SHARD_TENSORS.positions]: { dtype: 'I32', shape: [rows], data: positions },
      ...(labels && { [SHARD_TENSORS.labels]: { dtype: 'I32' as const, shape: [rows], data: labels } }),
      [SHARD_TENSORS.activations]: { dtype, shape: [rows, dModel], data: activations },
    },
    { metadata: labelNames ? { ...metadata, [LABELS_METADATA_KEY]: JSON.stringify(labelNames) } : metadata },
  );
}

/** shard-00000.safetensors, shard-00001.safetensors, …: names sort in stream order. */
export function shardFileName(index: number): string {
  return `shard-${String(index).padStart(5, '0')}.safetensors`;
}
