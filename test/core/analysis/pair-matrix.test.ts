import { describe, expect, it } from 'vitest';
import { orderedPairMatrix } from '../../../src/core/analysis';
import type { SaeWeights } from '../../../src/core/sae/weights';
import { randomSae, seededRandom } from '../align/helpers';

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
});
