import { describe, expect, it } from 'vitest';
import { meanRowNorm, normaliseRows } from '../../../src/core/shards/normalise';

describe('row scale', () => {
  it('scales rows to mean squared norm d_model, and measures their mean length', () => {
    // Rows of known lengths: (3, 4) is 5 long, (0, 1) is 1, (6, 8) is 10.
    const rows = Float32Array.from([3, 4, 0, 1, 6, 8]);
    expect(meanRowNorm(rows, 2)).toBeCloseTo((5 + 1 + 10) / 3, 6);
    const scale = normaliseRows(rows, 2);
    expect(scale).toBeCloseTo(Math.sqrt(2 / ((25 + 1 + 100) / 3)), 6);
    expect((rows[0] ** 2 + rows[1] ** 2 + rows[2] ** 2 + rows[3] ** 2 + rows[4] ** 2 + rows[5] ** 2) / 3).toBeCloseTo(2, 5);
    expect(meanRowNorm(rows, 2)).toBeCloseTo((scale * 16) / 3, 5);
    expect(() => normaliseRows(new Float32Array(4), 2)).toThrow(/only zero rows/);
  });
});
