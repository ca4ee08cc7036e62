import { describe, expect, it } from 'vitest';
import { matchDirections } from '../../../src/core/align';
import { dot, gaussian, seededRandom } from './helpers';

const absCos = (a: number[], b: number[]) => Math.abs(dot(a, b)) / Math.sqrt(dot(a, a) * dot(b, b));

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, at) => [...p.slice(0, at), n - 1, ...p.slice(at)]));
}

describe('matchDirections', () => {
  it('is the matching with the largest total |cos| (by brute force), with each side’s matched and best |cos|', async () => {
    const random = seededRandom(17);
    const n = 6;
    const dim = 5;
    const rows = (count: number) => Array.from({ length: count }, () => Array.from({ length: dim }, () => gaussian(random)));
    const a = rows(n);
    const b = rows(n);
    const cos = a.map((x) => b.map((y) => absCos(x, y)));
    const best = permutations(n).reduce((top, p) => (p.reduce((s, j, i) => s + cos[i][j], 0) > top.reduce((s, j, i) => s + cos[i][j], 0) ? p : top));

    const m = await matchDirections(Float32Array.from(a.flat()), n, Float32Array.from(b.flat()), n, dim);
    expect(Array.from(m.rowToCol)).toEqual(best);
    best.forEach((j, i) => {
      expect(m.colToRow[j]).toBe(i);
      expect(m.rowMatched[i]).toBeCloseTo(cos[i][j], 5);
      expect(m.colMatched[j]).toBeCloseTo(cos[i][j], 5);
      expect(m.rowBestCosine[i]).toBeCloseTo(Math.max(...cos[i]), 5);
      expect(cos[i][m.rowBest[i]]).toBeCloseTo(Math.max(...cos[i]), 5);
      const column = cos.map((r) => r[j]);
      expect(cos[m.colBest[j]][j]).toBeCloseTo(Math.max(...column), 5);
    });
  });
});
