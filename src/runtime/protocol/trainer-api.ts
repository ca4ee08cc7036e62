/**
 * Types shared by the run loop and the lab worker's API (src/runtime/protocol/lab-api.ts): worker set-up, and
 * metrics batches. Everything here is structured-cloneable plain data.
 */
import type { Divergence } from '../../core/train/divergence';
import type { StepMetrics } from '../../core/train/metrics';
import type { BackendReport, BackendRequest } from './backend-types';
import type { RunEndReason } from './run-state';

export interface TrainerInitOptions {
  backend: BackendRequest;
  /** Absolute URL of the app's root (holding `mnist/`): a worker's own location is its script's. */
  appBaseUrl: string;
  /** Train on only the first n MNIST training images (tests use few, to start fast). */
  trainLimit?: number;
}

export interface TrainerReady {
  backend: BackendReport;
  data: { name: string; size: number; d_in: number };
}

/** Metrics since the previous batch; the worker sends at most about ten of these a second. */
export interface MetricsBatch {
  metrics: StepMetrics[];
  step: number;
  totalSteps: number;
  /** Training time so far, pauses excluded. */
  elapsedMs: number;
}

export interface RunEnd {
  reason: RunEndReason;
  step: number;
  elapsedMs: number;
  /**
   * The newest step whose weights are known sound for every seed (RunLoop.finiteThrough): a
   * checkpoint at this step or earlier is worth resuming from. Set by the RunLoop.
   */
  finiteThrough?: number;
  /** For 'diverged': what went non-finite, at which step and seed, and the likely cause. */
  message?: string;
  divergence?: Divergence;
}
