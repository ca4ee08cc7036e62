/**
 * Tests of independence on a 2×2 contingency table
 *
 *            success  failure
 *   group A     a        b
 *   group B     c        d
 *
 * A table with a zero row or column (a group without trials, or no successes or no failures at all)
 * carries no evidence of a difference: both tests give p = 1 (χ² would be 0/0, and Fisher's test has
 * a single possible table).
 */
import { erfc, logFactorials } from './special';

export interface TwoByTwo {
  a: number;
  b: number;
  c: number;
  d: number;
}

function margins({ a, b, c, d }: TwoByTwo) {
  return { rowA: a + b, rowB: c + d, successes: a + c, failures: b + d, total: a + b + c + d };
}

function isDegenerate(table: TwoByTwo): boolean {
  const { rowA, rowB, successes, failures } = margins(table);
  return rowA === 0 || rowB === 0 || successes === 0 || failures === 0;
}

/** Pearson's χ² with 1 degree of freedom, without continuity correction: N(ad − bc)² / (row and column sums). */
export function pearsonChiSquare(table: TwoByTwo): { statistic: number; pValue: number } {
  if (isDegenerate(table)) return { statistic: 0, pValue: 1 };
  const { a, b, c, d } = table;
  const { rowA, rowB, successes, failures, total } = margins(table);
  const statistic = (total * (a * d - b * c) ** 2) / (rowA * rowB * successes * failures);
  // P(χ²₁ > s) = P(|Z| > √s) = erfc(√(s/2)).
  return { statistic, pValue: Math.min(1, erfc(Math.sqrt(statistic / 2))) };
}

/**
 * Fisher's exact test, two-sided: with all margins fixed, a is hypergeometric; p sums the probabilities
 * of every table at most as probable as the observed one. "At most" has a relative tolerance of 1e-7
 * (as R's fisher.test), so tables whose probability equals the observed one up to rounding count.
 */
export function fisherExact(table: TwoByTwo): { pValue: number } {
  if (isDegenerate(table)) return { pValue: 1 };
  const { rowA, rowB, successes, total } = margins(table);
  const lf = logFactorials(total);
  // P(a = x) = C(rowA, x) C(rowB, successes − x) / C(total, successes); the factorials of the margins are shared.
  const logMargins = lf[rowA] + lf[rowB] + lf[successes] + lf[total - successes] - lf[total];
  const logP = (x: number) => logMargins - lf[x] - lf[rowA - x] - lf[successes - x] - lf[rowB - successes + x];
  const observed = logP(table.a);
  const threshold = observed + Math.log1p(1e-7);
  let pValue = 0;
  for (let x = Math.max(0, successes - rowB); x <= Math.min(rowA, successes); x++) {
    const lp = logP(x);
    if (lp <= threshold) pValue += Math.exp(lp);
  }
  return { pValue: Math.min(1, pValue) };
}
