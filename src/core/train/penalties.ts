import { sumAll } from '../ops';
import { tf } from '../tf';
import type { PenaltyConfig } from './config';

/** The weight penalty of `config` on the given matrices, as a scalar tensor (0 for 'none'). */
export function weightPenalty(config: PenaltyConfig, W_enc: tf.Tensor, W_dec: tf.Tensor): tf.Scalar {
  const matrices = [
    ...(config.on !== 'decoder' ? [W_enc] : []),
    ...(config.on !== 'encoder' ? [W_dec] : []),
  ];
  if (config.kind === 'none' || config.coeff === 0 || matrices.length === 0) return tf.scalar(0);
  const perMatrix = matrices.map((w): tf.Tensor => {
    switch (config.kind) {
      case 'l1':
        return tf.mean(tf.abs(w));
      case 'l2':
        return tf.sum(tf.square(w));
      case 'l2-unsquared':
        return tf.sqrt(tf.sum(tf.square(w)));
      default:
        throw new Error(`unknown weight penalty '${String(config.kind)}'`);
    }
  });
  return tf.mul(config.coeff, sumAll(perMatrix)) as tf.Scalar;
}
