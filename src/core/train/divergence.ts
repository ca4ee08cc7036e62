import type { TrainConfig } from './config';
import type { StepMetrics } from './metrics';

/** A run whose loss or state went non-finite: plain data, it crosses the worker boundary. */
export interface Divergence {
  /** The step whose metrics (or the checkpoint whose state) were found non-finite. */
  step: number;
  /** The seed that diverged, where known. */
  seed?: number;
  /** What went non-finite: loss terms by name, `loss`, another metric, or checkpoint fields. */
  terms: string[];
  message: string;
}

/** Thrown by a checkpoint of non-finite state: resuming from it would only diverge again. */
export class DivergedError extends Error {
  constructor(readonly divergence: Divergence) {
    super(divergence.message);
    this.name = 'DivergedError';
  }
}

// Above these the lab's presets never go (lr ≤ 1e-3, penalty coefficients ≤ 1e-3): values this far
// out are the first suspects when a run blows up.
const HIGH_LR = 1e-2;
const STRONG_PENALTY = 0.1;

const METRIC_FIELDS = ['loss', 'mse', 'fvu', 'l0', 'deadFrac', 'encNorm', 'decNorm'] as const;

/** Every non-finite quantity of a metrics read-back, loss terms first; empty when all are finite. */
export function nonFiniteMetrics(m: StepMetrics): string[] {
  const terms = Object.entries(m.terms).filter(([, v]) => !Number.isFinite(v)).map(([name]) => name);
  // The mse metric repeats the mse term: name it once.
  return [...terms, ...METRIC_FIELDS.filter((name) => !terms.includes(name) && !Number.isFinite(m[name]))];
}

/** The likely cause of a divergence, from the configuration (and which terms blew up). */
export function likelyCause(config: TrainConfig, terms: string[]): string {
  const { lr } = config.optim;
  const { kind, coeff } = config.penalty;
  const causes: string[] = [];
  if (lr > HIGH_LR) causes.push(`the learning rate ${lr} is probably too high`);
  // A penalty term that overflows alone points at the penalty even at a moderate coefficient.
  const penaltyAlone = terms.includes('penalty') && !terms.some((t) => t === 'mse' || t === 'sparsity' || t === 'auxk');
  if (kind !== 'none' && coeff > 0 && (coeff >= STRONG_PENALTY || penaltyAlone)) causes.push(`the weight penalty ${coeff} is probably too strong`);
  if (causes.length === 0) return `the learning rate ${lr} is probably too high for this data, or the data holds very large or non-finite values`;
  return causes.join(', and ');
}

/** The divergence a non-finite metrics read-back shows; `bad` is `nonFiniteMetrics(metrics)`. */
export function metricsDivergence(metrics: StepMetrics, bad: string[], config: TrainConfig, seed?: number): Divergence {
  const values = bad.map((name) => `${name} = ${name in metrics.terms ? metrics.terms[name] : metrics[name as (typeof METRIC_FIELDS)[number]]}`);
  const who = seed === undefined ? '' : ` (seed ${seed})`;
  const message =
    `Training diverged at step ${metrics.step}${who}: ${values.join(', ')}. ` +
    `Likely cause: ${likelyCause(config, bad)}. Training stopped when this was read back.`;
  return { step: metrics.step, ...(seed !== undefined && { seed }), terms: bad, message };
}
