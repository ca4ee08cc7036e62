import { describe, expect, it } from 'vitest';
import { decoderCosine, linearSumAssignment, SPARSE_ASSIGNMENT_MIN } from '../../../src/core/align';
import { orderedPairMatrix } from '../../../src/core/analysis';
import type { SaeWeights } from '../../../src/core/sae/weights';
import { gaussian, randomSae, seededRandom, shuffled } from '../align/helpers';

/** |cos| of decoder rows i of a and j of b, in float64. */
function absCos(a: SaeWeights, i: number, b: SaeWeights, j: number): number {
  const d = a.d_in;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < d; k++) {
    const x = a.W_dec[i * d + k];
    const y = b.W_dec[j * d + k];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return Math.abs(ab) / Math.sqrt(aa * bb);
}

function* permutations(n: number, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === n) yield prefix;
  for (let j = 0; j < n; j++) if (!prefix.includes(j)) yield* permutations(n, [...prefix, j]);
}

describe('orderedPairMatrix', () => {
  it.each([3, 5, 6])('puts the optimal matching on the diagonal, best first (n = %i, checked by brute force)', async (n) => {
    const random = seededRandom(n);
    const a = randomSae(4, n, random);
    const b = randomSae(4, n, random);
    const m = await orderedPairMatrix(a, b);

    let best = -Infinity;
    for (const p of permutations(n)) best = Math.max(best, p.reduce((s, j, i) => s + absCos(a, i, b, j), 0));
    const trace = Array.from({ length: n }, (_, r) => m.values[r * n + r]).reduce((s, v) => s + v, 0);
    expect(trace).toBeCloseTo(best, 4);

    expect([...m.rowOrder].sort()).toEqual(Array.from({ length: n }, (_, i) => i));
    expect([...m.colOrder].sort()).toEqual(Array.from({ length: n }, (_, i) => i));
    for (let r = 0; r < n; r++) {
      expect(m.matched[r]).toBeCloseTo(m.values[r * n + r], 6);
      if (r > 0) expect(m.matched[r]).toBeLessThanOrEqual(m.matched[r - 1]);
      for (let c = 0; c < n; c++) expect(m.values[r * n + c]).toBeCloseTo(absCos(a, m.rowOrder[r], b, m.colOrder[c]), 5);
    }
  });

  it('recovers a known permutation of the same features as a diagonal of ones', async () => {
    const random = seededRandom(11);
    const a = randomSae(8, 6, random);
    const shuffle = [4, 0, 5, 2, 1, 3]; // b's feature shuffle[i] is a's feature i, sign flipped for some
    const W_dec = new Float32Array(a.W_dec.length);
    shuffle.forEach((j, i) => W_dec.set(a.W_dec.subarray(i * 8, (i + 1) * 8).map((v) => (i % 2 ? -v : 2 * v)), j * 8));
    const m = await orderedPairMatrix(a, { ...a, W_dec });
    m.rowOrder.forEach((i, r) => expect(m.colOrder[r]).toBe(shuffle[i]));
    m.matched.forEach((v) => expect(v).toBeCloseTo(1, 5));
  });

  it('at the sparse solver\'s sizes matches the dense optimum and holds exactly the reordered similarities', async () => {
    // Half of B's features are A's, shuffled and nudged (as two trained seeds share features), half are new.
    const n = SPARSE_ASSIGNMENT_MIN;
    const d = 32;
    const random = seededRandom(7);
    const a = randomSae(d, n, random);
    const W_dec = Float32Array.from({ length: n * d }, () => gaussian(random));
    shuffled(n, random)
      .slice(0, n / 2)
      .forEach((i, j) => W_dec.set(a.W_dec.subarray(i * d, (i + 1) * d).map((v) => v + 0.1 * gaussian(random)), j * d));
    const b = { ...a, W_dec };

    const similarity = (await decoderCosine(a, b)).values;
    const dense = linearSumAssignment(similarity, n, n, { maximize: true });
    const denseTotal = dense.rowToCol.reduce((sum, j, i) => sum + similarity[i * n + j], 0);

    const m = await orderedPairMatrix(a, b);
    expect(m.matched.reduce((sum, v) => sum + v, 0)).toBeCloseTo(denseTotal, 3);
    expect(new Set(m.rowOrder).size).toBe(n);
    expect(new Set(m.colOrder).size).toBe(n);
    let wrong = 0;
    for (let r = 0; r < n; r++) {
      if (m.matched[r] !== similarity[m.rowOrder[r] * n + m.colOrder[r]] || (r > 0 && m.matched[r] > m.matched[r - 1])) wrong++;
      for (let c = 0; c < n; c++) if (m.values[r * n + c] !== similarity[m.rowOrder[r] * n + m.colOrder[c]]) wrong++;
    }
    expect(wrong).toBe(0);
  });
});
