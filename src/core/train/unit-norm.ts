import { tf } from '../tf';

/**
 * Remove from each row of the decoder gradient its component along that (unit-norm) decoder row:
 * g_i ← g_i − (g_i·d_i) d_i. The step then moves each direction without changing its length to
 * first order, so renormalising afterwards only undoes second-order growth.
 */
export function removeParallelComponent(gradWdec: tf.Tensor2D, W_dec: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sub(gradWdec, tf.mul(tf.sum(tf.mul(gradWdec, W_dec), 1, true), W_dec)));
}

/** Scale every decoder row [d_sae, d_in] to unit length (zero rows stay zero). */
export function unitRows(W_dec: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(W_dec, tf.maximum(tf.norm(W_dec, 'euclidean', 1, true), 1e-12)));
}
