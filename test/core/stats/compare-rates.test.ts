import { describe, expect, it } from 'vitest';
import { compareRates, erfc, fisherExact, pearsonChiSquare } from '../../../src/core/stats';

/** C(n, k) by a product of exact integer ratios (no logarithms). */
function binomial(n: number, k: number): number {
  let out = 1;
  for (let i = 1; i <= k; i++) out = (out * (n - k + i)) / i;
  return out;
}

/** Two-sided Fisher p by enumerating every 2×2 table with the observed margins. */
function fisherByEnumeration(a: number, b: number, c: number, d: number): number {
  const rowA = a + b;
  const rowB = c + d;
  const successes = a + c;
  const probability = (x: number) => (binomial(rowA, x) * binomial(rowB, successes - x)) / binomial(rowA + rowB, successes);
  const observed = probability(a);
  let p = 0;
  for (let x = 0; x <= rowA; x++) {
    if (successes - x < 0 || successes - x > rowB) continue;
    if (probability(x) <= observed * (1 + 1e-7)) p += probability(x);
  }
  return p;
}

/** P(|Z| > z) by Simpson's rule on the normal density over [z, z + 12]: independent of erfc. */
function normalTwoSided(z: number): number {
  const steps = 20000;
  const h = 12 / steps;
  const density = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  let sum = density(z) + density(z + 12);
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * density(z + i * h);
  return 2 * (sum * h) / 3;
}

describe('fisherExact', () => {
  it('equals enumeration of all tables with the same margins, for every small table', () => {
    let checked = 0;
    for (let rowA = 1; rowA <= 7; rowA++)
      for (let rowB = 1; rowB <= 6; rowB++)
        for (let a = 0; a <= rowA; a++)
          for (let c = 0; c <= rowB; c++) {
            const table = { a, b: rowA - a, c, d: rowB - c };
            expect(fisherExact(table).pValue).toBeCloseTo(Math.min(1, fisherByEnumeration(a, rowA - a, c, rowB - c)), 10);
            checked++;
          }
    expect(checked).toBe(945);
  });

  it("gives Fisher's tea-tasting p (3 of 4 cups right: p = 34/70)", () => {
    expect(fisherExact({ a: 3, b: 1, c: 1, d: 3 }).pValue).toBeCloseTo(34 / 70, 12);
  });

  it('stays accurate for counts like a steering comparison', () => {
    expect(fisherExact({ a: 57, b: 843, c: 117, d: 783 }).pValue / fisherByEnumeration(57, 843, 117, 783)).toBeCloseTo(1, 8);
  });
});

describe('pearsonChiSquare', () => {
  it('is the square of the pooled two-proportion z statistic, with p = P(|Z| > |z|)', () => {
    const cases = [
      [57, 900, 117, 900],
      [3, 10, 8, 12],
      [40, 50, 30, 50],
      [1, 200, 0, 3],
    ];
    for (const [s1, n1, s2, n2] of cases) {
      const pooled = (s1 + s2) / (n1 + n2);
      const z = (s1 / n1 - s2 / n2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
      const result = pearsonChiSquare({ a: s1, b: n1 - s1, c: s2, d: n2 - s2 });
      expect(result.statistic).toBeCloseTo(z * z, 9);
      expect(result.pValue / normalTwoSided(Math.abs(z))).toBeCloseTo(1, 7);
    }
  });
});

describe('erfc', () => {
  it('matches tabulated values, including the far tail', () => {
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
      [-1, 1.8427007929497148],
    ];
    for (const [x, expected] of table) expect(erfc(x) / expected).toBeCloseTo(1, 12);
  });

  it('agrees with integration of the normal density and is continuous where its two methods meet', () => {
    for (const x of [0.1, 0.9, 1.7, 1.999, 2.001, 2.6, 4.2]) expect(erfc(x) / normalTwoSided(x * Math.SQRT2)).toBeCloseTo(1, 7);
    expect(erfc(2 - 1e-12) / erfc(2)).toBeCloseTo(1, 10);
  });
});

describe('compareRates', () => {
  it('is symmetric in the groups and in what counts as success', () => {
    const a = { successes: 13, trials: 90 };
    const b = { successes: 25, trials: 80 };
    const forward = compareRates(a, b);
    const swapped = compareRates(b, a);
    const flipped = compareRates({ successes: 77, trials: 90 }, { successes: 55, trials: 80 });
    expect(forward.difference).toBeCloseTo(13 / 90 - 25 / 80, 15);
    expect(swapped.difference).toBeCloseTo(-forward.difference, 15);
    for (const other of [swapped, flipped]) {
      expect(other.chiSquare.statistic).toBeCloseTo(forward.chiSquare.statistic, 10);
      expect(other.chiSquare.pValue).toBeCloseTo(forward.chiSquare.pValue, 12);
      expect(other.fisher.pValue).toBeCloseTo(forward.fisher.pValue, 12);
    }
    const same = compareRates(a, a);
    expect(same.chiSquare).toEqual({ statistic: 0, pValue: 1 });
    expect(same.fisher.pValue).toBeCloseTo(1, 12);
  });

  it("finds the paper's doubling (6.3% vs 13.0% of 900 trials) highly significant by both tests", () => {
    const result = compareRates({ successes: 57, trials: 900 }, { successes: 117, trials: 900 });
    expect(result.chiSquare.pValue).toBeLessThan(1e-4);
    expect(result.fisher.pValue).toBeLessThan(1e-4);
  });

  it('gives p = 1 for degenerate tables', () => {
    for (const [a, b] of [
      [{ successes: 0, trials: 0 }, { successes: 3, trials: 10 }],
      [{ successes: 0, trials: 20 }, { successes: 0, trials: 10 }],
      [{ successes: 20, trials: 20 }, { successes: 10, trials: 10 }],
    ]) {
      const result = compareRates(a, b);
      expect(result.chiSquare).toEqual({ statistic: 0, pValue: 1 });
      expect(result.fisher).toEqual({ pValue: 1 });
    }
    expect(compareRates({ successes: 0, trials: 0 }, { successes: 1, trials: 2 }).difference).toBeNaN();
  });

  it('rejects impossible counts, naming the group', () => {
    expect(() => compareRates({ successes: 5, trials: 4 }, { successes: 1, trials: 2 })).toThrow(/compareRates: a has 5 successes of 4 trials/);
    expect(() => compareRates({ successes: 1, trials: 2 }, { successes: 1.5, trials: 2 })).toThrow(/compareRates: b/);
  });
});
