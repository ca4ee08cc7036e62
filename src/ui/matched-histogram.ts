import type { AlignmentSummary } from '../core/align';

/** Every seed pair's matched-|cos| counts added bin by bin: the whole configuration in one histogram. */
export function pooledMatchedHistogram(alignment: AlignmentSummary | null): number[] {
  const pairs = alignment?.pairs ?? [];
  if (pairs.length === 0) return [];
  const counts = new Array<number>(pairs[0].matchedHistogram.length).fill(0);
  for (const pair of pairs) pair.matchedHistogram.forEach((count, bin) => (counts[bin] += count));
  return counts;
}
