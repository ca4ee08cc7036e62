/** What one training step reports, read back from the device at the metrics interval. */
export interface StepMetrics {
  /** Steps completed (1 after the first step). */
  step: number;
  /** Fractional epochs completed. */
  epoch: number;
  lr: number;
  loss: number;
  mse: number;
  /** Fraction of variance unexplained: Σ(x̂ − x)² / Σ(x − mean x)² over the batch. */
  fvu: number;
  /** Mean number of active latents per input. */
  l0: number;
  /** Fraction of latents that have not fired within `deadAfterTokens`. */
  deadFrac: number;
  /** Frobenius norms ‖W_enc‖_F and ‖W_dec‖_F. */
  encNorm: number;
  decNorm: number;
  /** Every loss term by name (mse, sparsity | auxk, penalty); they sum to `loss`. */
  terms: Record<string, number>;
}

/** One seed's metrics read-backs, in step order: what a run's curves, its updates and its saved record hold per seed. */
export interface SeedMetrics {
  seed: number;
  metrics: StepMetrics[];
}
