import { describe, expect, it } from 'vitest';
import { linearSumAssignment } from '../../../src/core/align/assignment';
import type { SimilarityMatrix } from '../../../src/core/align/cosine';
import {
  columnMaxima,
  fractionBestAtLeast,
  histogram,
  matchedSimilarities,
  meanMatchedSimilarity,
  meanMaxCosine,
  rowMaxima,
} from '../../../src/core/align/metrics';

const matrix = (rows: number[][]): SimilarityMatrix => ({
  values: Float32Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0].length,
});
const f32 = (x: number) => Math.fround(x);

describe('alignment metrics on hand-checkable matrices', () => {
  // Row 0's best match is column 0 (0.9), but the one-to-one optimum pairs 0→1 and 1→0
  // (0.8 + 0.85 > 0.9 + 0.1), so the matched mean and the max-based MMCS differ.
  const s = matrix([
    [0.9, 0.8],
    [0.85, 0.1],
  ]);

  it('mean matched cosine follows the optimal matching, not the per-row maxima', () => {
    const assignment = linearSumAssignment(s.values, 2, 2, { maximize: true });
    expect(Array.from(assignment.rowToCol)).toEqual([1, 0]);
    expect(meanMatchedSimilarity(s, assignment)).toBeCloseTo((f32(0.8) + f32(0.85)) / 2, 7);
    expect(Array.from(matchedSimilarities(s, assignment.rowToCol))).toEqual([f32(0.8), f32(0.85)]);
  });

  it('MMCS averages the row-wise and the column-wise best matches', () => {
    expect(Array.from(rowMaxima(s))).toEqual([f32(0.9), f32(0.85)]);
    expect(Array.from(columnMaxima(s))).toEqual([f32(0.9), f32(0.8)]);
    const expected = 0.5 * ((f32(0.9) + f32(0.85)) / 2 + (f32(0.9) + f32(0.8)) / 2);
    expect(meanMaxCosine(s)).toBeCloseTo(expected, 7);
  });

  it('the paired fraction counts rows whose best match reaches tau, inclusively', () => {
    const t = matrix([
      [0.7, 0.1, 0.2],
      [0.69, 0.3, 0.1],
      [0.2, 0.95, 0.1],
      [0, 0, 0],
    ]);
    expect(fractionBestAtLeast(t, f32(0.7))).toBe(2 / 4);
    expect(fractionBestAtLeast(t, 0.5)).toBe(3 / 4);
  });

  it('on a rectangular matrix, MMCS sees every column and unmatched rows get 0', () => {
    const r = matrix([[0.2], [0.9], [0.4]]);
    const assignment = linearSumAssignment(r.values, 3, 1, { maximize: true });
    expect(Array.from(assignment.rowToCol)).toEqual([-1, 0, -1]);
    expect(Array.from(matchedSimilarities(r, assignment.rowToCol))).toEqual([0, f32(0.9), 0]);
    expect(meanMatchedSimilarity(r, assignment)).toBeCloseTo(0.9, 6);
    expect(meanMaxCosine(r)).toBeCloseTo(0.5 * ((f32(0.2) + f32(0.9) + f32(0.4)) / 3 + f32(0.9)), 7);
  });
});

describe('histogram', () => {
  it('puts each value in its equal-width bin, 1 in the top bin, and clamps outliers', () => {
    expect(histogram([0, 0.05, 0.26, 0.5, 0.74, 0.99, 1, 1.2, -0.1, NaN], 4)).toEqual([
      3, // 0, 0.05, -0.1 (clamped)
      1, // 0.26
      2, // 0.5, 0.74
      3, // 0.99, 1, 1.2 (clamped)
    ]);
  });

  it('counts every value exactly once', () => {
    const values = Array.from({ length: 1000 }, (_, k) => (k * 0.6180339887) % 1);
    const counts = histogram(values, 20);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
  });

  it('rejects a degenerate range', () => {
    expect(() => histogram([0.5], 0)).toThrow();
    expect(() => histogram([0.5], 4, 1, 1)).toThrow();
  });
});
