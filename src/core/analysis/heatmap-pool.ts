// Shrinks a square range of an n×n similarity matrix (the whole of it, or a zoomed block) to at most
// size² canvas pixels by max-pooling, so a 16,384² matrix draws at the canvas's own resolution and a
// single strong match is never averaged away. Each pooled pixel keeps the flat index of the cell that
// made it bright, so a click maps back to the two features. The lab worker pools its ordered pair
// matrix here and sends the page only the pooled pixels (about a second of work at 16,384 features).

/** The block of rows row0… and columns col0…, `side` of each, of the reordered matrix. */
export interface ZoomRange {
  row0: number;
  col0: number;
  side: number;
}

export interface PooledMatrix {
  /** Side of the source matrix. */
  n: number;
  /** The square block of it that was pooled. */
  range: ZoomRange;
  /** Side of the pooled matrix: range.side when it fits, else the size asked for. */
  size: number;
  /** [size, size] row-major: the maximum of each block. */
  values: Float32Array;
  /** [size, size]: flat source index (row · n + col) of each block's maximum. */
  argmax: Int32Array;
}

/** The whole n×n matrix as a range. */
export const wholeRange = (n: number): ZoomRange => ({ row0: 0, col0: 0, side: n });

/** Whether two ranges are the same block. */
export const sameRange = (a: ZoomRange, b: ZoomRange): boolean => a.row0 === b.row0 && a.col0 === b.col0 && a.side === b.side;

/** Whether a range is a non-empty block inside an n×n matrix. */
export function rangeFits(range: ZoomRange, n: number): boolean {
  const { row0, col0, side } = range;
  return [row0, col0, side].every(Number.isInteger) && row0 >= 0 && col0 >= 0 && side >= 1 && row0 + side <= n && col0 + side <= n;
}

/** Side of the pooled matrix of a range of `side` pooled to at most `maxSize` pixels a side. */
export function pooledSize(side: number, maxSize: number): number {
  return Math.max(1, Math.min(side, Math.floor(maxSize)));
}

/** First source index of `bin`; bins split n indices into `size` runs whose lengths differ by at most 1. */
export function binStart(bin: number, size: number, n: number): number {
  return Math.floor((bin * n) / size);
}

/** The bin of every index of the range's side (binStart's inverse). */
function binsOf(size: number, n: number): Int32Array {
  const bins = new Int32Array(n);
  for (let b = 0; b < size; b++) bins.fill(b, binStart(b, size, n), binStart(b + 1, size, n));
  return bins;
}

/** Max-pools the range of values ([n, n] row-major) into at most maxSize × maxSize blocks; NaN never wins a block. */
export function maxPoolRange(values: ArrayLike<number>, n: number, range: ZoomRange, maxSize: number): PooledMatrix {
  const size = pooledSize(range.side, maxSize);
  const pooled = new Float32Array(size * size).fill(-Infinity);
  const argmax = new Int32Array(size * size).fill(-1);
  const bins = binsOf(size, range.side);
  for (let r = 0; r < range.side; r++) {
    const rowBase = bins[r] * size;
    const k0 = (range.row0 + r) * n + range.col0;
    for (let c = 0; c < range.side; c++) {
      const cell = rowBase + bins[c];
      // A NaN compares false, so it never replaces a number.
      if (values[k0 + c] > pooled[cell]) {
        pooled[cell] = values[k0 + c];
        argmax[cell] = k0 + c;
      }
    }
  }
  // Blocks of nothing but NaN (or −∞) still map back to a real cell: their first one.
  for (let cell = 0; cell < argmax.length; cell++) {
    if (argmax[cell] >= 0) continue;
    const br = Math.floor(cell / size);
    const k = (range.row0 + binStart(br, size, range.side)) * n + range.col0 + binStart(cell - br * size, size, range.side);
    argmax[cell] = k;
    pooled[cell] = values[k];
  }
  return { n, range, size, values: pooled, argmax };
}

/** The whole matrix pooled (see maxPoolRange). */
export function maxPool(values: ArrayLike<number>, n: number, maxSize = 512): PooledMatrix {
  return maxPoolRange(values, n, wholeRange(n), maxSize);
}
