/**
 * The SAE variants' tensor maths, keyed by `Activation['kind']` like their plain half (variants.ts,
 * which says how to add one): the encoding from pre-activations, the variant's own loss terms, and
 * its sparse training path where it has one. The training step (core/train/losses.ts) adds the
 * reconstruction error and the weight penalty, which every variant shares.
 */
import { tf } from '../tf';
import { detach, matMul, withCustomGradient } from '../ops';
import type { Activation, TrainConfig } from '../train/config';
import type { SaeParams } from './params';
import { decodeSparse, encodeTopKSparse, sparseTopKPays } from './sparse-top-k';
import type { ActivationOf, VariantKind } from './variants';

/** Named scalar loss terms, summed into the total and each logged on its own. */
export type LossTerms = Record<string, tf.Scalar>;

/** One batch's encoding as the loss sees it, from either path. */
export interface EncodedBatch {
  xHat: tf.Tensor2D; // [batch, d_in]
  /** On how many rows of the batch each latent fired [d_sae]. */
  firedOn: tf.Tensor1D;
  /** The variant's own loss terms, given the residual x − x̂ [batch, d_in] (with its gradient). */
  terms(residual: tf.Tensor2D): LossTerms;
}

/** What the variant's loss terms see of a dense step. */
export interface DenseBatch {
  params: SaeParams;
  x: tf.Tensor2D; // [batch, d_in]
  z: tf.Tensor2D; // [batch, d_sae] pre-activations
  f: tf.Tensor2D; // [batch, d_sae] activations
  residual: tf.Tensor2D; // [batch, d_in] x − x̂
  /** [d_sae], 0/1: latents that have not fired recently. */
  dead: tf.Tensor1D;
}

export interface VariantMath<A extends Activation> {
  /** Activations f [batch, d_sae] from pre-activations z [batch, d_sae]; every variant's f is ≥ 0. */
  encode(z: tf.Tensor2D, a: A): tf.Tensor2D;
  /** Its loss terms besides the reconstruction error and the weight penalty, by name. */
  lossTerms(batch: DenseBatch, a: A): LossTerms;
  /**
   * A path that never forms the [batch, d_sae] activations, giving the dense path's loss and
   * gradients up to float32 rounding; `pays` says whether it is the faster one on the active backend.
   */
  sparse?: { pays(config: TrainConfig): boolean; encode(params: SaeParams, x: tf.Tensor2D, a: A, dead: tf.Tensor1D): EncodedBatch };
}

/**
 * TopK(ReLU(z)) per row, restricted to latents where `eligible` ([d_sae], 0/1) is 1 when given
 * (AuxK looks only at dead latents). The selection is computed inside a custom gradient because
 * tfjs has no gradient for TopK: the backward pass treats the selected set as fixed, as PyTorch's
 * autograd does, so dz = dy where a latent was kept and 0 elsewhere.
 */
export function topKRelu(z: tf.Tensor2D, k: number, eligible?: tf.Tensor1D): tf.Tensor2D {
  const op = withCustomGradient((pre: tf.Tensor2D, save: tf.GradSaveFunc) => {
    // Ineligible latents drop to about −1e30, far below any real pre-activation, so TopK never picks
    // them. Adding a [d_sae] row rather than tf.where(eligible, pre, −1e30): tfjs-wasm broadcasts
    // `where` through a Tile and a slow loop (3.6–9 s at 2048 × 16,384, against 0.1 s for the add).
    const candidates = eligible ? tf.add(pre, tf.mul(tf.sub(eligible, 1), 1e30)) : pre;
    // The k-th largest value per row; topk's values are unsorted when sorted = false, so take their min.
    const kth = tf.min(tf.topk(candidates, k, false).values, 1, true);
    // active = [candidates ≥ kth] · [candidates > 0], written with step (1 where x > 0): the same
    // tests, but comparisons that broadcast kth [batch, 1] run in tfjs-wasm's slow generic loop
    // (greaterEqual took 4–13 s at 2048 × 16,384; step and subtract take about 0.1 s each).
    const active = tf.mul(tf.step(candidates), tf.sub(1, tf.step(tf.sub(kth, candidates))));
    save([active]);
    return { value: tf.mul(pre, active), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]) };
  });
  return op(z);
}

/**
 * AuxK (Gao et al. 2024; EleutherAI's sparsify): coeff · ‖ê − e‖² / ‖x − mean(x)‖², where e is the
 * (detached) residual and ê its reconstruction, without b_dec, out of the top k dead latents; scaled
 * by min(#dead / k, 1).
 */
function auxKLoss(x: tf.Tensor2D, residualHat: tf.Tensor2D, residual: tf.Tensor2D, dead: tf.Tensor1D, k: number, coeff: number): tf.Scalar {
  const error = tf.sum(tf.square(tf.sub(residualHat, residual)));
  const totalVariance = tf.sum(tf.square(tf.sub(x, tf.mean(x, 0, true))));
  // Few dead latents can only explain part of the residual: weigh the term by how many there are.
  const scale = tf.minimum(tf.div(tf.sum(dead), k), 1);
  return tf.mul(coeff, tf.mul(scale, tf.div(error, tf.maximum(totalVariance, 1e-12)))) as tf.Scalar;
}

const relu: VariantMath<ActivationOf<'relu'>> = {
  encode: (z) => tf.relu(z),
  lossTerms: ({ f }, a) => ({ sparsity: tf.mul(a.l1Coeff, tf.mean(tf.abs(f))) as tf.Scalar }),
};

const topk: VariantMath<ActivationOf<'topk'>> = {
  encode: (z, a) => topKRelu(z, a.k),
  lossTerms({ params, x, z, residual, dead }, a): LossTerms {
    if (!(a.auxkCoeff > 0)) return {};
    const k = Math.min(a.kAux, z.shape[1]);
    const residualHat = matMul(topKRelu(z, k, dead), params.W_dec);
    return { auxk: auxKLoss(x, residualHat, detach(residual), dead, k, a.auxkCoeff) };
  },
  sparse: {
    pays: (config) => sparseTopKPays(config),
    encode(params, x, a, dead) {
      const withAux = a.auxkCoeff > 0;
      const kAux = Math.min(a.kAux, params.W_enc.shape[1]);
      const codes = encodeTopKSparse(params, x, a.k, withAux ? { k: kAux, dead } : undefined);
      const xHat = tf.add(decodeSparse(codes.main, params.W_dec), params.b_dec) as tf.Tensor2D;
      return {
        xHat,
        firedOn: codes.firedOn,
        terms: (residual): LossTerms => (withAux ? { auxk: auxKLoss(x, decodeSparse(codes.aux!, params.W_dec), detach(residual), dead, kAux, a.auxkCoeff) } : {}),
      };
    },
  },
};

/** Every variant's maths by kind; a kind of `Activation` without an entry does not compile. */
export const VARIANT_MATH = { relu, topk } satisfies { [K in VariantKind]: VariantMath<ActivationOf<K>> };

/** The maths of `activation`'s variant, typed loosely for the reason `saeVariant` gives. */
export function variantMath(activation: Activation): VariantMath<Activation> {
  return VARIANT_MATH[activation.kind] as unknown as VariantMath<Activation>;
}
