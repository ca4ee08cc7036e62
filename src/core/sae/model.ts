import { tf } from '../tf';
import { matMul } from '../ops';
import type { Activation } from '../train/config';
import type { SaeParams } from './params';
import { variantMath } from './variant-math';
import type { SaeWeights } from './weights';

/** The SAE's parameters on the device, in SAELens layout. */
export type { SaeParams } from './params';

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

/** Latent activations f [batch, d_sae] from pre-activations, by the activation's variant (variant-math.ts). */
export function activate(z: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  return variantMath(activation).encode(z, activation);
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
