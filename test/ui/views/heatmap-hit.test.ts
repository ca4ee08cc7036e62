import { describe, expect, it } from 'vitest';
import { binStart, maxPool, maxPoolRange } from '../../../src/core/analysis/heatmap-pool';
import { featurePairAt, sourceCellAt } from '../../../src/ui/views/heatmap-hit';
import { lcg } from '../../helpers/configs';

function randomMatrix(n: number, seed: number): Float32Array {
  const rng = lcg(seed);
  return Float32Array.from({ length: n * n }, () => rng());
}

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

describe('sourceCellAt', () => {
  it('maps a pixel of a zoomed block back to its cell of the whole matrix', () => {
    const values = randomMatrix(30, 5);
    const pooled = maxPoolRange(values, 30, { row0: 4, col0: 9, side: 3 }, 512);
    expect(sourceCellAt(pooled, 2.5, 1.5)).toMatchObject({ row: 5, col: 11, value: values[5 * 30 + 11] });
  });
});
