/**
 * Which document label (e.g. a WordNet category) a feature's top contexts come from: the most common
 * label among them and its count, e.g. "noun.animal 7/10". For one feature's dashboard the contexts are
 * its top rows (dashboard.ts); for a table of every feature, `featureTopLabels` finds each feature's top
 * rows over a seeded sample of the rows in one pass of full encodes, since a dashboard per feature would
 * rank every row once for each of up to 16,384 features.
 */
import { tf } from '../../tf';
import type { DeviceSae } from '../device-sae';
import { sampleRowIndices } from './dashboard';
import { uploadRows } from './feature-columns';

export interface LabelCount {
  /** Index of the most common label (≥ 0). */
  label: number;
  /** Contexts with that label. */
  count: number;
  /** Contexts looked at, unlabelled ones included. */
  total: number;
}

/**
 * The most common label (≥ 0; -1 means none) in `labels`, a feature's top contexts best first; a tie
 * goes to the label whose first context ranks higher. null when no context has a label.
 */
export function mostCommonLabel(labels: ArrayLike<number>): LabelCount | null {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  // Map keys keep insertion order, i.e. the order of each label's first context: a strict > keeps the earlier on ties.
  let best: LabelCount | null = null;
  for (const [label, count] of counts) if (!best || count > best.count) best = { label, count, total: labels.length };
  return best;
}

export interface FeatureTopLabelsOptions {
  /** Top contexts per feature. Default 10. */
  top?: number;
  /** Rows sampled (all when there are fewer). Default 2048. */
  sampleRows?: number;
  /** Rows per full encode; its [batch, d_sae] result is read back whole. Default 256. */
  batchSize?: number;
  /** Seed of the sample. Default 0. */
  seed?: number;
}

/** Per feature, over the sampled rows: the most common label of its top rows (where it fires). */
export interface FeatureTopLabels {
  /** [d_sae] label index, -1 where the feature's top rows have none (or it never fires in the sample). */
  label: Int32Array;
  /** [d_sae] top rows with that label. */
  count: Int32Array;
  /** [d_sae] top rows found (at most `top`: fewer when it fires on fewer sampled rows). */
  total: Int32Array;
  sampleRows: number;
}

/** rows: [n, d_in] row-major; labels: [n], each row's label or -1. */
export async function featureTopLabels(sae: DeviceSae, rows: Float32Array, labels: Int32Array, options: FeatureTopLabelsOptions = {}): Promise<FeatureTopLabels> {
  const { top = 10, sampleRows = 2048, batchSize = 256, seed = 0 } = options;
  for (const [name, value] of Object.entries({ top, sampleRows, batchSize })) {
    if (!(Number.isSafeInteger(value) && value > 0)) throw new Error(`featureTopLabels: ${name} ${value} must be a positive integer`);
  }
  const { d_in: dIn, d_sae: dSae } = sae;
  const n = rows.length / dIn;
  if (!Number.isInteger(n) || n === 0) throw new Error(`featureTopLabels: rows hold ${rows.length} values, not a non-empty whole number of rows of d_in ${dIn}`);
  if (labels.length !== n) throw new Error(`featureTopLabels: ${labels.length} labels for ${n} rows`);

  // Each feature's best rows so far, best first: activations and row indices, `found` of them.
  const bestValue = new Float32Array(dSae * top);
  const bestRow = new Int32Array(dSae * top);
  const found = new Int32Array(dSae);
  const sample = sampleRowIndices(n, sampleRows, seed);
  for (let start = 0; start < sample.length; start += batchSize) {
    const batch = sample.subarray(start, start + batchSize);
    const encoded = tf.tidy(() => sae.encode(uploadRows(rows, dIn, batch)));
    let values: Float32Array;
    try {
      values = (await encoded.data()) as Float32Array;
    } finally {
      encoded.dispose();
    }
    for (let b = 0; b < batch.length; b++) {
      const row = batch[b];
      for (let j = 0; j < dSae; j++) {
        const value = values[b * dSae + j];
        if (!(value > 0)) continue;
        const base = j * top;
        let at = found[j];
        // Ties: the lower row first, as in the dashboard's top rows.
        while (at > 0 && (bestValue[base + at - 1] < value || (bestValue[base + at - 1] === value && bestRow[base + at - 1] > row))) at--;
        if (at >= top) continue;
        const last = Math.min(found[j], top - 1);
        bestValue.copyWithin(base + at + 1, base + at, base + last);
        bestRow.copyWithin(base + at + 1, base + at, base + last);
        bestValue[base + at] = value;
        bestRow[base + at] = row;
        found[j] = Math.min(top, found[j] + 1);
      }
    }
  }

  const label = new Int32Array(dSae).fill(-1);
  const count = new Int32Array(dSae);
  for (let j = 0; j < dSae; j++) {
    const rowsOfJ = bestRow.subarray(j * top, j * top + found[j]);
    const summary = mostCommonLabel(Array.from(rowsOfJ, (r) => labels[r]));
    if (summary) {
      label[j] = summary.label;
      count[j] = summary.count;
    }
  }
  return { label, count, total: found, sampleRows: sample.length };
}
