/** Position-wise pieces of a GPT-NeoX block. Called inside the forward's tf.tidy. */
import { tf } from '../tf';
import type { LayerNormWeights, LayerWeights } from './weights';

/** x: [.., d_model]; biased variance over the last axis, as torch.nn.LayerNorm. */
export function layerNorm(x: tf.Tensor3D, weights: LayerNormWeights, eps: number): tf.Tensor3D {
  const { mean, variance } = tf.moments(x, -1, true);
  const normalized = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(normalized, weights.gamma), weights.beta);
}

/** Exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)): what HF's "gelu" computes (not the tanh approximation). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
}

/** x: [batch, seq, d_model] (layer-normed) → dense_4h_to_h(GELU(dense_h_to_4h(x))), same shape. */
export function mlp(x: tf.Tensor3D, weights: LayerWeights): tf.Tensor3D {
  const [batch, seq, d] = x.shape;
  const flat = tf.reshape(x, [batch * seq, d]);
  const hidden = gelu(tf.add(tf.matMul(flat, weights.mlpInWeight), weights.mlpInBias)); // [batch·seq, d_mlp]
  const out = tf.add(tf.matMul(hidden as tf.Tensor2D, weights.mlpOutWeight), weights.mlpOutBias);
  return tf.reshape(out, [batch, seq, d]);
}
