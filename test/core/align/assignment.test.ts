import { describe, expect, it } from 'vitest';
import { assignmentTotal, linearSumAssignment, type Assignment } from '../../../src/core/align/assignment';
import { seededRandom, shuffled } from './helpers';

/** Best total over every injection of the smaller side into the larger, by enumeration. */
function bruteForceOptimum(m: Float64Array, nRows: number, nCols: number, maximize: boolean): number {
  const better = (x: number, y: number) => (maximize ? x > y : x < y);
  let best = maximize ? -Infinity : Infinity;
  const used = new Uint8Array(Math.max(nRows, nCols));
  const rowsSmaller = nRows <= nCols;
  const small = rowsSmaller ? nRows : nCols;
  const large = rowsSmaller ? nCols : nRows;
  const entry = (s: number, l: number) => (rowsSmaller ? m[s * nCols + l] : m[l * nCols + s]);
  const visit = (s: number, total: number) => {
    if (s === small) {
      if (better(total, best)) best = total;
      return;
    }
    for (let l = 0; l < large; l++) {
      if (used[l]) continue;
      used[l] = 1;
      visit(s + 1, total + entry(s, l));
      used[l] = 0;
    }
  };
  visit(0, 0);
  return best;
}

function expectValidMatching(a: Assignment, nRows: number, nCols: number): void {
  expect(a.rowToCol.length).toBe(nRows);
  expect(a.colToRow.length).toBe(nCols);
  let matched = 0;
  a.rowToCol.forEach((j, i) => {
    if (j < 0) return;
    matched++;
    expect(a.colToRow[j]).toBe(i);
  });
  a.colToRow.forEach((i, j) => {
    if (i >= 0) expect(a.rowToCol[i]).toBe(j);
  });
  expect(matched).toBe(Math.min(nRows, nCols));
}

describe('linearSumAssignment', () => {
  it('matches brute force on random small matrices: square, wide and tall, min and max, with ties', () => {
    const random = seededRandom(1);
    for (let trial = 0; trial < 400; trial++) {
      const nRows = 1 + Math.floor(random() * 7);
      const nCols = 1 + Math.floor(random() * 7);
      // Every third matrix draws from a few integers so that many optima tie.
      const ties = trial % 3 === 0;
      const m = Float64Array.from({ length: nRows * nCols }, () => (ties ? Math.floor(random() * 3) : random() * 2 - 1));
      const maximize = trial % 2 === 0;
      const a = linearSumAssignment(m, nRows, nCols, { maximize });
      expectValidMatching(a, nRows, nCols);
      expect(assignmentTotal(m, nCols, a)).toBeCloseTo(bruteForceOptimum(m, nRows, nCols, maximize), 9);
    }
  });

  it('matches brute force at n = 8, square and both rectangular orientations', () => {
    const random = seededRandom(2);
    for (const [nRows, nCols] of [[8, 8], [8, 8], [5, 8], [8, 5], [8, 3], [2, 8]]) {
      const m = Float64Array.from({ length: nRows * nCols }, () => random());
      const a = linearSumAssignment(m, nRows, nCols);
      expectValidMatching(a, nRows, nCols);
      expect(assignmentTotal(m, nCols, a)).toBeCloseTo(bruteForceOptimum(m, nRows, nCols, false), 9);
    }
  });

  it('takes Float32 input directly', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 50; trial++) {
      const m32 = Float32Array.from({ length: 36 }, () => random());
      const a = linearSumAssignment(m32, 6, 6, { maximize: true });
      expect(assignmentTotal(m32, 6, a)).toBeCloseTo(bruteForceOptimum(Float64Array.from(m32), 6, 6, true), 5);
    }
  });

  it('avoids forbidden (infinite-cost) pairs and throws when they leave no complete matching', () => {
    const random = seededRandom(4);
    for (let trial = 0; trial < 100; trial++) {
      const m = Float64Array.from({ length: 25 }, () => (random() < 0.4 ? Infinity : random()));
      const optimum = bruteForceOptimum(m, 5, 5, false);
      if (optimum === Infinity) {
        expect(() => linearSumAssignment(m, 5, 5)).toThrow(/infeasible/);
      } else {
        expect(assignmentTotal(m, 5, linearSumAssignment(m, 5, 5))).toBeCloseTo(optimum, 9);
      }
    }
  });

  it('rejects NaN and a wrongly sized matrix', () => {
    expect(() => linearSumAssignment(new Float64Array([1, NaN, 0, 1]), 2, 2)).toThrow(/NaN/);
    expect(() => linearSumAssignment(new Float64Array(5), 2, 3)).toThrow(/expected 2×3/);
  });

  it('handles empty inputs', () => {
    const a = linearSumAssignment(new Float64Array(0), 0, 4);
    expect(Array.from(a.colToRow)).toEqual([-1, -1, -1, -1]);
  });

  it('recovers a planted permutation from a noisy permuted identity at n = 2048', () => {
    const n = 2048;
    const random = seededRandom(5);
    const planted = shuffled(n, random);
    // Planted entries lie in [1, 1.5), all others in [0, 0.5): every deviation from the plant loses
    // more than it gains, so the plant is the unique optimum.
    const similarity = new Float32Array(n * n);
    for (let k = 0; k < similarity.length; k++) similarity[k] = 0.5 * random();
    planted.forEach((j, i) => (similarity[i * n + j] += 1));
    const a = linearSumAssignment(similarity, n, n, { maximize: true });
    expect(Array.from(a.rowToCol)).toEqual(planted);
  });

  it('recovers a planted injection on a tall cost matrix (more rows than columns)', () => {
    const nRows = 1024;
    const nCols = 640;
    const random = seededRandom(6);
    const plantedRows = shuffled(nRows, random).slice(0, nCols); // column j ↔ row plantedRows[j]
    const cost = new Float64Array(nRows * nCols);
    for (let k = 0; k < cost.length; k++) cost[k] = 1 + random();
    plantedRows.forEach((i, j) => (cost[i * nCols + j] = random() * 0.5));
    const a = linearSumAssignment(cost, nRows, nCols);
    expect(Array.from(a.colToRow)).toEqual(plantedRows);
    expectValidMatching(a, nRows, nCols);
  });
});
