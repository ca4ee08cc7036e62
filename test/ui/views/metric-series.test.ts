import { describe, expect, it } from 'vitest';
import type { StepMetrics } from '../../../src/core/train/metrics';
import { curveExtent, curveLines, METRICS, seedsShown, type CurveRun } from '../../../src/ui/views/metric-series';

function step(n: number, overrides: Partial<StepMetrics> = {}): StepMetrics {
  return {
    step: n,
    epoch: n / 100,
    lr: 1e-3,
    loss: 1 / n,
    mse: 0.5 / n,
    fvu: 0.3,
    l0: 20 + n,
    deadFrac: 0,
    encNorm: 1,
    decNorm: 1,
    terms: { mse: 0.5 / n, sparsity: 0.1, penalty: 0 },
    ...overrides,
  };
}

const run = (label: string, seeds: number[], steps: number): CurveRun => ({
  label,
  color: label === 'A' ? 'red' : 'blue',
  perSeed: seeds.map((seed) => ({ seed, metrics: Array.from({ length: steps }, (_, i) => step(i + 1)) })),
});

describe('METRICS', () => {
  it('reads named loss terms from StepMetrics.terms, and a missing term as a gap (NaN)', () => {
    const m = step(4);
    expect(METRICS.sparsity.read(m)).toBe(m.terms.sparsity);
    expect(METRICS.penalty.read(m)).toBe(m.terms.penalty);
    expect(METRICS.auxk.read(m)).toBeNaN();
    expect(METRICS.l0.read(m)).toBe(m.l0);
  });

  it('offers a log axis only for loss-like metrics', () => {
    expect(METRICS.loss.lossLike).toBe(true);
    expect(METRICS.l0.lossLike).toBe(false);
    expect(METRICS.deadFrac.lossLike).toBe(false);
  });
});

describe('curveLines', () => {
  const runs = [run('A', [0, 1], 50), run('B', [1, 2], 50)];

  it('gives one line per run and seed, with the run’s colour and a seed rank shared across runs', () => {
    const lines = curveLines(runs, 'loss', 1000, false);
    expect(lines.map((l) => [l.runIndex, l.seed, l.color])).toEqual([
      [0, 0, 'red'],
      [0, 1, 'red'],
      [1, 1, 'blue'],
      [1, 2, 'blue'],
    ]);
    expect(seedsShown(runs)).toEqual([0, 1, 2]);
    const rankOf = (seed: number) => new Set(lines.filter((l) => l.seed === seed).map((l) => l.seedRank));
    expect([...rankOf(1)]).toEqual([1]);
  });

  it('pairs each value with its step', () => {
    const [line] = curveLines([run('A', [0], 10)], 'mse', 1000, false);
    expect(Array.from(line.xs)).toEqual([...Array(10).keys()].map((i) => i + 1));
    line.xs.forEach((x, i) => expect(line.ys[i]).toBeCloseTo(0.5 / x));
  });

  it('turns values a log axis cannot show (≤ 0) into gaps', () => {
    const [line] = curveLines([run('A', [0], 5)], 'penalty', 1000, true);
    expect(Array.from(line.ys).every(Number.isNaN)).toBe(true);
    expect(curveExtent([line])).toBeNull();
  });

  it('decimates long streams to the point budget', () => {
    const [line] = curveLines([run('A', [0], 5000)], 'loss', 200, false);
    expect(line.xs.length).toBeLessThanOrEqual(200);
    expect(line.xs[0]).toBe(1);
    expect(line.xs[line.xs.length - 1]).toBe(5000);
  });
});

describe('curveExtent', () => {
  it('spans the steps and finite values of every line', () => {
    const lines = curveLines([run('A', [0], 10), run('B', [0], 20)], 'l0', 1000, false);
    expect(curveExtent(lines)).toEqual({ x: [1, 20], y: [21, 40] });
  });

  it('is null without data', () => {
    expect(curveExtent(curveLines([], 'loss', 100, false))).toBeNull();
    expect(curveExtent(curveLines([run('A', [0], 0)], 'loss', 100, false))).toBeNull();
  });
});
