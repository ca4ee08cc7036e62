import { describe, expect, it } from 'vitest';
import { permuteSquareInPlace } from '../../../src/core/analysis/permute-square';
import { seededRandom, shuffled } from '../align/helpers';

/** The reordering as a copy: out[r·n + c] = in[rowOrder[r]·n + colOrder[c]]. */
function permutedCopy(values: Float32Array, n: number, rowOrder: ArrayLike<number>, colOrder: ArrayLike<number>): Float32Array {
  const out = new Float32Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) out[r * n + c] = values[rowOrder[r] * n + colOrder[c]];
  return out;
}

function check(n: number, rowOrder: number[], colOrder: number[], seed = n) {
  const random = seededRandom(seed);
  const values = Float32Array.from({ length: n * n }, () => random());
  const expected = permutedCopy(values, n, rowOrder, colOrder);
  permuteSquareInPlace(values, n, rowOrder, colOrder);
  expect(Array.from(values)).toEqual(Array.from(expected));
}

const identity = (n: number) => Array.from({ length: n }, (_, i) => i);
/** One cycle through every index: 0 → 1 → … → n−1 → 0. */
const longCycle = (n: number) => Array.from({ length: n }, (_, i) => (i + 1) % n);

describe('permuteSquareInPlace', () => {
  it.each([1, 2, 7, 64, 131])('matches the brute-force copy on random permutations (n = %i)', (n) => {
    const random = seededRandom(1000 + n);
    for (let trial = 0; trial < 4; trial++) check(n, shuffled(n, random), shuffled(n, random), n * 10 + trial);
  });

  it('leaves the matrix alone under the identity', () => {
    check(33, identity(33), identity(33));
  });

  it('follows a single cycle through every row, either way round, with columns reordered or not', () => {
    const n = 50;
    const backwards = longCycle(n).map((_, i) => (i + n - 1) % n);
    check(n, longCycle(n), identity(n));
    check(n, backwards, longCycle(n));
    check(n, identity(n), backwards);
  });

  it('handles fixed points and many short cycles together', () => {
    // Swaps (0 1) (2 3), a 3-cycle (4 5 6), fixed 7 and 8.
    check(9, [1, 0, 3, 2, 5, 6, 4, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('refuses orders that are not permutations, rather than loop or read outside the matrix', () => {
    const values = new Float32Array(9);
    expect(() => permuteSquareInPlace(values, 3, [1, 1, 2], [0, 1, 2])).toThrow(/rowOrder is not a permutation/);
    expect(() => permuteSquareInPlace(values, 3, [0, 1, 2], [0, 1, 3])).toThrow(/colOrder is not a permutation/);
    expect(() => permuteSquareInPlace(values, 3, [0, 1], [0, 1, 2])).toThrow(/rowOrder has 2 entries/);
    expect(() => permuteSquareInPlace(values, 2, [0, 1], [0, 1])).toThrow(/2×2 values/);
  });
});
