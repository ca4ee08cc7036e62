import { describe, expect, it } from 'vitest';
import { binStart, featurePairAt, maxPool, maxPoolInSlices, maxPoolRange, sourceCellAt } from '../../../src/ui/views/heatmap-pool';
import { lcg } from '../../helpers/configs';

function randomMatrix(n: number, seed: number): Float32Array {
  const rng = lcg(seed);
  return Float32Array.from({ length: n * n }, () => rng());
}

/** The brute-force maximum over pooled cell (br, bc)'s block. */
function blockMax(values: Float32Array, n: number, size: number, br: number, bc: number): number {
  let best = -Infinity;
  for (let r = binStart(br, size, n); r < binStart(br + 1, size, n); r++)
    for (let c = binStart(bc, size, n); c < binStart(bc + 1, size, n); c++) best = Math.max(best, values[r * n + c]);
  return best;
}

describe('binStart', () => {
  it('splits n indices into size runs that cover them once and differ in length by at most 1', () => {
    for (const [n, size] of [
      [1568, 512],
      [37, 8],
      [10, 10],
    ]) {
      const lengths = Array.from({ length: size }, (_, b) => binStart(b + 1, size, n) - binStart(b, size, n));
      expect(binStart(0, size, n)).toBe(0);
      expect(binStart(size, size, n)).toBe(n);
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
      expect(Math.min(...lengths)).toBeGreaterThan(0);
    }
  });
});

describe('maxPool', () => {
  it('leaves a matrix that already fits unchanged', () => {
    const values = randomMatrix(6, 1);
    const pooled = maxPool(values, 6, 512);
    expect(pooled.size).toBe(6);
    expect(Array.from(pooled.values)).toEqual(Array.from(values));
    expect(Array.from(pooled.argmax)).toEqual([...Array(36).keys()]);
  });

  it('keeps the maximum of every block, and points at a cell of that block holding it', () => {
    const n = 37;
    const size = 8;
    const values = randomMatrix(n, 2);
    const pooled = maxPool(values, n, size);
    expect(pooled.size).toBe(size);
    for (let br = 0; br < size; br++) {
      for (let bc = 0; bc < size; bc++) {
        const cell = br * size + bc;
        expect(pooled.values[cell]).toBe(blockMax(values, n, size, br, bc));
        const k = pooled.argmax[cell];
        const [r, c] = [Math.floor(k / n), k % n];
        expect(r).toBeGreaterThanOrEqual(binStart(br, size, n));
        expect(r).toBeLessThan(binStart(br + 1, size, n));
        expect(c).toBeGreaterThanOrEqual(binStart(bc, size, n));
        expect(c).toBeLessThan(binStart(bc + 1, size, n));
        expect(values[k]).toBe(pooled.values[cell]);
      }
    }
  });

  it('never lets NaN win a block that has a number', () => {
    const values = Float32Array.from([NaN, 0.2, 0.1, NaN]);
    const pooled = maxPool(values, 2, 1);
    expect(pooled.values[0]).toBeCloseTo(0.2);
    expect(pooled.argmax[0]).toBe(1);
  });

  it('maps a block of nothing but NaN back to a cell of that block', () => {
    const values = Float32Array.from([NaN, NaN, 0.3, NaN, NaN, 0.1, 0.4, 0.2, 0.9]);
    const pooled = maxPool(values, 3, 2);
    // Bins of 3 indices into 2: {0}, {1, 2}; block (0, 0) is the single NaN cell 0.
    expect(pooled.argmax[0]).toBe(0);
    expect(pooled.values[0]).toBeNaN();
    expect(pooled.values[1]).toBeCloseTo(0.3);
    expect(pooled.values[3]).toBeCloseTo(0.9);
  });
});

describe('featurePairAt', () => {
  it('maps the pixel of a lone bright cell back to its two features through rowOrder and colOrder', () => {
    const n = 40;
    const values = new Float32Array(n * n).fill(0.1);
    const [row, col] = [23, 7];
    values[row * n + col] = 0.95;
    const rowOrder = Int32Array.from({ length: n }, (_, i) => (i * 7) % n);
    const colOrder = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
    const pooled = maxPool(values, n, 9);
    // The pooled pixel covering (row, col): the bin whose run contains each index.
    const binOf = (i: number) => Array.from({ length: 9 }, (_, b) => b).findLast((b) => binStart(b, 9, n) <= i) as number;
    const hit = featurePairAt({ rowOrder, colOrder }, pooled, binOf(col) + 0.5, binOf(row) + 0.5);
    expect([hit.row, hit.col]).toEqual([row, col]);
    expect(hit.featureA).toBe(rowOrder[row]);
    expect(hit.featureB).toBe(colOrder[col]);
    expect(hit.value).toBeCloseTo(0.95);
  });

  it('clamps positions outside the canvas to its edge cells', () => {
    const pooled = maxPool(randomMatrix(5, 3), 5);
    expect(sourceCellAt(pooled, -3, -3)).toMatchObject({ row: 0, col: 0 });
    expect(sourceCellAt(pooled, 99, 99)).toMatchObject({ row: 4, col: 4 });
  });
});

describe('maxPoolRange and maxPoolInSlices', () => {
  it('pools a zoomed block as if it were a matrix of its own, mapping back to full-matrix cells', () => {
    const n = 50;
    const values = randomMatrix(n, 4);
    const range = { row0: 13, col0: 21, side: 17 };
    const block = new Float32Array(range.side * range.side);
    for (let r = 0; r < range.side; r++) for (let c = 0; c < range.side; c++) block[r * range.side + c] = values[(range.row0 + r) * n + range.col0 + c];
    const pooled = maxPoolRange(values, n, range, 5);
    const alone = maxPool(block, range.side, 5);
    expect(pooled.size).toBe(5);
    expect(Array.from(pooled.values)).toEqual(Array.from(alone.values));
    pooled.argmax.forEach((k, cell) => {
      const [r, c] = [Math.floor(alone.argmax[cell] / range.side), alone.argmax[cell] % range.side];
      expect(k).toBe((range.row0 + r) * n + range.col0 + c);
    });
  });

  it('shows single cells once the block fits the canvas', () => {
    const values = randomMatrix(30, 5);
    const pooled = maxPoolRange(values, 30, { row0: 4, col0: 9, side: 3 }, 512);
    expect(pooled.size).toBe(3);
    expect(pooled.values[0]).toBe(values[4 * 30 + 9]);
    expect(sourceCellAt(pooled, 2.5, 1.5)).toMatchObject({ row: 5, col: 11 });
  });

  it('gives the same result in slices as in one go, and stops when cancelled', async () => {
    const n = 3000; // 9M cells: several slices, whatever the machine's speed, with a slice of 0 ms.
    const values = randomMatrix(n, 6);
    const range = { row0: 0, col0: 0, side: n };
    const sliced = await maxPoolInSlices(values, n, range, 64, () => false, 0);
    const whole = maxPoolRange(values, n, range, 64);
    expect(sliced && Array.from(sliced.values)).toEqual(Array.from(whole.values));
    expect(sliced && Array.from(sliced.argmax)).toEqual(Array.from(whole.argmax));
    // With no time to spare each slice is one look at the clock's worth of rows: cancelling after the first stops it.
    let calls = 0;
    expect(await maxPoolInSlices(values, n, range, 64, () => ++calls > 1, 0)).toBeNull();
    expect(calls).toBe(2);
  });
});
