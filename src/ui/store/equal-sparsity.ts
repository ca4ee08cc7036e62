/**
 * Alignment compared like for like: both configurations as TopK SAEs with the same k, so they train
 * at the same L0 whatever else differs (the penalty, the init…).
 */
import type { TrainConfig } from '../../core/train/config';

/** AuxK's weight as Gao et al. set it. */
const AUXK_COEFF = 1 / 32;

/** `config` with a TopK activation of `k` (AuxK may use up to half the latents, at most 256); the rest unchanged. */
export function withTopK(config: TrainConfig, k: number): TrainConfig {
  return { ...config, activation: { kind: 'topk', k, auxkCoeff: AUXK_COEFF, kAux: Math.max(1, Math.min(256, Math.floor(config.d_sae / 2))) } };
}

/** The k to compare at: the sparser side's L0, rounded (at least 1). */
export function equalSparsityK(l0A: number, l0B: number): number {
  return Math.max(1, Math.round(Math.min(l0A, l0B)));
}
