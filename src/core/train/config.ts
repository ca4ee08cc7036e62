/** Everything that defines a training run. Plain JSON: it round-trips through the URL, files and the CLI. */

export type Activation =
  | { kind: 'relu'; /** λ_s in `λ_s · mean|f|` */ l1Coeff: number }
  | {
      kind: 'topk';
      k: number;
      /** AuxK loss weight (Gao et al. use 1/32). */
      auxkCoeff: number;
      /** How many dead latents AuxK may use to model the residual. */
      kAux: number;
    };

export type PenaltyKind = 'none' | 'l1' | 'l2' | 'l2-unsquared';
export type PenaltyTarget = 'both' | 'encoder' | 'decoder';

/**
 * Weight penalty added to the loss:
 * - l1:           coeff · (mean|W_enc| + mean|W_dec|)
 * - l2:           coeff · (‖W_enc‖_F² + ‖W_dec‖_F²)   (the paper's Pythia code)
 * - l2-unsquared: coeff · (‖W_enc‖_F + ‖W_dec‖_F)     (the paper's constrained MNIST code)
 * `on` picks which matrices enter the sum.
 */
export interface PenaltyConfig {
  kind: PenaltyKind;
  coeff: number;
  on: PenaltyTarget;
}

export interface InitConfig {
  /** W_enc starts as W_decᵀ (decoder Kaiming-uniform, then unit-norm rows). Otherwise independent Kaiming. */
  tied: boolean;
  /** Renormalise decoder rows to unit length after every optimiser step. */
  unitNormDecoder: boolean;
  /**
   * With `unitNormDecoder` only (ignored without it): before the step, remove from each decoder row's
   * gradient its component along that row. Gao et al.'s TopK trainer does this; the paper's own
   * MNIST code and its L2 TopK trainer do not. It matters for weight penalties: the unsquared L2
   * gradient of W_dec is W_dec/‖W_dec‖_F, parallel to every row, so removal deletes the decoder's
   * whole penalty.
   */
  removeParallelGrad: boolean;
  /** Where b_dec starts: geometric median of the first batch (Weiszfeld), its mean, or zero. */
  bDecInit: 'geometric-median' | 'mean' | 'zeros';
  /** false: b_enc and b_dec are fixed at zero and never trained (the paper's unconstrained MNIST runs). */
  biases: boolean;
}

export interface OptimConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Clip the global gradient norm to this value; 0 disables clipping. */
  clipGradNorm: number;
  /** Linear warm-up from 0 over this many steps. */
  warmupSteps: number;
  /** Linear decay to 0 starting at this fraction of the run (1 = no decay). */
  decayStartFrac: number;
}

export interface TrainConfig {
  d_in: number;
  d_sae: number;
  activation: Activation;
  penalty: PenaltyConfig;
  init: InitConfig;
  optim: OptimConfig;
  batchSize: number;
  /** Training length: whole passes over the data source, or a fixed number of steps. */
  length: { unit: 'epochs' | 'steps'; value: number };
  seed: number;
  /** A latent is dead once it has not fired for this many training tokens (the dead-fraction metric and AuxK). */
  deadAfterTokens: number;
  /** Read metrics back from the device every this many steps (reading back stalls the pipeline). */
  metricsEvery: number;
}
