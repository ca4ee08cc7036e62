import { tf } from '../tf';
import { detach, matMul, sumAll } from '../ops';
import { forward, topKRelu, type SaeParams } from '../sae/model';
import type { TrainConfig } from './config';
import { weightPenalty } from './penalties';

/** Scalar loss terms by name; their sum is the training loss. */
export type LossTerms = Record<string, tf.Scalar>;

export interface LossResult {
  terms: LossTerms;
  total: tf.Scalar;
  f: tf.Tensor2D; // [batch, d_sae] latent activations, for firing statistics
  xHat: tf.Tensor2D; // [batch, d_in]
}

/**
 * Every term of the training loss for one batch x [batch, d_in]:
 * - mse: mean over all elements of (x̂ − x)²;
 * - sparsity (ReLU): λ_s · mean|f|;
 * - auxk (TopK): coeff · ‖ê − e‖² / ‖x − mean(x)‖², where e = x − x̂ is the (detached) residual and ê
 *   its reconstruction W_decᵀ-free from the top k_aux dead latents, scaled down by min(#dead / k_aux, 1)
 *   when few latents are dead (Gao et al. 2024; EleutherAI's sparsify);
 * - penalty: the configured weight penalty.
 * `dead` ([d_sae], 0/1) marks latents that have not fired recently; only AuxK uses it.
 */
export function lossTerms(params: SaeParams, x: tf.Tensor2D, config: TrainConfig, dead: tf.Tensor1D): LossResult {
  const { activation } = config;
  const { z, f, xHat } = forward(params, x, activation);
  const residual = tf.sub(x, xHat) as tf.Tensor2D;
  const terms: LossTerms = { mse: tf.mean(tf.square(residual)) };

  if (activation.kind === 'relu') {
    terms.sparsity = tf.mul(activation.l1Coeff, tf.mean(tf.abs(f))) as tf.Scalar;
  } else if (activation.auxkCoeff > 0) {
    terms.auxk = auxKLoss(params, x, z, detach(residual), dead, activation.kAux, activation.auxkCoeff);
  }
  if (config.penalty.kind !== 'none') terms.penalty = weightPenalty(config.penalty, params.W_enc, params.W_dec);

  return { terms, total: sumAll(Object.values(terms)), f, xHat };
}

function auxKLoss(
  params: SaeParams,
  x: tf.Tensor2D,
  z: tf.Tensor2D,
  residual: tf.Tensor2D,
  dead: tf.Tensor1D,
  kAux: number,
  coeff: number,
): tf.Scalar {
  const k = Math.min(kAux, z.shape[1]);
  const residualHat = matMul(topKRelu(z, k, dead), params.W_dec);
  const error = tf.sum(tf.square(tf.sub(residualHat, residual)));
  const totalVariance = tf.sum(tf.square(tf.sub(x, tf.mean(x, 0, true))));
  // Few dead latents can only explain part of the residual: weigh the term by how many there are.
  const scale = tf.minimum(tf.div(tf.sum(dead), k), 1);
  return tf.mul(coeff, tf.mul(scale, tf.div(error, tf.maximum(totalVariance, 1e-12)))) as tf.Scalar;
}
