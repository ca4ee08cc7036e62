// The headline alignment numbers: what each means, how to read it from an AlignmentSummary, and the
// B − A difference between two runs.

import type { AlignmentSummary } from '../../core/align/alignSeeds';
import { formatFixed, formatPercent, formatPointsDiff } from './number-format';

export type HeadlineKey = 'mmcs' | 'matched' | 'frac' | 'shared';

export interface HeadlineMetric {
  key: HeadlineKey;
  label: (tau: number) => string;
  /** One line for the tooltip: what the number measures. */
  explanation: (tau: number) => string;
  /** Cosines print as decimals, fractions as percentages (and their differences in points). */
  kind: 'cosine' | 'fraction';
  read: (alignment: AlignmentSummary) => number;
}

export const HEADLINE_METRICS: HeadlineMetric[] = [
  {
    key: 'mmcs',
    label: () => 'MMCS',
    explanation: () =>
      'Mean max cosine: each feature’s best decoder |cos| in the other seed, averaged both ways, then over seed pairs.',
    kind: 'cosine',
    read: (a) => a.meanOverPairs.mmcs,
  },
  {
    key: 'matched',
    label: () => 'mean matched |cos|',
    explanation: () => 'Mean decoder |cos| over the optimal one-to-one matching of features (Hungarian), averaged over seed pairs.',
    kind: 'cosine',
    read: (a) => a.meanOverPairs.meanMatched,
  },
  {
    key: 'frac',
    label: (tau) => `fraction ≥ τ (${tau})`,
    explanation: (tau) => `Fraction of features whose best decoder match in the other seed has |cos| ≥ ${tau}, averaged over seed pairs.`,
    kind: 'fraction',
    read: (a) => a.meanOverPairs.fracAboveTau,
  },
  {
    key: 'shared',
    label: () => 'shared with all seeds',
    explanation: (tau) =>
      `Fraction of the reference seed’s features shared with every other seed: encoder and decoder matchings pick the same partner and both |cos| ≥ ${tau}.`,
    kind: 'fraction',
    read: (a) => a.acrossSeeds.sharedWithAllFrac,
  },
];

export function headlineValue(alignment: AlignmentSummary | null, metric: HeadlineMetric): number | null {
  return alignment ? metric.read(alignment) : null;
}

/** B − A, or null when either run has no alignment yet. */
export function headlineDiff(a: AlignmentSummary | null, b: AlignmentSummary | null, metric: HeadlineMetric): number | null {
  const va = headlineValue(a, metric);
  const vb = headlineValue(b, metric);
  return va === null || vb === null ? null : vb - va;
}

export function formatHeadline(value: number | null, metric: HeadlineMetric): string {
  return metric.kind === 'cosine' ? formatFixed(value, 3) : formatPercent(value, 1);
}

export function formatHeadlineDiff(diff: number | null, metric: HeadlineMetric): string {
  return metric.kind === 'cosine' ? formatFixed(diff, 3, true) : formatPointsDiff(diff, 1);
}
