import type { TrainConfig } from './train/config';

/** Deep-partial overrides for building configs in presets, tests and the CLI. */
export type ConfigOverrides = {
  [K in keyof TrainConfig]?: TrainConfig[K] extends object ? Partial<TrainConfig[K]> : TrainConfig[K];
};

/** The paper's MNIST SAE (784 → 1568, ReLU, λ_s 0.1, Adam 1e-3, batch 512, 100 epochs), constrained variant, no penalty. */
export function mnistPaperConfig(overrides: ConfigOverrides = {}): TrainConfig {
  return withOverrides(
    {
      d_in: 784,
      d_sae: 1568,
      activation: { kind: 'relu', l1Coeff: 0.1 },
      penalty: { kind: 'none', coeff: 0, on: 'both' },
      // The paper's MNIST code renormalises after each step but keeps the gradient's parallel component.
      init: { tied: true, unitNormDecoder: true, removeParallelGrad: false, bDecInit: 'geometric-median', biases: true },
      optim: { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, clipGradNorm: 0, warmupSteps: 0, decayStartFrac: 1 },
      batchSize: 512,
      length: { unit: 'epochs', value: 100 },
      seed: 0,
      deadAfterTokens: 60_000,
      metricsEvery: 20,
    },
    overrides,
  );
}

/** The paper's "unconstrained" MNIST variant: independent Kaiming init, no biases, no norm constraint. */
export const UNCONSTRAINED: ConfigOverrides['init'] = { tied: false, unitNormDecoder: false, removeParallelGrad: false, bDecInit: 'zeros', biases: false };

/** Small MNIST config that shows something within a minute on a laptop. */
export function teachingDemoConfig(overrides: ConfigOverrides = {}): TrainConfig {
  return mnistPaperConfig({
    d_sae: 64,
    batchSize: 256,
    length: { unit: 'steps', value: 300 },
    metricsEvery: 10,
    ...overrides,
  });
}

/**
 * The paper's Pythia-70M TopK SAE (blocks.3.hook_resid_post, 16,384 latents, k = 40), trained on
 * 50M tokens: 24,414 steps of 2048. In steps, not epochs, because the lab and the runner keep a
 * bounded sample of the shards in memory: one epoch over a 256 MiB sample would be 64 steps.
 */
/** 50M tokens in batches of 2048. */
export const PYTHIA_PAPER_STEPS = Math.round(50_000_000 / 2048);

export function pythiaPaperConfig(overrides: ConfigOverrides = {}): TrainConfig {
  return withOverrides(
    {
      d_in: 512,
      d_sae: 16_384,
      activation: { kind: 'topk', k: 40, auxkCoeff: 1 / 32, kAux: 256 },
      penalty: { kind: 'none', coeff: 0, on: 'both' },
      // The paper's L2 TopK trainer neither renormalises the decoder nor removes parallel gradients.
      init: { tied: true, unitNormDecoder: false, removeParallelGrad: false, bDecInit: 'geometric-median', biases: true },
      optim: { lr: 5e-5, beta1: 0.9, beta2: 0.999, eps: 1e-8, clipGradNorm: 1, warmupSteps: 1000, decayStartFrac: 0.8 },
      batchSize: 2048,
      length: { unit: 'steps', value: PYTHIA_PAPER_STEPS },
      seed: 0,
      deadAfterTokens: 10_000_000,
      metricsEvery: 50,
    },
    overrides,
  );
}

/**
 * The paper's Pythia setting made to finish on a laptop: 4096 latents instead of 16,384, batch 1024,
 * 3000 steps (3M tokens) and a 4× higher learning rate to make up for the shorter run.
 */
export function pythiaLaptopConfig(overrides: ConfigOverrides = {}): TrainConfig {
  return pythiaPaperConfig({
    d_sae: 4096,
    batchSize: 1024,
    optim: { lr: 2e-4, warmupSteps: 200 },
    length: { unit: 'steps', value: 3000 },
    metricsEvery: 25,
    ...overrides,
  });
}

/** TopK on the synthetic sample shards (d_model 64): seconds, to see the Pythia track work end to end. */
export function syntheticSampleConfig(overrides: ConfigOverrides = {}): TrainConfig {
  return pythiaPaperConfig({
    d_in: 64,
    d_sae: 256,
    activation: { kind: 'topk', k: 8, auxkCoeff: 1 / 32, kAux: 64 },
    batchSize: 256,
    optim: { lr: 1e-3, warmupSteps: 20 },
    length: { unit: 'steps', value: 300 },
    deadAfterTokens: 50_000,
    metricsEvery: 10,
    ...overrides,
  });
}

/**
 * TopK on the WordNet gloss sample (d_model 128, 16,384 labelled rows): 4× latents, k = 16, about a
 * dozen passes over the rows; a minute or so in a browser for three seeds of each configuration.
 */
export function glossSampleConfig(overrides: ConfigOverrides = {}): TrainConfig {
  return syntheticSampleConfig({
    d_in: 128,
    d_sae: 512,
    activation: { kind: 'topk', k: 16, auxkCoeff: 1 / 32, kAux: 128 },
    length: { unit: 'steps', value: 800 },
    ...overrides,
  });
}

export function withOverrides(base: TrainConfig, overrides: ConfigOverrides): TrainConfig {
  const out = { ...base } as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = out[key];
    // Activations are a tagged union: a different kind replaces the whole object.
    const merge = typeof value === 'object' && typeof current === 'object' && !(key === 'activation' && (value as { kind?: string }).kind !== undefined && (value as { kind: string }).kind !== (current as { kind: string }).kind);
    out[key] = merge ? { ...(current as object), ...(value as object) } : value;
  }
  return out as unknown as TrainConfig;
}
