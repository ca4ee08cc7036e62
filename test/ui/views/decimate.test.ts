import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../../../src/ui/views/decimate';
import { lcg } from '../../helpers/configs';

const noisy = (n: number, seed: number) => {
  const rng = lcg(seed);
  return Float64Array.from({ length: n }, (_, i) => Math.exp(-i / 800) + 0.05 * rng());
};

describe('decimateMinMax', () => {
  it('keeps every point of a short curve', () => {
    expect(Array.from(decimateMinMax([3, 1, 2], 10))).toEqual([0, 1, 2]);
  });

  it('thins a long curve to at most maxPoints strictly increasing indices, first and last included', () => {
    const ys = noisy(5000, 1);
    const kept = decimateMinMax(ys, 400);
    expect(kept.length).toBeLessThanOrEqual(400);
    expect(kept.length).toBeGreaterThan(200);
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(ys.length - 1);
    for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeGreaterThan(kept[i - 1]);
  });

  it('keeps the global extremes, and a one-point spike', () => {
    const ys = noisy(5000, 2);
    ys[3117] = 40;
    ys[1234] = -3;
    const kept = Array.from(decimateMinMax(ys, 100));
    expect(kept).toContain(3117);
    expect(kept).toContain(1234);
  });

  it('keeps every spike and dip spaced wider than two runs of points', () => {
    const ys = noisy(3000, 3);
    const maxPoints = 300;
    // ⌊(300 − 2) / 2⌋ = 149 runs of about 20 points: spikes 100 apart never share one.
    const spikes = Array.from({ length: 29 }, (_, k) => 50 + 100 * k);
    spikes.forEach((i, k) => (ys[i] = k % 2 === 0 ? 5 : -5));
    const kept = new Set(decimateMinMax(ys, maxPoints));
    for (const i of spikes) expect(kept.has(i)).toBe(true);
  });

  it('keeps a gap (a non-finite value) so the drawn line still breaks there', () => {
    const ys = noisy(2000, 4);
    ys[777] = NaN;
    const kept = Array.from(decimateMinMax(ys, 100));
    expect(kept.some((i) => Number.isNaN(ys[i]))).toBe(true);
  });
});
