// Scalar summaries of a similarity matrix between the features of two SAEs (see PAPER.md,
// "Cross-seed alignment"). All take S as [nA, nB] |cos| values in [0, 1].

import type { Assignment } from './assignment';
import type { SimilarityMatrix } from './cosine';

/** The paper's threshold for "paired" and "shared" features. */
export const DEFAULT_TAU = 0.7;

/**
 * S at each row's assigned partner: out[i] = S[i, rowToCol[i]], and 0 for a row left without a
 * partner (the larger side of a rectangular matrix), since it matches nothing.
 */
export function matchedSimilarities(s: SimilarityMatrix, rowToCol: Int32Array): Float32Array {
  const out = new Float32Array(s.rows);
  for (let i = 0; i < s.rows; i++) {
    const j = rowToCol[i];
    if (j >= 0) out[i] = s.values[i * s.cols + j];
  }
  return out;
}

/** Mean of S over the matched pairs of an optimal one-to-one assignment (min(nA, nB) pairs). */
export function meanMatchedSimilarity(s: SimilarityMatrix, assignment: Assignment): number {
  let sum = 0;
  let count = 0;
  assignment.rowToCol.forEach((j, i) => {
    if (j < 0) return;
    sum += s.values[i * s.cols + j];
    count++;
  });
  return count === 0 ? 0 : sum / count;
}

/** max_j S[i, j] for every row i. */
export function rowMaxima(s: SimilarityMatrix): Float32Array {
  const out = new Float32Array(s.rows);
  for (let i = 0; i < s.rows; i++) {
    let best = 0;
    for (let j = 0, k = i * s.cols; j < s.cols; j++, k++) if (s.values[k] > best) best = s.values[k];
    out[i] = best;
  }
  return out;
}

/** max_i S[i, j] for every column j (one pass over S in memory order). */
export function columnMaxima(s: SimilarityMatrix): Float32Array {
  const out = new Float32Array(s.cols);
  for (let i = 0; i < s.rows; i++) {
    for (let j = 0, k = i * s.cols; j < s.cols; j++, k++) if (s.values[k] > out[j]) out[j] = s.values[k];
  }
  return out;
}

/**
 * Mean max cosine, ½(mean_i max_j S_ij + mean_j max_i S_ij): symmetric in the two SAEs and, unlike
 * the matched mean, lets several features pick the same best match.
 */
export function meanMaxCosine(s: SimilarityMatrix): number {
  return 0.5 * (mean(rowMaxima(s)) + mean(columnMaxima(s)));
}

/** Fraction of A's features (rows) whose best match in B reaches `tau`: the paper's "paired". */
export function fractionBestAtLeast(s: SimilarityMatrix, tau = DEFAULT_TAU): number {
  return fractionAtLeast(rowMaxima(s), tau);
}

export function fractionAtLeast(values: ArrayLike<number>, tau: number): number {
  if (values.length === 0) return 0;
  let count = 0;
  for (let k = 0; k < values.length; k++) if (values[k] >= tau) count++;
  return count / values.length;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k];
  return sum / values.length;
}

/**
 * Counts of `values` in `bins` equal-width bins over [lo, hi]; the last bin includes hi (a
 * perfect match, cosine 1, lands in the top bin), out-of-range values are clamped to the ends and
 * NaN is skipped.
 */
export function histogram(values: ArrayLike<number>, bins = 20, lo = 0, hi = 1): number[] {
  if (!(bins >= 1) || !(hi > lo)) throw new Error(`histogram needs bins ≥ 1 and hi > lo, got ${bins}, [${lo}, ${hi}]`);
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let k = 0; k < values.length; k++) {
    if (Number.isNaN(values[k])) continue;
    const bin = Math.floor((values[k] - lo) / width);
    counts[Math.min(bins - 1, Math.max(0, bin))]++;
  }
  return counts;
}
