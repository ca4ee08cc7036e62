// Hit-testing the heatmap's canvas: a pooled pixel back to the matrix cell that made it bright (its
// block's maximum, which the worker recorded while pooling), and through the pair's assignment
// orders to the two features that cell compares.

import type { PooledMatrix } from '../../core/analysis/heatmap-pool';

/** The source cell behind pooled pixel (px, py) (column, row; clamped into range): the block's maximum. */
export function sourceCellAt(pooled: PooledMatrix, px: number, py: number): { row: number; col: number; value: number } {
  const clampIndex = (v: number) => Math.min(pooled.size - 1, Math.max(0, Math.floor(v)));
  const cell = clampIndex(py) * pooled.size + clampIndex(px);
  const k = pooled.argmax[cell];
  return { row: Math.floor(k / pooled.n), col: k % pooled.n, value: pooled.values[cell] };
}

export interface FeaturePairHit {
  /** Row and column in the reordered matrix. */
  row: number;
  col: number;
  /** The features they stand for: A's rowOrder[row] and B's colOrder[col]. */
  featureA: number;
  featureB: number;
  value: number;
}

/** The two features behind pooled pixel (px, py), through the matrix's assignment orders. */
export function featurePairAt(
  orders: { rowOrder: ArrayLike<number>; colOrder: ArrayLike<number> },
  pooled: PooledMatrix,
  px: number,
  py: number,
): FeaturePairHit {
  const { row, col, value } = sourceCellAt(pooled, px, py);
  return { row, col, featureA: orders.rowOrder[row], featureB: orders.colOrder[col], value };
}
