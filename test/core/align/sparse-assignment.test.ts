import { describe, expect, it } from 'vitest';
import { assignmentTotal, linearSumAssignment, type Assignment } from '../../../src/core/align/assignment';
import { decoderCosine, encoderCosine } from '../../../src/core/align/cosine';
import { alignPair, optimalMatching, SPARSE_ASSIGNMENT_MIN } from '../../../src/core/align/pair';
import { sparseLinearSumAssignment } from '../../../src/core/align/sparse-assignment';
import { gaussian, saeFromFeatures, seededRandom, shuffled } from './helpers';

function expectPermutation(a: Assignment, n: number): void {
  expect(a.rowToCol.length).toBe(n);
  expect(a.colToRow.length).toBe(n);
  const seen = new Uint8Array(n);
  a.rowToCol.forEach((j, i) => {
    expect(j).toBeGreaterThanOrEqual(0);
    expect(seen[j]).toBe(0);
    seen[j] = 1;
    expect(a.colToRow[j]).toBe(i);
  });
}

/** |cos| between n unit vectors of A and n of B in `dim` dimensions, in float64 (an independent build). */
function absCosine(a: Float64Array[], b: Float64Array[]): Float32Array {
  const n = a.length;
  const unit = (x: Float64Array) => {
    const norm = Math.hypot(...x);
    return x.map((t) => t / norm);
  };
  const ua = a.map(unit);
  const ub = b.map(unit);
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < ua[i].length; k++) s += ua[i][k] * ub[j][k];
      out[i * n + j] = Math.abs(s);
    }
  }
  return out;
}

/**
 * Two SAE-like feature sets: a fraction `shared` of B's features are A's (permuted) plus noise of
 * relative size `noise`, the rest are fresh random directions.
 */
function saeLikeSimilarity(n: number, dim: number, shared: number, noise: number, random: () => number): Float32Array {
  const vec = () => Float64Array.from({ length: dim }, () => gaussian(random));
  const a = Array.from({ length: n }, vec);
  const order = shuffled(n, random);
  const b = new Array<Float64Array>(n);
  order.forEach((target, f) => {
    const copy = f < shared * n;
    // |cos| ignores the sign, so a shared feature may come back flipped.
    const flip = random() < 0.5 ? -1 : 1;
    b[target] = copy ? a[f].map((x) => flip * (x + noise * gaussian(random))) : vec();
  });
  return absCosine(a, b);
}

/** Dense solver's total vs the sparse one's, and both totals against the certificate's dual bound. */
function expectSameOptimum(m: Float32Array | Float64Array, n: number, maximize: boolean, k?: number) {
  const dense = linearSumAssignment(m, n, n, { maximize });
  const sparse = sparseLinearSumAssignment(m, n, n, { maximize, k });
  expectPermutation(sparse, n);
  const denseTotal = assignmentTotal(m, n, dense);
  const sparseTotal = assignmentTotal(m, n, sparse);
  expect(Math.abs(sparseTotal - denseTotal)).toBeLessThan(1e-9 * Math.max(1, Math.abs(denseTotal)));
  // The certified duals' total equals the matching's (strong duality), an independent check.
  expect(Math.abs(sparse.stats.dualTotal - sparseTotal)).toBeLessThan(1e-8 * Math.max(1, Math.abs(sparseTotal)));
  return sparse.stats;
}

describe('sparseLinearSumAssignment', () => {
  it('equals the dense optimum on random matrices, minimising and maximising, several k', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 120; trial++) {
      const n = 1 + Math.floor(random() * 60);
      const m = Float64Array.from({ length: n * n }, () => random() * 2 - 1);
      const k = 1 + (trial % 8);
      const stats = expectSameOptimum(m, n, trial % 2 === 0, k);
      expect(stats.sparse).toBe(true);
    }
  });

  it('equals the dense optimum on SAE-like |cos| matrices (shared features with noise, the rest random)', () => {
    const random = seededRandom(12);
    for (const [n, shared, noise] of [[200, 0.5, 0.3], [300, 0.3, 1], [256, 0.8, 0.1], [150, 0, 0], [220, 1, 2]] as const) {
      const m = saeLikeSimilarity(n, 24, shared, noise, random);
      expectSameOptimum(m, n, true);
      expectSameOptimum(m, n, true, 2);
    }
  });

  it('needs the certificate when the top-k candidates miss the optimum, and then adds pairs', () => {
    const random = seededRandom(13);
    let certified = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 4 + Math.floor(random() * 20);
      const m = Float64Array.from({ length: n * n }, () => random());
      const stats = expectSameOptimum(m, n, true, 1);
      if (stats.addedByCertificate > 0) {
        expect(stats.rounds).toBeGreaterThan(1);
        certified++;
      }
    }
    // Top-1 candidates miss the optimum often enough on random matrices for this to be a real test.
    expect(certified).toBeGreaterThan(10);
  });

  it('adds a pair that is in no row top-k and no column top-k when the optimum needs it', () => {
    // k = 1. Row tops: r0→c0, r1→c0, r2→c1; column tops: c0→r1, c1→r0, c2→r1. The candidates' best
    // matching is r0c0 + r1c2 + r2c1 = 19.9, but the optimum r0c1 + r1c0 + r2c2 = 20 needs r2c2,
    // which is no row's and no column's top 1: only the certificate can bring it in.
    const m = Float64Array.from([
      [9, 8, 0],
      [9.5, 0, 3],
      [0, 7.9, 2.5],
    ].flat());
    const a = sparseLinearSumAssignment(m, 3, 3, { maximize: true, k: 1 });
    expect(Array.from(a.rowToCol)).toEqual([1, 0, 2]);
    expect(a.stats.initialCandidates).toBe(5);
    expect(a.stats.addedByCertificate).toBeGreaterThan(0);
    expect(a.stats.rounds).toBeGreaterThan(1);
    expectSameOptimum(m, 3, true, 1);
  });

  it('falls back to dense rows when the candidates admit no perfect matching', () => {
    // A few "hub" columns are every row's top-k, and the largest rows are every column's top-k, so
    // the other rows reach only the hubs: no perfect matching among the candidates.
    const n = 40;
    const random = seededRandom(14);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = (j < 2 ? 10 : 0) + (i < 2 ? 5 : 0) + random();
    const stats = expectSameOptimum(m, n, true, 2);
    expect(stats.denseRows).toBeGreaterThan(0);
  });

  it('recovers a planted permutation and handles float32 input at n = 1000', () => {
    const n = 1000;
    const random = seededRandom(15);
    const planted = shuffled(n, random);
    const s = new Float32Array(n * n);
    for (let t = 0; t < s.length; t++) s[t] = 0.5 * random();
    planted.forEach((j, i) => (s[i * n + j] += 1));
    const a = sparseLinearSumAssignment(s, n, n, { maximize: true });
    expect(Array.from(a.rowToCol)).toEqual(planted);
    expect(a.stats.rounds).toBe(1);
  });

  it('handles n = 1, ties, zero rows and all-equal matrices', () => {
    expect(Array.from(sparseLinearSumAssignment(new Float32Array([0.3]), 1, 1, { maximize: true }).rowToCol)).toEqual([0]);
    expectSameOptimum(new Float64Array(25), 5, true); // all zero: every permutation is optimal
    expectSameOptimum(new Float64Array(49).fill(0.5), 7, false);
    const random = seededRandom(16);
    // Few distinct values: many tied optima; zero rows among them.
    for (let trial = 0; trial < 60; trial++) {
      const n = 2 + Math.floor(random() * 12);
      const m = Float64Array.from({ length: n * n }, () => Math.floor(random() * 3));
      for (let i = 0; i < n; i += 3) m.fill(0, i * n, (i + 1) * n);
      expectSameOptimum(m, n, trial % 2 === 0, 1 + (trial % 3));
    }
  });

  it('sends rectangular and forbidden-entry inputs to the dense solver and rejects NaN', () => {
    const wide = Float64Array.from({ length: 12 }, (_, t) => (t * 7) % 5);
    const a = sparseLinearSumAssignment(wide, 3, 4, { maximize: true });
    expect(a.stats.sparse).toBe(false);
    expect(assignmentTotal(wide, 4, a)).toBe(assignmentTotal(wide, 4, linearSumAssignment(wide, 3, 4, { maximize: true })));
    const forbidden = Float64Array.from([1, Infinity, 2, 3]);
    expect(sparseLinearSumAssignment(forbidden, 2, 2).stats.sparse).toBe(false);
    expect(() => sparseLinearSumAssignment(new Float64Array([1, NaN, 0, 1]), 2, 2)).toThrow(/NaN/);
    expect(() => sparseLinearSumAssignment(new Float64Array(5), 2, 2)).toThrow(/expected 2×2/);
  });
});

describe('alignPair with the sparse solver', () => {
  it('uses it from SPARSE_ASSIGNMENT_MIN features and gets the dense optimum for both matchings', async () => {
    const n = SPARSE_ASSIGNMENT_MIN + 44;
    const dIn = 24;
    const random = seededRandom(17);
    const vec = () => Float64Array.from({ length: dIn }, () => gaussian(random));
    const decA = Array.from({ length: n }, vec);
    const encA = decA.map((d) => d.map((x) => x + 0.5 * gaussian(random)));
    const order = shuffled(n, random);
    const decB = new Array<Float64Array>(n);
    const encB = new Array<Float64Array>(n);
    order.forEach((target, f) => {
      const shared = f < n / 2;
      decB[target] = shared ? decA[f].map((x) => x + 0.4 * gaussian(random)) : vec();
      encB[target] = shared ? encA[f].map((x) => x + 0.4 * gaussian(random)) : vec();
    });
    const a = saeFromFeatures(decA, encA);
    const b = saeFromFeatures(decB, encB);
    const pair = await alignPair(a, b);
    for (const [s, matched] of [[await decoderCosine(a, b), pair.decoderMatched], [await encoderCosine(a, b), pair.encoderMatched]] as const) {
      const dense = assignmentTotal(s.values, n, linearSumAssignment(s.values, n, n, { maximize: true }));
      const total = matched.reduce((sum, x) => sum + x, 0);
      expect(Math.abs(total - dense)).toBeLessThan(1e-9 * dense);
      expect(assignmentTotal(s.values, n, optimalMatching(s))).toBeCloseTo(dense, 9);
    }
    expect(pair.metrics.sharedCount).toBeGreaterThan(0);
  });
});
