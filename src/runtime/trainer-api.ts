/**
 * The trainer worker's API: the worker implements it, the page calls it through comlink.
 * Everything crossing here is structured-cloneable plain data.
 */
import type { SaeWeights } from '../core/sae/weights';
import type { StepMetrics } from '../core/train/metrics';
import type { TrainConfig } from '../core/train/config';
import type { BackendReport, BackendRequest } from './backend-types';

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
  reason: 'done' | 'stopped';
  step: number;
  elapsedMs: number;
}

export interface TrainerApi {
  /** Picks the backend and loads MNIST. Call once, before start. */
  init(options: TrainerInitOptions): Promise<TrainerReady>;
  /** Trains a fresh SAE; resolves when the run is done or stopped. */
  start(config: TrainConfig, onMetrics: (batch: MetricsBatch) => void): Promise<RunEnd>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** The current run's weights (typed arrays, transferred rather than copied). */
  snapshot(): Promise<SaeWeights>;
}
