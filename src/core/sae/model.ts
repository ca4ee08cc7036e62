import { tf } from '../tf';
import { matMul, withCustomGradient } from '../ops';
import type { Activation } from '../train/config';
import type { SaeWeights } from './weights';

/** The SAE's parameters on the device, in SAELens layout. */
export interface SaeParams {
  W_enc: tf.Variable<tf.Rank.R2>; // [d_in, d_sae]
  b_enc: tf.Variable<tf.Rank.R1>; // [d_sae]
  W_dec: tf.Variable<tf.Rank.R2>; // [d_sae, d_in]
  b_dec: tf.Variable<tf.Rank.R1>; // [d_in]
}

export function paramsFromWeights(w: SaeWeights, trainBiases: boolean): SaeParams {
  // tf.variable keeps its initial tensor alive: create both in a tidy so only the variables remain.
  return tf.tidy(() => ({
    // Unnamed: tfjs variable names are global, and several SAEs train side by side.
    W_enc: tf.variable(tf.tensor2d(w.W_enc, [w.d_in, w.d_sae]), true),
    b_enc: tf.variable(tf.tensor1d(w.b_enc), trainBiases),
    W_dec: tf.variable(tf.tensor2d(w.W_dec, [w.d_sae, w.d_in]), true),
    b_dec: tf.variable(tf.tensor1d(w.b_dec), trainBiases),
  }));
}

export async function weightsFromParams(p: SaeParams): Promise<SaeWeights> {
  const [d_in, d_sae] = p.W_enc.shape;
  const [W_enc, b_enc, W_dec, b_dec] = await Promise.all([p.W_enc.data(), p.b_enc.data(), p.W_dec.data(), p.b_dec.data()]);
  return { d_in, d_sae, W_enc: W_enc as Float32Array, b_enc: b_enc as Float32Array, W_dec: W_dec as Float32Array, b_dec: b_dec as Float32Array };
}

export function disposeParams(p: SaeParams): void {
  for (const v of Object.values(p)) v.dispose();
}

/** Pre-activations z = (x − b_dec) W_enc + b_enc: [batch, d_in] → [batch, d_sae]. */
export function preActivations(p: SaeParams, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(matMul(tf.sub(x, p.b_dec) as tf.Tensor2D, p.W_enc), p.b_enc);
}

/** x̂ = f W_dec + b_dec: [batch, d_sae] → [batch, d_in]. */
export function decode(p: SaeParams, f: tf.Tensor2D): tf.Tensor2D {
  return tf.add(matMul(f, p.W_dec), p.b_dec);
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

/** Latent activations f [batch, d_sae] from pre-activations. */
export function activate(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  return activation.kind === 'relu' ? tf.relu(z) : topKRelu(z, activation.k);
}

export interface Forward {
  z: tf.Tensor2D; // [batch, d_sae] pre-activations
  f: tf.Tensor2D; // [batch, d_sae] latent activations
  xHat: tf.Tensor2D; // [batch, d_in] reconstruction
}

export function forward(p: SaeParams, x: tf.Tensor2D, activation: Activation): Forward {
  const z = preActivations(p, x);
  const f = activate(z, activation);
  return { z, f, xHat: decode(p, f) };
}
