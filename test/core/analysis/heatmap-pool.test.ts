import { describe, expect, it } from 'vitest';
import { binStart, maxPool, maxPoolRange, pooledSize, rangeFits } from '../../../src/core/analysis/heatmap-pool';
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

describe('maxPoolRange', () => {
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
    // Pixel (column 2, row 1) is cell (5, 11) of the whole matrix.
    expect(pooled.argmax[1 * 3 + 2]).toBe(5 * 30 + 11);
  });
});

describe('pooledSize and rangeFits', () => {
  it('pools to the size asked for, or to the range itself once it fits', () => {
    expect(pooledSize(16384, 512)).toBe(512);
    expect(pooledSize(100, 512.7)).toBe(100);
    expect(pooledSize(100, 37.9)).toBe(37);
    expect(pooledSize(100, 0)).toBe(1);
  });

  it('accepts only non-empty whole-number blocks inside the matrix', () => {
    expect(rangeFits({ row0: 0, col0: 0, side: 64 }, 64)).toBe(true);
    expect(rangeFits({ row0: 60, col0: 3, side: 4 }, 64)).toBe(true);
    expect(rangeFits({ row0: 61, col0: 3, side: 4 }, 64)).toBe(false);
    expect(rangeFits({ row0: 0, col0: -1, side: 4 }, 64)).toBe(false);
    expect(rangeFits({ row0: 0, col0: 0, side: 0 }, 64)).toBe(false);
    expect(rangeFits({ row0: 0.5, col0: 0, side: 4 }, 64)).toBe(false);
  });
});
