/**
 * GPT-NeoX causal self-attention for one chunk of new positions, attending to the cached positions and to
 * itself. Called inside the forward's tf.tidy: intermediate tensors are cleaned up there.
 */
import { batchMatMul, linear } from '../ops';
import { tf } from '../tf';
import type { GptNeoxConfig } from './config';
import type { LayerCache } from './kvcache';
import { applyRotary, type RotaryTables } from './rotary';
import type { LayerWeights } from './weights';

/** Large enough that exp() underflows to 0 after softmax's max subtraction; finite, unlike -Infinity,
 *  which some GPU backends mishandle. */
const MASKED = -1e9;

export interface AttentionResult {
  output: tf.Tensor3D; // [batch, seq, d_model], after attention.dense
  /** Cached plus new keys and values, for the KV cache. */
  extended: LayerCache;
}

/**
 * x: [batch, seq, d_model], already layer-normed. `mask` is [seq, cached + seq] (null when seq is 1:
 * a single new position may see everything).
 */
export function attention(
  x: tf.Tensor3D,
  weights: LayerWeights,
  config: GptNeoxConfig,
  rotary: RotaryTables,
  mask: tf.Tensor2D | null,
  past: LayerCache | null,
): AttentionResult {
  const [batch, seq, d] = x.shape;
  const { numHeads: heads, headDim } = config;
  const flat = tf.reshape(x, [batch * seq, d]) as tf.Tensor2D;
  const qkv = linear(flat, weights.qkvWeight, weights.qkvBias); // [batch·seq, 3·d]
  // HF's fused layout: per head, q, k and v are consecutive slices of head_dim.
  // Rank 4, not [batch, seq, heads, 3, head_dim]: tfjs-wasm slices rank ≤ 4 natively, rank 5 element by element (~20× slower).
  const perHead = tf.reshape(qkv, [batch * seq, heads, 3, headDim]);
  const [q, k, v] = tf.split(perHead, 3, 2).map(
    (part) => tf.transpose(tf.reshape(part, [batch, seq, heads, headDim]), [0, 2, 1, 3]) as tf.Tensor4D, // [batch, heads, seq, head_dim]
  );
  const qRotated = applyRotary(q, rotary, config.rotaryDims);
  const kRotatedT = tf.transpose(applyRotary(k, rotary, config.rotaryDims), [0, 1, 3, 2]) as tf.Tensor4D; // [batch, heads, head_dim, seq]

  const keysT = past ? (tf.concat([past.keysT, kRotatedT], 3) as tf.Tensor4D) : kRotatedT; // [batch, heads, head_dim, total]
  const values = past ? (tf.concat([past.values, v], 2) as tf.Tensor4D) : v; // [batch, heads, total, head_dim]

  // Scaling q instead of the scores: same result, seq·head_dim multiplies instead of seq·total.
  const scaledQ = tf.mul(qRotated, 1 / Math.sqrt(headDim)) as tf.Tensor4D;
  let scores = batchMatMul(scaledQ, keysT); // [batch, heads, seq, total]
  if (mask) scores = tf.add(scores, mask);
  const probabilities = tf.softmax(scores) as tf.Tensor4D;
  const mixed = batchMatMul(probabilities, values); // [batch, heads, seq, head_dim]
  const merged = tf.reshape(tf.transpose(mixed, [0, 2, 1, 3]), [batch * seq, d]);
  const output = linear(merged as tf.Tensor2D, weights.attnOutWeight, weights.attnOutBias);
  return { output: tf.reshape(output, [batch, seq, d]), extended: { keysT, values } };
}

/** Additive causal mask [seq, cached + seq]: new position i (absolute cached + i) sees keys 0..cached+i. */
export function causalMask(cached: number, seq: number): tf.Tensor2D {
  const total = cached + seq;
  const mask = new Float32Array(seq * total);
  for (let i = 0; i < seq; i++) mask.fill(MASKED, i * total + cached + i + 1, (i + 1) * total);
  return tf.tensor2d(mask, [seq, total]);
}
