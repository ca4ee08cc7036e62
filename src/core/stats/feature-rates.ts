/**
 * Success rates that respect clustering: the trials of one feature (the same steering direction on
 * several inputs) are not independent, so two SAEs are compared by their features' success rates,
 * one value per feature, rather than by their pooled trials.
 */
import { mannWhitneyU, type MannWhitney } from './mann-whitney';

export interface FeatureSuccess {
  feature: number;
  successes: number;
  trials: number;
}

export interface FeatureRateComparison {
  /** Mean of the per-feature success rates of a and of b (features without trials left out). */
  meanRate: [number, number];
  /** meanRate(a) − meanRate(b). */
  difference: number;
  /** Features compared on each side. */
  features: [number, number];
  /**
   * Mann–Whitney U on the per-feature rates. Why this test: with ~10 trials a feature's rate takes
   * a few values, mostly near 0, heavily tied and far from normal, so a t-test's assumption is
   * doubtful; a rank test needs none, and with the tie correction its variance is U's exact null
   * variance. Its normal approximation is closed-form and deterministic (a permutation test would
   * need a seed and give a p with Monte Carlo noise), and with tens of features a side it is accurate.
   */
  test: MannWhitney;
}

/** Per-feature counts from individual trials, features in the order they first appear. */
export function featureSuccesses(trials: readonly { feature: number; success: boolean }[]): FeatureSuccess[] {
  const byFeature = new Map<number, FeatureSuccess>();
  for (const { feature, success } of trials) {
    const entry = byFeature.get(feature) ?? { feature, successes: 0, trials: 0 };
    entry.trials++;
    if (success) entry.successes++;
    byFeature.set(feature, entry);
  }
  return [...byFeature.values()];
}

/** Compares a's features with b's; null when either side has no feature with trials. */
export function compareFeatureRates(a: readonly FeatureSuccess[], b: readonly FeatureSuccess[]): FeatureRateComparison | null {
  const ratesA = rates(a);
  const ratesB = rates(b);
  if (ratesA.length === 0 || ratesB.length === 0) return null;
  const meanRate: [number, number] = [mean(ratesA), mean(ratesB)];
  return { meanRate, difference: meanRate[0] - meanRate[1], features: [ratesA.length, ratesB.length], test: mannWhitneyU(ratesA, ratesB) };
}

function rates(features: readonly FeatureSuccess[]): number[] {
  return features.filter((f) => f.trials > 0).map((f) => f.successes / f.trials);
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
