/**
 * Rotary position embeddings as in Hugging Face GPT-NeoX: only the first `rotaryDims` dimensions of each
 * head rotate, with the rotate-half convention (dimension i pairs with i + rotaryDims/2, not with i + 1).
 */
import { tf } from '../tf';

export interface RotaryTables {
  cos: tf.Tensor2D; // [seq, rotaryDims]
  sin: tf.Tensor2D; // [seq, rotaryDims]
}

/**
 * cos/sin for absolute positions start .. start+seq-1. Angles are rounded to float32 the way HF computes
 * them (inv_freq and position·inv_freq in float32), so long positions match the reference model closely.
 */
export function rotaryTables(start: number, seq: number, rotaryDims: number, base: number): RotaryTables {
  const half = rotaryDims / 2;
  const invFreq = Array.from({ length: half }, (_, i) => Math.fround(1 / Math.fround(base ** Math.fround((2 * i) / rotaryDims))));
  const cos = new Float32Array(seq * rotaryDims);
  const sin = new Float32Array(seq * rotaryDims);
  for (let s = 0; s < seq; s++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround((start + s) * invFreq[i]);
      // HF concatenates the frequencies with themselves: both halves of a pair share one angle.
      for (const column of [s * rotaryDims + i, s * rotaryDims + i + half]) {
        cos[column] = Math.cos(angle);
        sin[column] = Math.sin(angle);
      }
    }
  }
  return { cos: tf.tensor2d(cos, [seq, rotaryDims]), sin: tf.tensor2d(sin, [seq, rotaryDims]) };
}

/** x: [batch, heads, seq, head_dim] → same shape, first rotaryDims of each head rotated. */
export function applyRotary(x: tf.Tensor4D, tables: RotaryTables, rotaryDims: number): tf.Tensor4D {
  return tf.tidy((): tf.Tensor4D => {
    const headDim = x.shape[3];
    const half = rotaryDims / 2;
    const [rotating, passing] = rotaryDims === headDim ? [x, null] : tf.split<tf.Tensor4D>(x, [rotaryDims, headDim - rotaryDims], 3);
    const [first, second] = tf.split<tf.Tensor4D>(rotating, [half, half], 3);
    const rotatedHalf = tf.concat([tf.neg(second), first], 3); // rotate_half: (-x2, x1)
    const rotated: tf.Tensor4D = tf.add(tf.mul(rotating, tables.cos), tf.mul(rotatedHalf, tables.sin));
    return passing ? tf.concat<tf.Tensor4D>([rotated, passing], 3) : rotated;
  });
}
