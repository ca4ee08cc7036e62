/**
 * Next-token cross-entropy for a language model: the mean over every (sequence, position) of
 * −log softmax(logits)[target], by a numerically stable log-softmax (max subtracted before exp).
 *
 * Written as one custom-gradient op: its gradient, (softmax − onehot(target)) / N, is the textbook one and
 * needs only kernels every backend has (tfjs's gather gradient needs UnsortedSegmentSum, absent on wasm).
 */
import { tf } from '../tf';

/** logits: [batch, seq, vocab] (or [rows, vocab]); targets: int32 of the same leading shape. → scalar. */
export function nextTokenLoss(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  const vocab = logits.shape[logits.shape.length - 1];
  const rows = logits.size / vocab;
  if (targets.size !== rows) throw new Error(`nextTokenLoss: ${targets.size} targets for ${rows} rows of logits`);
  if (targets.dtype !== 'int32') throw new Error(`nextTokenLoss: targets must be int32, got ${targets.dtype}`);
  const loss = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const flat = tf.reshape(x, [rows, vocab]) as tf.Tensor2D;
    const flatTargets = tf.reshape(targets, [rows]) as tf.Tensor1D;
    const logProbs = tf.logSoftmax(flat); // [rows, vocab]
    const picked = tf.gatherND(logProbs, tf.stack([tf.range(0, rows, 1, 'int32'), flatTargets], 1)); // [rows]
    save([logProbs, flatTargets]);
    return {
      value: tf.neg(tf.mean(picked)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedLogProbs, savedTargets] = saved;
        const probabilities = tf.exp(savedLogProbs);
        // int32 then cast: tfjs-wasm 4.22's OneHot asked for float32 writes int32 bit patterns (1 reads as 1.4e-45).
        const onehot = tf.cast(tf.oneHot(savedTargets as tf.Tensor1D, vocab), 'float32');
        const grad = tf.mul(tf.sub(probabilities, onehot), tf.div(dy, rows));
        return tf.reshape(grad, x.shape);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Scalar;
  return loss(logits);
}
