import { describe, expect, it } from 'vitest';
import { transpose } from '../../src/core/host-matrix';

describe('transpose on the host', () => {
  it('puts entry (r, c) at (c, r) for shapes around its 32-wide tiles', () => {
    for (const [rows, cols] of [[1, 1], [1, 7], [31, 33], [64, 5], [70, 97]]) {
      const m = Float32Array.from({ length: rows * cols }, (_, k) => k + 0.5);
      const t = transpose(m, rows, cols);
      expect(t.length).toBe(rows * cols);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expect(t[c * rows + r]).toBe(m[r * cols + c]);
      expect(transpose(t, cols, rows)).toEqual(m);
    }
  });
});
