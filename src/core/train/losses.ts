import { tf } from '../tf';
import { sumAll } from '../ops';
import { forward, type SaeParams } from '../sae/model';
import { variantMath, type EncodedBatch, type LossTerms, type VariantMath } from '../sae/variant-math';
import type { Activation, TrainConfig } from './config';
import { weightPenalty } from './penalties';

/** Scalar loss terms by name; their sum is the training loss. */
export type { LossTerms } from '../sae/variant-math';

export interface LossResult {
  terms: LossTerms;
  total: tf.Scalar;
  /** On how many rows of the batch each latent fired [d_sae], for firing statistics. */
  firedOn: tf.Tensor1D;
  xHat: tf.Tensor2D; // [batch, d_in]
}

export interface LossOptions {
  /**
   * Variants with a sparse path only (TopK, src/core/sae/sparse-top-k.ts): compute through it or the
   * dense one. The two give the same loss and gradients up to float32 rounding; by default the sparse
   * path is used where it is faster (see the variant's `sparse.pays`).
   */
  sparse?: boolean;
}

/**
 * Every term of the training loss for one batch x [batch, d_in]:
 * - mse: mean over all elements of (x̂ − x)²;
 * - the variant's own terms (src/core/sae/variant-math.ts): ReLU's sparsity λ_s · mean|f|; TopK's auxk,
 *   AuxK's reconstruction of the detached residual from dead latents (Gao et al. 2024);
 * - penalty: the configured weight penalty.
 * `dead` ([d_sae], 0/1) marks latents that have not fired recently; only AuxK uses it.
 */
export function lossTerms(params: SaeParams, x: tf.Tensor2D, config: TrainConfig, dead: tf.Tensor1D, options: LossOptions = {}): LossResult {
  const { activation } = config;
  const math = variantMath(activation);
  const encoded = math.sparse && (options.sparse ?? math.sparse.pays(config)) ? math.sparse.encode(params, x, activation, dead) : denseBatch(params, x, activation, dead, math);
  const residual = tf.sub(x, encoded.xHat) as tf.Tensor2D;
  // The sum adds terms in this order (mse, the variant's, the penalty); the total's float32 rounding
  // depends on it, so runs reproduce those trained before the variants had their registry.
  const terms: LossTerms = { mse: tf.mean(tf.square(residual)), ...encoded.terms(residual) };
  if (config.penalty.kind !== 'none') terms.penalty = weightPenalty(config.penalty, params.W_enc, params.W_dec);
  return { terms, total: sumAll(Object.values(terms)), firedOn: encoded.firedOn, xHat: encoded.xHat };
}

/** The dense path: the activations as a [batch, d_sae] matrix. */
function denseBatch(params: SaeParams, x: tf.Tensor2D, activation: Activation, dead: tf.Tensor1D, math: VariantMath<Activation>): EncodedBatch {
  const { z, f, xHat } = forward(params, x, activation);
  return {
    xHat,
    // Every variant's f is ≥ 0, so step(f) = [f > 0]: one elementwise op on [batch, d_sae].
    firedOn: tf.sum(tf.step(f), 0),
    terms: (residual) => math.lossTerms({ params, x, z, f, residual, dead }, activation),
  };
}
