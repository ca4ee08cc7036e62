/**
 * The lab worker's API (one worker per configuration, on MNIST digits or on language-model
 * activation shards): the worker implements it, the page calls it through comlink. Everything crossing here is structured-cloneable plain data;
 * typed arrays are transferred, not copied, where the sender no longer needs them.
 */
import type { AlignmentSummary } from '../../core/align';
import type { Partner, PooledMatrix, SteeringSuccessRate, ZoomRange } from '../../core/analysis';
import type { FeatureSuccess } from '../../core/stats';
import type { JudgeEndpoint } from '../../io/judge-http';
import type { SaeLensFiles } from '../../core/formats/saelens';
import type { TrainConfig } from '../../core/train/config';
import type { SeedMetrics } from '../../core/train/metrics';
import type { AlignmentAt, PersistSpec } from './run-records';
import type { RunEnd, TrainerInitOptions, TrainerReady } from './trainer-api';

/** Activation shards to train on: a manifest's URL (its shards sit beside it) or files the person picked or dropped. */
export type ShardSource = { kind: 'url'; manifestUrl: string } | { kind: 'files'; files: File[] };

/** A GPT-NeoX model folder (config.json, model.safetensors, tokenizer.json): a URL ending in '/', or picked files. */
export type ModelSource = { kind: 'url'; baseUrl: string } | { kind: 'files'; files: File[] };

export interface LabInitOptions extends TrainerInitOptions {
  /** Train on these activation shards instead of MNIST. */
  shards?: ShardSource;
  /** Bound on the activation rows a worker keeps in memory (bytes of float32); default 256 MiB. */
  shardMaxBytes?: number;
}

/** Where a shard load stands: called per chunk read, at most a few times a second. */
export interface ShardProgress {
  file: string;
  fileIndex: number;
  files: number;
  bytesDone: number;
  bytesTotal: number | null;
  rowsSeen: number;
  rowsKept: number;
}

/** What a worker loaded from activation shards. */
export interface ShardDataInfo {
  model: string;
  hook: string;
  d_model: number;
  /** Tokens in the shards, and the rows kept in memory (a uniform sample when the shards hold more than the bound). */
  totalTokens: number;
  rows: number;
  sampled: boolean;
  /** The bound on kept rows, in bytes of float32 activations. */
  maxBytes: number;
  /** Activations are multiplied by this on load so that their mean squared norm is d_model (the paper normalises them). */
  scale: number;
  /** Whether the shards carry token ids (.npy activations do not), so contexts can be shown. */
  hasTokens: boolean;
  synthetic: boolean;
  note: string | null;
  files: string[];
  /** The names of the rows' document labels (e.g. WordNet categories); absent when the shards carry none. */
  labelNames?: string[];
}

export interface ModelInfo {
  name: string;
  layers: number;
  d_model: number;
  vocab: number;
}

export interface LabReady extends TrainerReady {
  /** MNIST data: the test digits the inspector reads, and the classifier that judges steering. */
  mnist: { testSize: number; classifierAccuracy: number } | null;
  shards: ShardDataInfo | null;
}

/** One configuration trained once per seed; `config.seed` is ignored. */
export interface RunSpec {
  config: TrainConfig;
  seeds: number[];
  /** Keep the run in the browser's run store (IndexedDB), checkpointed as it trains. */
  persist?: PersistSpec;
}

/** Metrics since the previous update, per seed; about ten updates a second at most. */
export interface LabMetricsUpdate {
  perSeed: SeedMetrics[];
  /** Steps done by every seed (they advance together), and the run's total per seed. */
  step: number;
  totalSteps: number;
  /** Training time so far, pauses excluded. */
  elapsedMs: number;
  /** For a saved run: the step of its latest checkpoint, and why saving fails if it does (storage full). */
  saved?: { checkpointStep: number | null; problem: string | null };
  /** Cross-seed alignment at milestone steps reached since the previous update (see milestones.ts). */
  alignments?: AlignmentAt[];
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

/**
 * |cos| between two seeds' decoder directions, reordered so the optimal matching is the diagonal, as
 * the heatmap shows it: the pair's orders and diagonal (n values each) and one block of the n×n
 * matrix max-pooled to the canvas's pixels. The matrix itself stays in the worker (1 GiB at 16,384
 * features); zooming asks for another block.
 */
export interface PairHeatmap {
  seedA: number;
  seedB: number;
  n: number;
  /** A's features, best matched first: row r of the ordered matrix is A's feature rowOrder[r]. */
  rowOrder: Int32Array;
  /** colOrder[r] is the partner of rowOrder[r] in B's optimal assignment, and column r's feature. */
  colOrder: Int32Array;
  /** Matched |cos| along the diagonal, in rowOrder. */
  matched: Float32Array;
  /** The block asked for (the whole matrix by default), its argmax indices into the ordered matrix. */
  pooled: PooledMatrix;
}

export interface TopDigit {
  index: number;
  label: number;
  activation: number;
  /** 28×28 pixels in [0, 1]. */
  image: Float32Array;
}

/** A feature's partner in another seed, named by its seed value (the alignment's own `Partner` names its index), with its decoder direction. */
export interface FeaturePartner extends Omit<Partner, 'otherIndex'> {
  seed: number;
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
  /** The same trials scored by an LLM judge, when one was asked for (language-model data only). */
  judged?: { rate: number; ci95: [number, number]; successes: number; trials: number; perFeature: FeatureSuccess[]; definition: string } | null;
  /**
   * Concept-grounded success, when the shards carry labels and a concept judge (the WordNet gloss sample):
   * features with a clear category steer, and the judge says whether the text moved into it.
   */
  concept?: (SteeringSuccessRate & {
    definition: string;
    /** The judge's held-out accuracy, against answering the most common category. */
    judge: { accuracy: number; majority: number; heldOut: number };
  }) | null;
}

/** How a steering success rate is measured: language-model data take a strength and an optional judge. */
export interface SteeringSuccessRequest {
  /** Multiple of the unit decoder direction (default: the paper's 5); MNIST uses its own. */
  alpha?: number;
  judge?: JudgeSettings;
}

/** An OpenAI-compatible chat endpoint the person supplies; the key stays in the page's memory. */
export type JudgeSettings = JudgeEndpoint;

/** A context from the shards where a feature fires strongly, its tokens highlighted by the feature's activation. */
export interface LmContext {
  /** The feature's activation at the context's last token (the row in the shards). */
  activation: number;
  /** Decoded tokens, oldest first; the last is the token the row belongs to. */
  tokens: string[];
  /** The feature's activation at each token, by a clean forward pass; null without a model. */
  tokenActivations: number[] | null;
  /** The label of the document the row came from; null when it has none, absent for unlabelled data. */
  label?: string | null;
}

/** The most common document label among a feature's top contexts: `count` of `total` contexts have it. */
export interface TopLabel {
  label: string;
  count: number;
  total: number;
}

/**
 * Every feature's most common label among its top contexts over a sample of the rows (src/core/analysis/lm/top-labels.ts):
 * per feature, an index into `names` (-1: none), how many of its `total` top contexts have it.
 */
export interface FeatureLabels {
  seed: number;
  names: string[];
  label: Int32Array;
  count: Int32Array;
  total: Int32Array;
  sampleRows: number;
  /** Top contexts looked at per feature. */
  contexts: number;
}

export interface TokenLogit {
  text: string;
  logit: number;
}

export interface LmFeatureDetails {
  seed: number;
  feature: number;
  decoder: Float32Array;
  /** Fraction of the sampled rows on which the feature fires. */
  frequency: number;
  histogram: { edges: number[]; counts: number[] };
  contexts: LmContext[];
  /** The most common label of the contexts; null when none has one, absent for unlabelled data. */
  topLabel?: TopLabel | null;
  /** Tokens the decoder direction promotes and suppresses through the unembedding; null without a model. */
  logitLens: { promoted: TokenLogit[]; suppressed: TokenLogit[] } | null;
  partners: FeaturePartner[];
}

export interface LmSteeringRequest {
  prompt: string;
  /** Multiple of the unit decoder direction added at the hook, at generated positions. */
  alpha: number;
  samplingSeed: number;
}

export interface NextTokenChange {
  text: string;
  before: number;
  after: number;
}

export interface LmSteeringResult {
  seed: number;
  feature: number;
  prompt: string;
  alpha: number;
  unsteered: string;
  steered: string;
  /** The next-token probabilities after the prompt that steering changes most. */
  nextToken: NextTokenChange[];
}

/** How far an import has got: its folders read one by one, then its seed pairs aligned one by one. */
export type ImportProgress = { phase: 'reading'; done: number; total: number; name: string } | { phase: 'aligning'; done: number; total: number };

export interface LabWorkerApi {
  /**
   * Picks the backend and loads the data: MNIST (and trains the judging classifier) or activation
   * shards, reporting progress. Call once; a failed load leaves the worker unusable (start another).
   */
  init(options: LabInitOptions, onShardProgress?: (progress: ShardProgress) => void): Promise<LabReady>;
  /** Continues a saved run from its checkpoint (after a reload or a crashed worker); resolves like start. */
  resumeRun(runId: string, onMetrics: (update: LabMetricsUpdate) => void, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd>;
  /**
   * SAEs trained elsewhere (one folder each: SAELens or sparsify layout) shown as the seeds of one
   * run, for the alignment, inspector and steering views. Refused when they do not fit the data.
   */
  importSaes(files: File[], onProgress?: (progress: ImportProgress) => void): Promise<{ snapshot: LabSnapshot; config: TrainConfig; names: string[]; note: string | null }>;
  /** Ends an import between two folders or two seed pairs; its importSaes call rejects with "import cancelled". */
  cancelImport(): void;
  /** Shows a saved run's checkpoint (snapshot, inspector, steering) without training it. */
  openRun(runId: string, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd>;
  /** Trains every seed of `spec` side by side; resolves when done or stopped. */
  start(spec: RunSpec, onMetrics: (update: LabMetricsUpdate) => void, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd>;
  pause(): void;
  resume(): void;
  stop(): void;
  /**
   * Renames a saved run this worker is training (or setting up to train): the worker is the only
   * writer of a live run's record, so its next checkpoint keeps the name. False when the worker
   * holds no such run: the page then renames it in the store itself.
   */
  renameRun(runId: string, name: string): Promise<boolean>;
  /** Answers between training chunks: the page's check that the worker is still alive. */
  ping(): Promise<true>;
  /**
   * The heatmap of seeds A (rows) and B (columns): `range` of their ordered matrix (null: all of it)
   * max-pooled to at most `size` pixels a side. The worker keeps the last pair's matrix, so asking
   * for another range of it only pools again.
   */
  pairHeatmap(seedA: number, seedB: number, range: ZoomRange | null, size: number): Promise<PairHeatmap>;
  inspect(seed: number, feature: number): Promise<FeatureDetails>;
  steer(seed: number, feature: number, digitIndex: number, alphas: number[]): Promise<SteeringResult>;
  /** Steering success rate of one seed's SAE over a sample of its live features (with an LLM judge's too, if given). */
  steeringSuccess(seed: number, request?: SteeringSuccessRequest): Promise<SteeringSuccess>;
  /** One seed's SAE in SAELens layout. */
  exportSaeLens(seed: number): Promise<SaeLensFiles>;

  // Language-model data only.
  /** Loads a GPT-NeoX model for contexts, the logit lens and steering; replaces a previous one only once loaded. */
  loadModel(source: ModelSource): Promise<ModelInfo>;
  inspectLm(seed: number, feature: number): Promise<LmFeatureDetails>;
  /** Every feature's most common document label among its top contexts; null when the shards carry no labels. */
  lmFeatureLabels(seed: number): Promise<FeatureLabels | null>;
  steerLm(seed: number, feature: number, request: LmSteeringRequest): Promise<LmSteeringResult>;
}
