import { describe, expect, it } from 'vitest';
import { featureOrder } from '../../../src/ui/views/feature-order';

const isPermutation = (order: Int32Array, n: number) => [...order].sort((a, b) => a - b).every((v, i) => v === i) && order.length === n;

describe('featureOrder', () => {
  const stability = Float32Array.from([0.2, 0.9, 0.5, 0.9, 0.1]);
  const frequency = Float32Array.from([0, 0.3, 0.01, 0.3, 0.02]);
  const norm = Float32Array.from([1, 3, 2, 0.5, 4]);

  it('puts index order first to last', () => {
    expect([...featureOrder(5, 'index', { stability, frequency, norm })]).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([
    ['stability', stability],
    ['frequency', frequency],
    ['norm', norm],
  ] as const)('sorts by %s descending, ties in index order', (key, values) => {
    const order = featureOrder(5, key, { stability, frequency, norm });
    expect(isPermutation(order, 5)).toBe(true);
    for (let k = 1; k < order.length; k++) {
      const [prev, next] = [values[order[k - 1]], values[order[k]]];
      expect(prev).toBeGreaterThanOrEqual(next);
      if (prev === next) expect(order[k - 1]).toBeLessThan(order[k]);
    }
  });

  it('breaks the tie between equal values by index (features 1 and 3 share 0.9)', () => {
    expect([...featureOrder(5, 'stability', { stability })].slice(0, 2)).toEqual([1, 3]);
  });

  it('puts NaN values last, in index order', () => {
    const values = Float32Array.from([NaN, 0.5, NaN, -1, 2]);
    expect([...featureOrder(5, 'norm', { norm: values })]).toEqual([4, 1, 3, 0, 2]);
  });

  it('falls back to index order when the statistic is missing', () => {
    expect([...featureOrder(4, 'stability', {})]).toEqual([0, 1, 2, 3]);
  });

  it('is stable over many equal values', () => {
    const values = new Float32Array(1000).fill(0.5);
    expect([...featureOrder(1000, 'frequency', { frequency: values })]).toEqual([...Array(1000).keys()]);
  });
});
