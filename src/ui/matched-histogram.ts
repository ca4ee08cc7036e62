import type { AlignmentSummary, PairSummary } from '../core/align';

/** Which side's optimal matching a histogram is of. */
export type MatchedSide = 'decoder' | 'encoder';

const countsOf = (pair: PairSummary, side: MatchedSide): number[] | undefined =>
  side === 'decoder' ? pair.matchedHistogram : (pair as Partial<PairSummary>).encoderMatchedHistogram;

/**
 * Every seed pair's matched-|cos| counts added bin by bin: the whole configuration in one histogram.
 * Empty without pairs, and for the encoder when any pair lacks its counts (runs saved before the
 * encoder's histogram was recorded), so a partial sum is never shown as the whole.
 */
export function pooledMatchedHistogram(alignment: AlignmentSummary | null, side: MatchedSide = 'decoder'): number[] {
  const pairs = alignment?.pairs ?? [];
  const perPair = pairs.map((pair) => countsOf(pair, side));
  if (perPair.length === 0 || perPair.some((counts) => !counts)) return [];
  const counts = new Array<number>(perPair[0]!.length).fill(0);
  for (const pair of perPair) pair!.forEach((count, bin) => (counts[bin] += count));
  return counts;
}
