import { tf } from '../tf';
import { detach, matMul, sumAll } from '../ops';
import { forward, topKRelu, type SaeParams } from '../sae/model';
import { decodeSparse, encodeTopKSparse, sparseTopKPays } from '../sae/sparseTopK';
import type { TrainConfig } from './config';
import { weightPenalty } from './penalties';

/** Scalar loss terms by name; their sum is the training loss. */
export type LossTerms = Record<string, tf.Scalar>;

export interface LossResult {
  terms: LossTerms;
  total: tf.Scalar;
  /** On how many rows of the batch each latent fired [d_sae], for firing statistics. */
  firedOn: tf.Tensor1D;
  xHat: tf.Tensor2D; // [batch, d_in]
}

export interface LossOptions {
  /**
   * TopK only: compute through the sparse path (src/core/sae/sparseTopK.ts) or the dense one. The
   * two give the same loss and gradients up to float32 rounding; by default the sparse path is used
   * where it is faster (see `sparseTopKPays`).
   */
  sparse?: boolean;
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
export function lossTerms(params: SaeParams, x: tf.Tensor2D, config: TrainConfig, dead: tf.Tensor1D, options: LossOptions = {}): LossResult {
  const { activation } = config;
  if (activation.kind === 'topk' && (options.sparse ?? sparseTopKPays(config))) return sparseTopKLoss(params, x, config, dead);
  const { z, f, xHat } = forward(params, x, activation);
  const residual = tf.sub(x, xHat) as tf.Tensor2D;
  const terms: LossTerms = { mse: tf.mean(tf.square(residual)) };

  if (activation.kind === 'relu') {
    terms.sparsity = tf.mul(activation.l1Coeff, tf.mean(tf.abs(f))) as tf.Scalar;
  } else if (activation.auxkCoeff > 0) {
    const k = Math.min(activation.kAux, z.shape[1]);
    const residualHat = matMul(topKRelu(z, k, dead), params.W_dec);
    terms.auxk = auxKLoss(x, residualHat, detach(residual), dead, k, activation.auxkCoeff);
  }
  if (config.penalty.kind !== 'none') terms.penalty = weightPenalty(config.penalty, params.W_enc, params.W_dec);

  // f ≥ 0 under both activations, so step(f) = [f > 0]: one elementwise op on [batch, d_sae].
  return { terms, total: sumAll(Object.values(terms)), firedOn: tf.sum(tf.step(f), 0), xHat };
}

/** The TopK loss with sparse activations: the same terms as the dense path, without any [batch, d_sae] product but the encoder's. */
function sparseTopKLoss(params: SaeParams, x: tf.Tensor2D, config: TrainConfig, dead: tf.Tensor1D): LossResult {
  const activation = config.activation as Extract<TrainConfig['activation'], { kind: 'topk' }>;
  const withAux = activation.auxkCoeff > 0;
  const kAux = Math.min(activation.kAux, params.W_enc.shape[1]);
  const codes = encodeTopKSparse(params, x, activation.k, withAux ? { k: kAux, dead } : undefined);
  const xHat = tf.add(decodeSparse(codes.main, params.W_dec), params.b_dec) as tf.Tensor2D;
  const residual = tf.sub(x, xHat) as tf.Tensor2D;
  const terms: LossTerms = { mse: tf.mean(tf.square(residual)) };
  if (withAux) terms.auxk = auxKLoss(x, decodeSparse(codes.aux!, params.W_dec), detach(residual), dead, kAux, activation.auxkCoeff);
  if (config.penalty.kind !== 'none') terms.penalty = weightPenalty(config.penalty, params.W_enc, params.W_dec);
  return { terms, total: sumAll(Object.values(terms)), firedOn: codes.firedOn, xHat };
}

/** AuxK from the residual's reconstruction ê (no bias) out of the top k dead latents. */
function auxKLoss(x: tf.Tensor2D, residualHat: tf.Tensor2D, residual: tf.Tensor2D, dead: tf.Tensor1D, k: number, coeff: number): tf.Scalar {
  const error = tf.sum(tf.square(tf.sub(residualHat, residual)));
  const totalVariance = tf.sum(tf.square(tf.sub(x, tf.mean(x, 0, true))));
  // Few dead latents can only explain part of the residual: weigh the term by how many there are.
  const scale = tf.minimum(tf.div(tf.sum(dead), k), 1);
  return tf.mul(coeff, tf.mul(scale, tf.div(error, tf.maximum(totalVariance, 1e-12)))) as tf.Scalar;
}
