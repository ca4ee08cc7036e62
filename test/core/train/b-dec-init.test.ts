// The trainer's starting b_dec against a geometric median computed here, in float64, by its own
// Weiszfeld iteration, and checked to be the minimiser by the gradient of the distance sum.
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../../src/core/train/config';
import { tensorSource } from '../../../src/core/train/source';
import { SaeTrainer } from '../../../src/core/train/trainer';
import { lcg, tinyConfig } from '../../helpers/configs';

const d = 6;
const cluster = 40;
const outliers = 8;
const n = cluster + outliers;

// Skewed: a tight cluster near 1 and a sixth of the points far off along one side, which drags the
// mean a long way and the median only a little.
const r = lcg(17);
const rows = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => (i < cluster ? 1 + (r() - 0.5) * 0.6 : 30 + 4 * j + r() * 5)));
const data = Float32Array.from(rows.flat());
const points = rows.map((_, i) => Array.from(data.subarray(i * d, (i + 1) * d))); // as float32 holds them

const dist = (a: number[], b: ArrayLike<number>) => Math.hypot(...a.map((v, j) => v - b[j]));

/** Weiszfeld from the coordinate-wise mean, iterated until it stops moving in float64. */
function weiszfeld(pts: number[][]): number[] {
  let y = pts[0].map((_, j) => pts.reduce((s, p) => s + p[j], 0) / pts.length);
  for (let it = 0; it < 10_000; it++) {
    const weights = pts.map((p) => 1 / dist(p, y));
    const total = weights.reduce((s, w) => s + w, 0);
    const next = y.map((_, j) => pts.reduce((s, p, i) => s + weights[i] * p[j], 0) / total);
    const moved = dist(next, y);
    y = next;
    if (moved < 1e-13) break;
  }
  return y;
}

/** ∇ Σ‖p − y‖ = −Σ (p − y)/‖p − y‖: zero at the geometric median (no point sits on it here). */
const gradientNorm = (pts: number[][], y: number[]) =>
  Math.hypot(...y.map((_, j) => pts.reduce((s, p) => s - (p[j] - y[j]) / dist(p, y), 0)));

async function initialBDec(bDecInit: TrainConfig['init']['bDecInit']): Promise<Float32Array> {
  // One batch is the whole data set: the first batch, whatever its order, holds every row.
  const config = tinyConfig({ d_in: d, batchSize: n, init: { bDecInit } });
  const source = tensorSource(data, d);
  const trainer = SaeTrainer.create(config, source);
  const { b_dec } = await trainer.snapshot();
  trainer.dispose();
  source.dispose();
  return b_dec;
}

describe("the trainer's starting b_dec", () => {
  it("is the first batch's geometric median, not its mean or one of its rows", async () => {
    const median = weiszfeld(points);
    expect(gradientNorm(points, median)).toBeLessThan(1e-9);
    const mean = median.map((_, j) => points.reduce((s, p) => s + p[j], 0) / n);

    const b_dec = await initialBDec('geometric-median');
    // The lab stops Weiszfeld at a relative step of 1e-6 and stores float32.
    expect(dist(median, b_dec)).toBeLessThan(1e-5);
    // The alternatives are far off: a mean or a first-row start would fail the check above.
    expect(dist(mean, b_dec)).toBeGreaterThan(5);
    expect(Math.min(...points.map((p) => dist(p, b_dec)))).toBeGreaterThan(0.05);
  });

  it("is the first batch's mean when asked for the mean", async () => {
    const mean = points[0].map((_, j) => points.reduce((s, p) => s + p[j], 0) / n);
    expect(dist(mean, await initialBDec('mean'))).toBeLessThan(1e-4);
  });
});
