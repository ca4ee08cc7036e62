// Turns per-seed StepMetrics streams into the few hundred (x, y) vertices a curve chart draws.

import type { SeedMetrics, StepMetrics } from '../../core/train/metrics';
import { decimateMinMax } from './decimate';

export type CurveMetric = 'loss' | 'mse' | 'fvu' | 'l0' | 'deadFrac' | 'sparsity' | 'penalty' | 'auxk';

export interface MetricInfo {
  /** Axis label and legend title. */
  label: string;
  /** Losses fall over orders of magnitude, so only these offer a log axis. */
  lossLike: boolean;
  read(m: StepMetrics): number;
}

/** Missing loss terms (e.g. `auxk` in a ReLU run) read as NaN: a gap, never a fake 0. */
const term = (name: string) => (m: StepMetrics) => m.terms[name] ?? NaN;

export const METRICS: Record<CurveMetric, MetricInfo> = {
  loss: { label: 'loss', lossLike: true, read: (m) => m.loss },
  mse: { label: 'MSE', lossLike: true, read: (m) => m.mse },
  fvu: { label: 'FVU (fraction of variance unexplained)', lossLike: true, read: (m) => m.fvu },
  l0: { label: 'L0 (active latents per input)', lossLike: false, read: (m) => m.l0 },
  deadFrac: { label: 'dead fraction', lossLike: false, read: (m) => m.deadFrac },
  sparsity: { label: 'sparsity term', lossLike: true, read: term('sparsity') },
  penalty: { label: 'weight penalty term', lossLike: true, read: term('penalty') },
  auxk: { label: 'AuxK term', lossLike: true, read: term('auxk') },
};

export interface CurveRun {
  label: string;
  color: string;
  perSeed: SeedMetrics[];
}

export interface CurveLine {
  runIndex: number;
  seed: number;
  /** Position of the seed among all seeds shown: picks its dash, the same in every run. */
  seedRank: number;
  color: string;
  /** Decimated vertices; NaN in ys is a gap. */
  xs: Float64Array;
  ys: Float64Array;
}

/** The distinct seeds over all runs, ascending. */
export function seedsShown(runs: CurveRun[]): number[] {
  return [...new Set(runs.flatMap((r) => r.perSeed.map((s) => s.seed)))].sort((a, b) => a - b);
}

/**
 * One decimated line per (run, seed). On a log axis, values ≤ 0 become gaps (a penalty of exactly 0
 * has no logarithm).
 */
export function curveLines(runs: CurveRun[], metric: CurveMetric, maxPoints: number, logScale: boolean): CurveLine[] {
  const { read } = METRICS[metric];
  const seeds = seedsShown(runs);
  return runs.flatMap((run, runIndex) =>
    run.perSeed.map(({ seed, metrics }) => {
      const ys = metrics.map((m) => {
        const y = read(m);
        return logScale && !(y > 0) ? NaN : y;
      });
      const keep = decimateMinMax(ys, maxPoints);
      return {
        runIndex,
        seed,
        seedRank: seeds.indexOf(seed),
        color: run.color,
        xs: Float64Array.from(keep, (i) => metrics[i].step),
        ys: Float64Array.from(keep, (i) => ys[i]),
      };
    }),
  );
}

/** Range of the steps and of the finite values over all lines, or null when nothing can be drawn. */
export function curveExtent(lines: CurveLine[]): { x: [number, number]; y: [number, number] } | null {
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const { xs, ys } of lines) {
    for (let i = 0; i < ys.length; i++) {
      if (!Number.isFinite(ys[i])) continue;
      if (xs[i] < x0) x0 = xs[i];
      if (xs[i] > x1) x1 = xs[i];
      if (ys[i] < y0) y0 = ys[i];
      if (ys[i] > y1) y1 = ys[i];
    }
  }
  return y0 <= y1 ? { x: [x0, x1], y: [y0, y1] } : null;
}
