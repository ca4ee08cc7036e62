/** Position-wise pieces of a GPT-NeoX block. Called inside the forward's tf.tidy. */
import { linear } from '../ops';
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
  const flat = tf.reshape(x, [batch * seq, d]) as tf.Tensor2D;
  const hidden = gelu(linear(flat, weights.mlpInWeight, weights.mlpInBias)); // [batch·seq, d_mlp]
  const out = linear(hidden as tf.Tensor2D, weights.mlpOutWeight, weights.mlpOutBias);
  return tf.reshape(out, [batch, seq, d]);
}

/**
 * table: [vocab, d_model], ids: [batch, seq] int32 → [batch, seq, d_model]: a plain gather (so inference is
 * unchanged), with a gradient that works on every backend. tfjs's own gather gradient needs the
 * UnsortedSegmentSum kernel, which tfjs-backend-wasm lacks; there the rows are summed on the CPU instead.
 */
export function embedTokens(table: tf.Tensor2D, ids: tf.Tensor2D): tf.Tensor3D {
  const [rows, cols] = table.shape;
  const lookup = tf.customGrad(((t: tf.Tensor2D, save: tf.GradSaveFunc) => {
    save([ids]);
    return {
      value: tf.gather(t, ids),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => scatterRows(dy, saved[0], rows, cols),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (t: tf.Tensor2D) => tf.Tensor3D;
  return lookup(table);
}

/** Σ over the positions holding each id of dy's rows: the gradient of a row gather, [rows, cols]. */
export function scatterRows(dy: tf.Tensor, ids: tf.Tensor, rows: number, cols: number, useKernel = hasSegmentSum()): tf.Tensor2D {
  const flatIds = tf.reshape(ids, [-1]) as tf.Tensor1D;
  const flatDy = tf.reshape(dy, [-1, cols]) as tf.Tensor2D;
  if (useKernel) return tf.unsortedSegmentSum(flatDy, flatIds, rows);
  const idValues = flatIds.dataSync();
  const dyValues = flatDy.dataSync();
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < idValues.length; i++) {
    const target = idValues[i] * cols;
    const source = i * cols;
    for (let c = 0; c < cols; c++) out[target + c] += dyValues[source + c];
  }
  return tf.tensor2d(out, [rows, cols]);
}

function hasSegmentSum(): boolean {
  return tf.getKernel('UnsortedSegmentSum', tf.getBackend()) !== undefined;
}
