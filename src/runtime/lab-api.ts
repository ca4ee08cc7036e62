/**
 * The lab worker's API (the MNIST lab, one worker per configuration): the worker implements it,
 * the page calls it through comlink. Everything crossing here is structured-cloneable plain data;
 * typed arrays are transferred, not copied, where the sender no longer needs them.
 */
import type { AlignmentSummary } from '../core/align';
import type { SteeringSuccessRate } from '../core/analysis';
import type { SaeLensFiles } from '../core/formats/saelens';
import type { TrainConfig } from '../core/train/config';
import type { StepMetrics } from '../core/train/metrics';
import type { RunEnd, TrainerInitOptions, TrainerReady } from './trainer-api';

export type LabInitOptions = TrainerInitOptions;

export interface LabReady extends TrainerReady {
  /** Test digits available to the inspector and steering. */
  testSize: number;
  /** Held-out accuracy of the lab's digit classifier, which judges MNIST steering. */
  classifierAccuracy: number;
}

/** One configuration trained once per seed; `config.seed` is ignored. */
export interface RunSpec {
  config: TrainConfig;
  seeds: number[];
}

/** Metrics since the previous update, per seed; about ten updates a second at most. */
export interface LabMetricsUpdate {
  perSeed: { seed: number; metrics: StepMetrics[] }[];
  /** Steps done by every seed (they advance together), and the run's total per seed. */
  step: number;
  totalSteps: number;
  /** Training time so far, pauses excluded. */
  elapsedMs: number;
}

/** About once a second: what the tile grid, the headline numbers and the histogram need. */
export interface LabSnapshot {
  step: number;
  d_in: number;
  d_sae: number;
  seeds: number[];
  /** Per seed, W_dec [d_sae, d_in] (row j = feature j's decoder direction). */
  decoders: Float32Array[];
  /** Per seed [d_sae]: Euclidean norm of each decoder row. */
  decoderNorms: Float32Array[];
  /** Per seed [d_sae]: fraction of recent training inputs on which each feature fired. */
  firingFrequency: Float32Array[];
  /** Cross-seed alignment of the current weights; null with one seed. */
  alignment: AlignmentSummary | null;
  /** Per seed [d_sae]: mean matched decoder |cos| against every other seed (0 with one seed). */
  stability: Float32Array[];
}

/** |cos| between two seeds' decoder directions, reordered so the optimal matching is the diagonal. */
export interface PairMatrix {
  seedA: number;
  seedB: number;
  n: number;
  /** [n, n] row-major: row r is A's feature rowOrder[r], column c is B's feature colOrder[c]. */
  values: Float32Array;
  /** A's features, best matched first. */
  rowOrder: Int32Array;
  /** colOrder[r] is the partner of rowOrder[r] in B's optimal assignment. */
  colOrder: Int32Array;
  /** Matched |cos| along the diagonal, in rowOrder. */
  matched: Float32Array;
}

export interface TopDigit {
  index: number;
  label: number;
  activation: number;
  /** 28×28 pixels in [0, 1]. */
  image: Float32Array;
}

export interface FeaturePartner {
  seed: number;
  feature: number;
  /** Matched decoder |cos| under the optimal assignment between the two seeds. */
  cosine: number;
  /** The paper's criterion: encoder and decoder assignments agree and both |cos| ≥ 0.7. */
  shared: boolean;
  decoder: Float32Array;
}

export interface FeatureDetails {
  seed: number;
  feature: number;
  decoder: Float32Array; // [d_in]
  encoder: Float32Array; // [d_in], column `feature` of W_enc
  /** Fraction of test digits on which the feature fires. */
  frequency: number;
  /** Histogram of the non-zero activations on the test set. */
  histogram: { edges: number[]; counts: number[] };
  /** Mean activation on the test digits of each class 0–9. */
  classProfile: number[];
  /** The class it fires on most (argmax of classProfile): what steering with it should move toward. */
  preferredClass: number;
  topDigits: TopDigit[];
  partners: FeaturePartner[];
}

export interface SteeringResult {
  digitIndex: number;
  label: number;
  original: Float32Array;
  /** The SAE's reconstruction of the digit (α = 0). */
  reconstruction: Float32Array;
  alphas: number[];
  /** decode(encode(x)) + α·d_i for each α, pixels clipped to [0, 1]. */
  images: Float32Array[];
  /** The classifier's probabilities for each steered image. */
  probabilities: number[][];
  preferredClass: number;
}

/** Successes / trials with a 95% Wilson interval, and how success is judged. */
export interface SteeringSuccess extends SteeringSuccessRate {
  /** One sentence the UI shows verbatim: how success is judged. */
  definition: string;
}

export interface LabWorkerApi {
  /** Picks the backend, loads MNIST and trains the judging classifier. Call once. */
  init(options: LabInitOptions): Promise<LabReady>;
  /** Trains every seed of `spec` side by side; resolves when done or stopped. */
  start(spec: RunSpec, onMetrics: (update: LabMetricsUpdate) => void, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd>;
  pause(): void;
  resume(): void;
  stop(): void;
  pairMatrix(seedA: number, seedB: number): Promise<PairMatrix>;
  inspect(seed: number, feature: number): Promise<FeatureDetails>;
  steer(seed: number, feature: number, digitIndex: number, alphas: number[]): Promise<SteeringResult>;
  /** Steering success rate of one seed's SAE over a sample of its live features. */
  steeringSuccess(seed: number): Promise<SteeringSuccess>;
  /** One seed's SAE in SAELens layout. */
  exportSaeLens(seed: number): Promise<SaeLensFiles>;
}
