/**
 * One feature's dashboard over a set of cached activation rows (e.g. 100k residual-stream vectors of
 * Pythia at blocks.3.hook_resid_post): firing frequency, a histogram of its non-zero activations and the
 * rows on which it fires most.
 *
 * Encoding every row with a 16,384-wide SAE just to look at one feature would cost n × d_in × d_sae
 * (100k rows: ~840 G multiply-adds) and an [n, d_sae] result; instead:
 * - Top rows: every row is ranked by the feature's own pre-activation z_j, one mat-vec with its encoder
 *   column (n × d_in). A firing feature's activation *is* z_j (ReLU and TopK both pass z through where
 *   they keep it), but TopK zeroes it on rows where k other latents outrank it, so the best candidates by
 *   z_j are encoded fully, `candidates` rows at a time, until `top` (N) of them fire. Rows left unencoded
 *   have a smaller z_j than every encoded one, hence cannot beat a found activation: the list is exact
 *   (up to float rounding between the two computations) whenever `topExact` says so.
 * - Frequency and histogram: a full encode of a seeded random sample of `histogramRows` rows, in batches
 *   (of its rows with z_j > 0 only: the rest cannot fire). On tfjs-wasm a 16,384-wide encode costs a few
 *   ms per row, so a few thousand rows take seconds there; WebGL and WebGPU are far faster.
 * Each batch is read back once, and only the feature's own column of it.
 */
import { Rng } from '../../rng';
import { tf } from '../../tf';
import type { DeviceSae } from '../device-sae';
import { checkFeature, encodeFeatureColumns, uploadRows } from './feature-columns';

export interface FeatureDashboardOptions {
  /** N: top-activating rows kept. Default 20. */
  top?: number;
  /** Rows, best by pre-activation first, fully encoded per round while fewer than N fire. Default 64. */
  candidates?: number;
  /** At most this many candidates are encoded in all (then `topExact` may be false). Default 1024. */
  maxCandidates?: number;
  /** Size of the random sample behind frequency and histogram (all rows when there are fewer). Default 4096. */
  histogramRows?: number;
  /** Histogram bins over [0, largest activation in the sample]. Default 20. */
  bins?: number;
  /** Seed of the histogram sample. Default 0. */
  seed?: number;
  /** Rows uploaded per mat-vec when ranking. Default 8192. */
  rankBatchSize?: number;
  /** Rows per full encode (its [batch, d_sae] result lives on the device). Default 512. */
  encodeBatchSize?: number;
}

export interface TopRow {
  /** Index of the row in `rows`. */
  row: number;
  activation: number;
}

export interface FeatureDashboard {
  feature: number;
  /** Fraction of the sampled rows on which the feature fires (activation > 0). */
  frequency: number;
  /** Rows in the frequency/histogram sample. */
  sampleRows: number;
  /**
   * Non-zero activations v of the sample: counts[b] holds edges[b] ≤ v < edges[b + 1], the maximum in the
   * last bin; edges span [0, largest activation] (all 0 when the feature never fires in the sample).
   */
  histogram: { edges: number[]; counts: number[] };
  /** Up to N rows by decreasing true activation (ties: lower row first); only rows where it fires. */
  top: TopRow[];
  /** True when `top` is certainly the top N over all rows: N candidates fired, or every row with z_j > 0 was encoded. */
  topExact: boolean;
}

const DEFAULTS: Required<FeatureDashboardOptions> = {
  top: 20,
  candidates: 64,
  maxCandidates: 1024,
  histogramRows: 4096,
  bins: 20,
  seed: 0,
  rankBatchSize: 8192,
  encodeBatchSize: 512,
};

/** rows: [n, d_in] row-major activations, e.g. a cached activation shard. */
export async function featureDashboard(sae: DeviceSae, rows: Float32Array, feature: number, options: FeatureDashboardOptions = {}): Promise<FeatureDashboard> {
  const settings = { ...DEFAULTS, ...options };
  for (const [name, value] of Object.entries(settings)) {
    if (name !== 'seed' && !(Number.isSafeInteger(value) && value > 0)) throw new Error(`featureDashboard: ${name} ${value} must be a positive integer`);
  }
  checkFeature(sae, feature, 'featureDashboard: feature');
  if (rows.length === 0 || rows.length % sae.d_in !== 0) {
    throw new Error(`featureDashboard: rows hold ${rows.length} values, not a non-empty whole number of rows of d_in ${sae.d_in}`);
  }
  const z = await rankingPreActivations(sae, rows, feature, settings.rankBatchSize);
  const { top, topExact } = await topRows(sae, rows, feature, z, settings);
  const { frequency, sampleRows, histogram } = await sampleHistogram(sae, rows, feature, z, settings);
  return { feature, frequency, sampleRows, histogram, top, topExact };
}

async function topRows(
  sae: DeviceSae,
  rows: Float32Array,
  feature: number,
  z: Float32Array,
  settings: Required<FeatureDashboardOptions>,
): Promise<Pick<FeatureDashboard, 'top' | 'topExact'>> {
  // Rows with z_j ≤ 0 cannot fire under ReLU or TopK.
  const ranked = Array.from({ length: z.length }, (_, r) => r).filter((r) => z[r] > 0);
  ranked.sort((a, b) => z[b] - z[a] || a - b);
  const examinable = Math.min(ranked.length, settings.maxCandidates);
  const found: TopRow[] = [];
  let examined = 0;
  while (examined < examinable && found.length < settings.top) {
    const chunk = ranked.slice(examined, Math.min(examinable, examined + settings.candidates));
    const activations = await encodeRows(sae, rows, chunk, feature);
    chunk.forEach((row, k) => {
      if (activations[k] > 0) found.push({ row, activation: activations[k] });
    });
    examined += chunk.length;
  }
  found.sort((a, b) => b.activation - a.activation || a.row - b.row);
  return { top: found.slice(0, settings.top), topExact: found.length >= settings.top || examined === ranked.length };
}

/** z_j of every row [n], one read-back per batch. */
async function rankingPreActivations(sae: DeviceSae, rows: Float32Array, feature: number, batchSize: number): Promise<Float32Array> {
  const n = rows.length / sae.d_in;
  const z = new Float32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const batch = tf.tidy(() => sae.featurePreActivation(tf.tensor2d(rows.subarray(start * sae.d_in, end * sae.d_in), [end - start, sae.d_in]), feature));
    try {
      z.set((await batch.data()) as Float32Array, start);
    } finally {
      batch.dispose();
    }
  }
  return z;
}

/** The feature's true activation on the rows `indices` (one full encode, one read-back). */
async function encodeRows(sae: DeviceSae, rows: Float32Array, indices: ArrayLike<number>, feature: number): Promise<Float32Array> {
  const x = uploadRows(rows, sae.d_in, indices);
  try {
    return (await encodeFeatureColumns(sae, x, [feature]))[0];
  } finally {
    x.dispose();
  }
}

async function sampleHistogram(
  sae: DeviceSae,
  rows: Float32Array,
  feature: number,
  z: Float32Array,
  settings: Required<FeatureDashboardOptions>,
): Promise<Pick<FeatureDashboard, 'frequency' | 'sampleRows' | 'histogram'>> {
  const sample = sampleRowIndices(z.length, settings.histogramRows, settings.seed);
  // Only sampled rows with z_j > 0 can fire: the others need no encode (most rows, for a sparse feature).
  const candidates = sample.filter((r) => z[r] > 0);
  const fired: number[] = [];
  for (let start = 0; start < candidates.length; start += settings.encodeBatchSize) {
    const activations = await encodeRows(sae, rows, candidates.subarray(start, start + settings.encodeBatchSize), feature);
    for (const v of activations) if (v > 0) fired.push(v);
  }
  const max = fired.reduce((a, b) => Math.max(a, b), 0);
  const { bins } = settings;
  const counts = new Array<number>(bins).fill(0);
  for (const v of fired) counts[Math.min(bins - 1, Math.floor((v / max) * bins))]++;
  const edges = Array.from({ length: bins + 1 }, (_, b) => (max * b) / bins);
  return { frequency: fired.length / sample.length, sampleRows: sample.length, histogram: { edges, counts } };
}

/** `count` distinct row indices drawn with a seed (the first `count` of a seeded permutation); all rows in order when n ≤ count. */
export function sampleRowIndices(n: number, count: number, seed: number): Int32Array {
  if (n <= count) return Int32Array.from({ length: n }, (_, i) => i);
  return new Rng(seed).permutation(n).slice(0, count);
}
