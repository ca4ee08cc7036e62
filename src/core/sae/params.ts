/** An SAE's trainable parameters as tfjs variables; its own module so the variants' maths can name it without importing the model. */
import type { tf } from '../tf';

export interface SaeParams {
  W_enc: tf.Variable<tf.Rank.R2>; // [d_in, d_sae]
  b_enc: tf.Variable<tf.Rank.R1>; // [d_sae]
  W_dec: tf.Variable<tf.Rank.R2>; // [d_sae, d_in]
  b_dec: tf.Variable<tf.Rank.R1>; // [d_in]
}
