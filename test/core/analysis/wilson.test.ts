import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../src/core/analysis/wilson';

// [successes, trials, low, high], produced once with SciPy 1.17.1:
//   from scipy.stats import binomtest
//   ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method='wilson')
// SciPy computes the Wilson bounds in float64 on its own (z from its normal quantile).
const SCIPY_WILSON_95: [number, number, number, number][] = [
  [0, 1, 0.0, 0.7934506856227626],
  [1, 1, 0.20654931437723745, 1.0],
  [0, 10, 0.0, 0.27753279986288926],
  [10, 10, 0.7224672001371109, 1.0],
  [1, 10, 0.017876213095072896, 0.4041500267952385],
  [3, 7, 0.1582198552514697, 0.7495416354723428],
  [97, 100, 0.9154806357094724, 0.9897454759759611],
  [5, 5, 0.5655175352168251, 1.0],
  [0, 50, 0.0, 0.07134759913335872],
  [50, 50, 0.9286524008666412, 1.0],
  [6, 95, 0.029264888354847036, 0.1310065100006925],
  [13, 100, 0.07757167427240512, 0.20980351440076428],
  [57, 900, 0.04920259557134797, 0.08117586590623264],
  [117, 900, 0.10959155062412476, 0.15355355795611528],
  [250, 500, 0.4563412653024843, 0.5436587346975157],
  [1, 1000, 0.00017654637062607809, 0.0056425585979579355],
];

describe('wilsonInterval', () => {
  it.each(SCIPY_WILSON_95)('%i of %i matches SciPy', (k, n, low, high) => {
    const [lo, hi] = wilsonInterval(k, n);
    expect(Math.abs(lo - low)).toBeLessThan(1e-12);
    expect(Math.abs(hi - high)).toBeLessThan(1e-12);
  });

  it('is asymmetric about the rate away from one half, leaning toward it', () => {
    const [lo, hi] = wilsonInterval(1, 10);
    expect(hi - 0.1).toBeGreaterThan(2 * (0.1 - lo));
  });

  it('says nothing without trials', () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});
