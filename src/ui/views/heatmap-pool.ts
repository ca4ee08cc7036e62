// Shrinks a square range of an n×n similarity matrix (the whole of it, or a zoomed block) to at most
// size² canvas pixels by max-pooling, so a 16,384² matrix draws at the canvas's own resolution and a
// single strong match is never averaged away; and maps a pooled pixel back to the matrix cell (and
// so the two features) that made it bright. At 16,384 features the whole matrix is 268M cells, about
// a second or more of work: `maxPoolInSlices` does it a few milliseconds at a time, yielding to the page between.

/** The block of rows row0… and columns col0…, `side` of each, of the reordered matrix (see heatmap-zoom.ts). */
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

/** A pooling in progress: rows of the range are added in any number of `poolRows` calls. */
interface PoolJob extends PooledMatrix {
  bins: Int32Array;
}

function startPool(n: number, range: ZoomRange, maxSize: number): PoolJob {
  const size = Math.max(1, Math.min(range.side, Math.floor(maxSize)));
  return {
    n,
    range,
    size,
    values: new Float32Array(size * size).fill(-Infinity),
    argmax: new Int32Array(size * size).fill(-1),
    bins: binsOf(size, range.side),
  };
}

/** Adds the range's rows [from, to) (counted from range.row0) into the job's blocks. */
function poolRows(job: PoolJob, values: ArrayLike<number>, from: number, to: number): void {
  const { n, size, bins, range } = job;
  const pooled = job.values;
  const argmax = job.argmax;
  for (let r = from; r < to; r++) {
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
}

function finishPool(job: PoolJob, values: ArrayLike<number>): PooledMatrix {
  const { n, range, size, argmax } = job;
  // Blocks of nothing but NaN (or −∞) still map back to a real cell: their first one.
  for (let cell = 0; cell < argmax.length; cell++) {
    if (argmax[cell] >= 0) continue;
    const br = Math.floor(cell / size);
    const k = (range.row0 + binStart(br, size, range.side)) * n + range.col0 + binStart(cell - br * size, size, range.side);
    argmax[cell] = k;
    job.values[cell] = values[k];
  }
  return { n, range, size, values: job.values, argmax };
}

/** Max-pools the range of values ([n, n] row-major) into at most maxSize × maxSize blocks; NaN never wins a block. */
export function maxPoolRange(values: ArrayLike<number>, n: number, range: ZoomRange, maxSize: number): PooledMatrix {
  const job = startPool(n, range, maxSize);
  poolRows(job, values, 0, range.side);
  return finishPool(job, values);
}

/** The whole matrix pooled (see maxPoolRange). */
export function maxPool(values: ArrayLike<number>, n: number, maxSize = 512): PooledMatrix {
  return maxPoolRange(values, n, { row0: 0, col0: 0, side: n }, maxSize);
}

/** Main-thread time (ms) spent pooling before yielding to the page: half a frame, so input stays answered. */
const SLICE_MS = 8;
/** Cells pooled between looks at the clock. */
const CELLS_PER_CHECK = 1 << 16;

/**
 * maxPoolRange in time slices of about `sliceMs` with a macrotask between them, so scrolling and
 * clicks are answered while a full-size matrix is pooled. Resolves null when `cancelled()` turns true
 * (a newer request) before it is done.
 */
export async function maxPoolInSlices(
  values: ArrayLike<number>,
  n: number,
  range: ZoomRange,
  maxSize: number,
  cancelled: () => boolean,
  sliceMs = SLICE_MS,
): Promise<PooledMatrix | null> {
  const job = startPool(n, range, maxSize);
  const rowsPerCheck = Math.max(1, Math.floor(CELLS_PER_CHECK / Math.max(1, range.side)));
  let row = 0;
  while (row < range.side) {
    if (row > 0) await new Promise((resolve) => setTimeout(resolve, 0));
    if (cancelled()) return null;
    const sliceEnd = performance.now() + sliceMs;
    do {
      const to = Math.min(range.side, row + rowsPerCheck);
      poolRows(job, values, row, to);
      row = to;
    } while (row < range.side && performance.now() < sliceEnd);
  }
  return finishPool(job, values);
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
