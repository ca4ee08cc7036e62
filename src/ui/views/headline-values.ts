// The headline alignment numbers: what each means, how to read it from an AlignmentSummary, and the
// B − A difference between two runs.

import type { AlignmentSummary } from '../../core/align/align-seeds';
import { formatFixed, formatPercent, formatPointsDiff } from './number-format';

export type HeadlineKey = 'mmcs' | 'matched' | 'frac' | 'pairShared' | 'shared';

export interface HeadlineMetric {
  key: HeadlineKey;
  label: (tau: number) => string;
  /** One line for the tooltip: what the number measures. */
  explanation: (tau: number) => string;
  /** Cosines print as decimals, fractions as percentages (and their differences in points). */
  kind: 'cosine' | 'fraction';
  read: (alignment: AlignmentSummary) => number;
  /** The same number for each seed pair (in `alignment.pairs` order); null where it is one number for all seeds. */
  perPair: ((alignment: AlignmentSummary) => number[]) | null;
}

export const HEADLINE_METRICS: HeadlineMetric[] = [
  {
    key: 'mmcs',
    label: () => 'MMCS',
    explanation: () =>
      'Mean max cosine: each feature’s best decoder |cos| in the other seed, averaged both ways, then over seed pairs.',
    kind: 'cosine',
    read: (a) => a.meanOverPairs.mmcs,
    perPair: (a) => a.pairs.map((p) => p.mmcs),
  },
  {
    key: 'matched',
    label: () => 'mean matched |cos|',
    explanation: () => 'Mean decoder |cos| over the optimal one-to-one matching of features (Hungarian), averaged over seed pairs.',
    kind: 'cosine',
    read: (a) => a.meanOverPairs.meanMatched,
    perPair: (a) => a.pairs.map((p) => p.meanMatched),
  },
  {
    key: 'frac',
    label: (tau) => `fraction ≥ τ (${tau})`,
    explanation: (tau) => `Fraction of features whose best decoder match in the other seed has |cos| ≥ ${tau}, averaged over seed pairs.`,
    kind: 'fraction',
    read: (a) => a.meanOverPairs.fracAboveTau,
    perPair: (a) => a.pairs.map((p) => p.fracAboveTau),
  },
  {
    key: 'pairShared',
    label: () => 'shared (per pair)',
    explanation: (tau) =>
      `Fraction of features shared by a seed pair: encoder and decoder matchings pick the same partner and both |cos| ≥ ${tau}; averaged over seed pairs.`,
    kind: 'fraction',
    read: (a) => a.meanOverPairs.sharedFrac,
    perPair: (a) => a.pairs.map((p) => p.sharedFrac),
  },
  {
    key: 'shared',
    label: () => 'shared with all seeds',
    explanation: (tau) =>
      `Fraction of the reference seed’s features shared with every other seed: encoder and decoder matchings pick the same partner and both |cos| ≥ ${tau}.`,
    kind: 'fraction',
    read: (a) => a.acrossSeeds.sharedWithAllFrac,
    perPair: null,
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

/** A number's spread over seed pairs: each pair's value (labelled by its seeds), the lowest and the highest. */
export interface PairSpread {
  values: { seeds: [number, number]; value: number }[];
  min: number;
  max: number;
}

export function pairSpread(alignment: AlignmentSummary | null, metric: HeadlineMetric): PairSpread | null {
  if (!alignment || !metric.perPair || alignment.pairs.length === 0) return null;
  const numbers = metric.perPair(alignment);
  const values = alignment.pairs.map((p, i) => ({ seeds: [p.seedA, p.seedB] as [number, number], value: numbers[i] }));
  return { values, min: Math.min(...numbers), max: Math.max(...numbers) };
}

/**
 * Per seed pair, whether B's value beats A's. A pair is the same two seed indices on both sides:
 * a seed gives both configurations the same initial weights (tied init) and batch order, so pair
 * (i, j) of A and of B differ only in the configuration.
 */
export function pairWins(a: AlignmentSummary | null, b: AlignmentSummary | null, metric: HeadlineMetric): { higher: number; lower: number; pairs: number } | null {
  const spreadA = pairSpread(a, metric);
  const spreadB = pairSpread(b, metric);
  if (!spreadA || !spreadB) return null;
  const key = (seeds: [number, number]) => seeds.join('-');
  const ofB = new Map(spreadB.values.map((v) => [key(v.seeds), v.value]));
  let higher = 0;
  let lower = 0;
  let pairs = 0;
  for (const { seeds, value } of spreadA.values) {
    const other = ofB.get(key(seeds));
    if (other === undefined) continue;
    pairs++;
    if (other > value) higher++;
    else if (other < value) lower++;
  }
  return pairs === 0 ? null : { higher, lower, pairs };
}

export function formatSpread(spread: PairSpread, metric: HeadlineMetric): string {
  const format = (v: number) => formatHeadline(v, metric);
  if (spread.values.length === 1) return '1 pair';
  const [low, high] = [format(spread.min), format(spread.max)];
  return low === high ? `${low} in all ${spread.values.length} pairs` : `${low}–${high} over ${spread.values.length} pairs`;
}

/** Every pair's value, for a tooltip: "seeds 0–1: 0.412 · seeds 0–2: 0.398 …". */
export function describeSpread(spread: PairSpread, metric: HeadlineMetric): string {
  return spread.values.map(({ seeds, value }) => `seeds ${seeds[0]}–${seeds[1]}: ${formatHeadline(value, metric)}`).join(' · ');
}
