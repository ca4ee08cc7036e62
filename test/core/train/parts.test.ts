import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/core/tf';
import { geometricMedian } from '../../../src/core/sae/geometric-median';
import { Adam } from '../../../src/core/train/adam';
import { learningRate } from '../../../src/core/train/schedule';
import { removeParallelComponent, unitRows } from '../../../src/core/train/unit-norm';
import { Rng } from '../../../src/core/rng';
import { mnistPaperConfig } from '../../../src/core/presets';
import { lcg } from '../../helpers/configs';

const distanceSum = (pts: Float32Array, n: number, d: number, c: ArrayLike<number>) => {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (pts[i * d + j] - c[j]) ** 2;
    total += Math.sqrt(s);
  }
  return total;
};

describe('geometric median', () => {
  it('minimises the sum of distances: no point of a fine grid around it does better', () => {
    const r = lcg(3);
    const n = 40;
    const pts = Float32Array.from({ length: n * 2 }, () => r() * 4 - 2);
    const m = geometricMedian(pts, n, 2);
    const best = distanceSum(pts, n, 2, m);
    for (let dx = -0.2; dx <= 0.2; dx += 0.01)
      for (let dy = -0.2; dy <= 0.2; dy += 0.01) expect(distanceSum(pts, n, 2, [m[0] + dx, m[1] + dy])).toBeGreaterThanOrEqual(best - 1e-4);
  });

  it('is the middle value in one dimension and ignores an outlier the mean follows', () => {
    const pts = Float32Array.from([1, 2, 3, 4, 1000]);
    expect(geometricMedian(pts, 5, 1)[0]).toBeCloseTo(3, 3);
  });
});

describe('Adam', () => {
  it('matches an independent implementation of the PyTorch update over several steps', () => {
    const p = tf.variable(tf.tensor1d([0.5, -1, 2]));
    const adam = new Adam([p], 0.9, 0.999, 1e-8);
    const ref = [0.5, -1, 2];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    for (let t = 1; t <= 5; t++) {
      const g = ref.map((x) => 2 * x + 0.3); // gradient of x² + 0.3x
      const lr = 0.1 / t;
      adam.apply([tf.tensor1d(g)], lr);
      for (let i = 0; i < 3; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * g[i] ** 2;
        ref[i] -= (lr * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
      }
    }
    const got = p.dataSync();
    ref.forEach((x, i) => expect(got[i]).toBeCloseTo(x, 5));
    adam.dispose();
    p.dispose();
  });
});

describe('learning-rate schedule', () => {
  it('warms up linearly, holds, and decays to zero from the decay fraction', () => {
    const optim = { ...mnistPaperConfig().optim, lr: 1, warmupSteps: 10, decayStartFrac: 0.8 };
    expect(learningRate(optim, 0, 100)).toBeCloseTo(0.1);
    expect(learningRate(optim, 9, 100)).toBeCloseTo(1);
    expect(learningRate(optim, 50, 100)).toBe(1);
    expect(learningRate(optim, 90, 100)).toBeCloseTo(0.5);
    expect(learningRate(optim, 99, 100)).toBeCloseTo(0.05);
    expect(learningRate({ ...optim, warmupSteps: 0, decayStartFrac: 1 }, 99, 100)).toBe(1);
  });
});

describe('unit-norm decoder constraint', () => {
  it('removes exactly the gradient component along each unit row', () => {
    const r = lcg(9);
    const W = unitRows(tf.tensor2d(Array.from({ length: 15 }, () => r() - 0.5), [5, 3]));
    const g = tf.tensor2d(Array.from({ length: 15 }, () => r() - 0.5), [5, 3]);
    const projected = removeParallelComponent(g, W);
    const [w, gv, pv] = [W.arraySync(), g.arraySync(), projected.arraySync()];
    for (let i = 0; i < 5; i++) {
      const along = gv[i].reduce((s, x, j) => s + x * w[i][j], 0);
      expect(pv[i].reduce((s, x, j) => s + x * w[i][j], 0)).toBeCloseTo(0, 6);
      // what was removed is parallel to the row, with the right length
      pv[i].forEach((x, j) => expect(gv[i][j] - x).toBeCloseTo(along * w[i][j], 6));
    }
    tf.dispose([W, g, projected]);
  });
});

describe('Rng', () => {
  it('is reproducible by seed and draws permutations', () => {
    expect(new Rng(4).permutation(50)).toEqual(new Rng(4).permutation(50));
    expect(new Rng(4).permutation(50)).not.toEqual(new Rng(5).permutation(50));
    expect(Array.from(new Rng(1).permutation(100)).sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
    const r = new Rng(2);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeCloseTo(1, 1);
  });
});
