// Display orders of one seed's features for the decoder grid.

export type FeatureSortKey = 'index' | 'stability' | 'frequency' | 'norm';

export interface FeatureStats {
  /** Per feature: cross-seed stability, firing frequency and decoder norm (any may be missing). */
  stability?: ArrayLike<number>;
  frequency?: ArrayLike<number>;
  norm?: ArrayLike<number>;
}

/**
 * Feature indices in display order: `index` ascending, every other key descending (most stable,
 * most frequent, largest first). Ties and NaNs fall back to index order, NaNs last, so the order
 * does not shuffle between snapshots when values are equal. A missing statistic gives index order.
 */
export function featureOrder(count: number, sortBy: FeatureSortKey, stats: FeatureStats): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const values = sortBy === 'index' ? undefined : stats[sortBy];
  if (!values) return order;
  const nanRank = (i: number) => (Number.isNaN(values[i]) ? 1 : 0);
  // Int32Array.sort with a comparator need not be stable; the index tie-break makes the order total.
  return order.sort((a, b) => nanRank(a) - nanRank(b) || descending(values[a], values[b]) || a - b);
}

function descending(x: number, y: number): number {
  return x > y ? -1 : x < y ? 1 : 0;
}
