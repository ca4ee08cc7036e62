/**
 * How an SAE from the field encodes, as far as the lab reads it: the lab's own variants (ReLU, TopK)
 * and two it reads but does not train, JumpReLU (SAELens, dictionary_learning) and BatchTopK
 * (dictionary_learning). Alignment needs only the weights; the page's views encode the lab's variants.
 */
import type { SaeArchitecture } from '../sae/variants';

/** How a released SAE encodes, as far as the lab reads it. */
export type ReleasedArchitecture =
  | SaeArchitecture
  /** Trained with a batch-level top-k; at inference dictionary_learning keeps what exceeds one threshold. */
  | { kind: 'batchtopk'; k: number; threshold: number }
  | { kind: 'jumprelu'; threshold: Float32Array };
