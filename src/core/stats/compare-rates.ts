/**
 * Whether two success rates differ, e.g. the steering success of an SAE trained with and without the
 * L2 penalty (the paper: 6.3% vs 13.0%, χ² p = 2.3e-5).
 */
import { fisherExact, pearsonChiSquare } from './two-by-two';

export interface RateCount {
  successes: number;
  trials: number;
}

export interface RateComparison {
  /** rate(a) − rate(b); NaN when either has no trials. */
  difference: number;
  /** Pearson's χ² (1 df, no continuity correction), as the paper reports. */
  chiSquare: { statistic: number; pValue: number };
  /** Fisher's exact test, two-sided: exact for small counts, where χ² is only an approximation. */
  fisher: { pValue: number };
}

export function compareRates(a: RateCount, b: RateCount): RateComparison {
  checkCount(a, 'a');
  checkCount(b, 'b');
  const table = { a: a.successes, b: a.trials - a.successes, c: b.successes, d: b.trials - b.successes };
  return {
    difference: a.successes / a.trials - b.successes / b.trials,
    chiSquare: pearsonChiSquare(table),
    fisher: fisherExact(table),
  };
}

function checkCount({ successes, trials }: RateCount, name: string): void {
  if (!Number.isSafeInteger(trials) || trials < 0 || !Number.isSafeInteger(successes) || successes < 0 || successes > trials) {
    throw new Error(`compareRates: ${name} has ${successes} successes of ${trials} trials; both must be integers with 0 ≤ successes ≤ trials`);
  }
}
