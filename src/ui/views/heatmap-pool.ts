// Shrinks an n×n similarity matrix to at most maxSize² canvas pixels by max-pooling, so a 1568×1568
// matrix draws in milliseconds and a single strong match is never averaged away; and maps a pooled
// pixel back to the matrix cell (and so the two features) that made it bright.

export interface PooledMatrix {
  /** Side of the source matrix. */
  n: number;
  /** Side of the pooled matrix: n when n ≤ maxSize, else maxSize. */
  size: number;
  /** [size, size] row-major: the maximum of each block. */
  values: Float32Array;
  /** [size, size]: flat source index (row · n + col) of each block's maximum. */
  argmax: Int32Array;
}

/** First source index of `bin`; bins split n indices into `size` runs whose lengths differ by at most 1. */
export function binStart(bin: number, size: number, n: number): number {
  return Math.floor((bin * n) / size);
}

/** The bin of every source index (binStart's inverse). */
function binsOf(size: number, n: number): Int32Array {
  const bins = new Int32Array(n);
  for (let b = 0; b < size; b++) bins.fill(b, binStart(b, size, n), binStart(b + 1, size, n));
  return bins;
}

/** Max-pools values ([n, n] row-major) into at most maxSize × maxSize blocks; NaN never wins a block. */
export function maxPool(values: ArrayLike<number>, n: number, maxSize = 512): PooledMatrix {
  const size = Math.min(n, maxSize);
  const pooled = new Float32Array(size * size).fill(-Infinity);
  const argmax = new Int32Array(size * size).fill(-1);
  const bins = binsOf(size, n);
  for (let r = 0; r < n; r++) {
    const rowBase = bins[r] * size;
    for (let c = 0, k = r * n; c < n; c++, k++) {
      const cell = rowBase + bins[c];
      // A NaN compares false, so it never replaces a number.
      if (values[k] > pooled[cell]) {
        pooled[cell] = values[k];
        argmax[cell] = k;
      }
    }
  }
  // Blocks of nothing but NaN (or −∞) still map back to a real cell: their first one.
  for (let cell = 0; cell < argmax.length; cell++) {
    if (argmax[cell] >= 0) continue;
    const br = Math.floor(cell / size);
    const k = binStart(br, size, n) * n + binStart(cell - br * size, size, n);
    argmax[cell] = k;
    pooled[cell] = values[k];
  }
  return { n, size, values: pooled, argmax };
}

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
