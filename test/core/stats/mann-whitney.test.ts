import { describe, expect, it } from 'vitest';
import { compareFeatureRates, compareRates, featureSuccesses, mannWhitneyU } from '../../../src/core/stats';

// [a, b, U of a, two-sided p], produced once with SciPy 1.17.1:
//   scipy.stats.mannwhitneyu(a, b, alternative='two-sided', method='asymptotic', use_continuity=True)
const tenths = (ks: number[]) => ks.map((k) => k / 10);
const SCIPY: [string, number[], number[], number, number][] = [
  ['no ties', [1.2, 3.4, 5.6, 7.8], [2.1, 4.3, 6.5, 8.7, 9.9], 6.0, 0.3912672792826394],
  ['ties', [0.1, 0.4, 0.4, 0.7, 1.0, 0, 0, 0.2], [0, 0, 0, 0.1, 0.1, 0.3, 0, 0.5, 0], 52.0, 0.12100472602750492],
  [
    'per-feature steering rates',
    tenths([0, 0, 1, 0, 3, 0, 0, 2, 0, 5, 0, 1, 0, 0, 0, 4, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 6, 0, 1]),
    tenths([0, 2, 1, 0, 3, 5, 0, 2, 0, 7, 0, 1, 4, 0, 3, 4, 0, 9, 1, 0, 2, 0, 2, 0, 8, 0, 1, 6, 0, 1, 0, 3]),
    337.5,
    0.02956106652427694,
  ],
];

/** U of a by counting pairs: a_i > b_j counts 1, a tie ½. */
function pairCountU(a: number[], b: number[]): number {
  let u = 0;
  for (const x of a) for (const y of b) u += x > y ? 1 : x === y ? 0.5 : 0;
  return u;
}

/** Every way of splitting `pooled` into groups of sizes na and the rest, as index subsets. */
function* splits(n: number, na: number, start = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === na) yield chosen;
  else for (let i = start; i <= n - (na - chosen.length); i++) yield* splits(n, na, i + 1, [...chosen, i]);
}

describe('mannWhitneyU', () => {
  it.each(SCIPY)('matches SciPy: %s', (_, a, b, u, p) => {
    const result = mannWhitneyU(a, b);
    expect(result.u).toBe(u);
    expect(result.pValue / p).toBeCloseTo(1, 10);
    expect(result.superiority).toBeCloseTo(u / (a.length * b.length), 12);
  });

  it("has U by pair counting, and the mean and tie-corrected variance of U over every relabelling of the pooled values", () => {
    const a = [0, 0.1, 0.1, 0.3, 0.3, 1];
    const b = [0, 0, 0.1, 0.2, 0.3, 0.3, 0.5];
    const pooled = [...a, ...b];
    const result = mannWhitneyU(a, b);
    expect(result.u).toBe(pairCountU(a, b));
    const us: number[] = [];
    for (const inA of splits(pooled.length, a.length)) {
      const set = new Set(inA);
      us.push(pairCountU(inA.map((i) => pooled[i]), pooled.filter((_, i) => !set.has(i))));
    }
    expect(us.length).toBe(1716); // C(13, 6)
    const mean = us.reduce((s, u) => s + u, 0) / us.length;
    const variance = us.reduce((s, u) => s + (u - mean) ** 2, 0) / us.length;
    expect(result.mean).toBeCloseTo(mean, 10);
    expect(result.variance).toBeCloseTo(variance, 10);
  });

  it('gives p = 1 when every value is tied, and refuses an empty sample', () => {
    expect(mannWhitneyU([0.2, 0.2], [0.2, 0.2, 0.2]).pValue).toBe(1);
    expect(() => mannWhitneyU([], [1])).toThrow(/both samples need values/);
  });
});

describe('per-feature success rates', () => {
  it('groups trials by feature', () => {
    const trials = [
      { feature: 7, success: true },
      { feature: 3, success: false },
      { feature: 7, success: false },
      { feature: 7, success: true },
    ];
    expect(featureSuccesses(trials)).toEqual([
      { feature: 7, successes: 2, trials: 3 },
      { feature: 3, successes: 0, trials: 1 },
    ]);
  });

  it('does not count a difference carried by two features as strong evidence, as pooled trials do', () => {
    // A: two features always succeed, eight never (20 of 100 trials); B: five succeed once in ten (5 of 100).
    const a = [...[1, 2].map((feature) => ({ feature, successes: 10, trials: 10 })), ...[3, 4, 5, 6, 7, 8, 9, 10].map((feature) => ({ feature, successes: 0, trials: 10 }))];
    const b = Array.from({ length: 10 }, (_, i) => ({ feature: i, successes: i < 5 ? 1 : 0, trials: 10 }));
    const pooled = compareRates({ successes: 20, trials: 100 }, { successes: 5, trials: 100 });
    expect(pooled.fisher.pValue).toBeLessThan(0.01);
    const perFeature = compareFeatureRates(a, b)!;
    expect(perFeature.meanRate[0]).toBeCloseTo(0.2, 12);
    expect(perFeature.meanRate[1]).toBeCloseTo(0.05, 12);
    expect(perFeature.features).toEqual([10, 10]);
    // SciPy: mannwhitneyu([1, 1] + [0] * 8, [0.1] * 5 + [0] * 5, method='asymptotic') gives U 40, p 0.39424141930325396.
    expect(perFeature.test.u).toBe(40);
    expect(perFeature.test.pValue / 0.39424141930325396).toBeCloseTo(1, 10);
  });

  it('has nothing to compare when a side has no feature with trials', () => {
    expect(compareFeatureRates([], [{ feature: 0, successes: 1, trials: 2 }])).toBeNull();
    expect(compareFeatureRates([{ feature: 0, successes: 0, trials: 0 }], [{ feature: 0, successes: 1, trials: 2 }])).toBeNull();
  });
});
