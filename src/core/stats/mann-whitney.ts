/**
 * The Mann–Whitney U test (Wilcoxon rank-sum) of two independent samples, two-sided, by the normal
 * approximation with the tie correction and a continuity correction (as SciPy's
 * `mannwhitneyu(method='asymptotic')`). It needs no distribution of the values, only their order.
 */
import { erfc } from './special';

export interface MannWhitney {
  /** U of the first sample: pairs (a_i, b_j) with a_i > b_j, plus half the tied pairs. */
  u: number;
  /** U / (n_a n_b): the chance that a random value of a exceeds one of b (ties count half). */
  superiority: number;
  /** U's mean n_a n_b / 2 and variance under the null, the variance corrected for ties. */
  mean: number;
  variance: number;
  /** Two-sided p; 1 when every value is tied (the ranks carry no information). */
  pValue: number;
}

export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitney {
  const na = a.length;
  const nb = b.length;
  if (na === 0 || nb === 0) throw new Error(`mannWhitneyU: both samples need values (got ${na} and ${nb})`);
  if (![...a, ...b].every(Number.isFinite)) throw new Error('mannWhitneyU: every value must be a finite number');
  const { rankSumA, tieTerm } = ranks(a, b);
  const u = rankSumA - (na * (na + 1)) / 2;
  const n = na + nb;
  const mean = (na * nb) / 2;
  // Var U = n_a n_b / 12 · ((n + 1) − Σ(t³ − t) / (n (n − 1))), t the size of each group of ties.
  const variance = ((na * nb) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  let pValue = 1;
  if (variance > 0) {
    const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
    // P(|Z| > z) = erfc(z / √2).
    pValue = Math.min(1, erfc(z / Math.SQRT2));
  }
  return { u, superiority: u / (na * nb), mean, variance, pValue };
}

/** The sum of a's midranks in the pooled sample, and Σ(t³ − t) over the groups of tied values. */
function ranks(a: readonly number[], b: readonly number[]): { rankSumA: number; tieTerm: number } {
  const pooled = [...a.map((value) => ({ value, fromA: true })), ...b.map((value) => ({ value, fromA: false }))].sort((x, y) => x.value - y.value);
  let rankSumA = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start;
    while (end < pooled.length && pooled[end].value === pooled[start].value) end++;
    const t = end - start;
    const midrank = (start + 1 + end) / 2; // ranks start + 1 … end share their mean
    for (let i = start; i < end; i++) if (pooled[i].fromA) rankSumA += midrank;
    tieTerm += t ** 3 - t;
    start = end;
  }
  return { rankSumA, tieTerm };
}
