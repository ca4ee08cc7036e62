/**
 * Reading a few features' activations out of a full SAE encode. At d_sae 16,384 a batch's activations
 * [n, d_sae] are far too large to read back, so the wanted columns are gathered on the device first and
 * the batch is read back once as [n, features].
 */
import { tf } from '../../tf';
import type { DeviceSae } from '../device-sae';

/** Throws naming `field` unless `feature` is a latent index of the SAE. */
export function checkFeature(sae: DeviceSae, feature: number, field = 'feature'): void {
  if (!Number.isInteger(feature) || feature < 0 || feature >= sae.d_sae) {
    throw new Error(`${field} ${feature} is not a feature index in [0, ${sae.d_sae})`);
  }
}

/**
 * Activations of `features` for inputs x [n, d_in]: one Float32Array [n] per feature, in the order given.
 * The full encode matters: under TopK a feature is zeroed on rows where k other latents outrank it.
 */
export async function encodeFeatureColumns(sae: DeviceSae, x: tf.Tensor2D, features: readonly number[]): Promise<Float32Array[]> {
  const n = x.shape[0];
  const gathered = tf.tidy(() => tf.gather(sae.encode(x), Int32Array.from(features), 1)); // [n, features]
  let values: Float32Array;
  try {
    values = (await gathered.data()) as Float32Array;
  } finally {
    gathered.dispose();
  }
  return features.map((_, k) => Float32Array.from({ length: n }, (_, r) => values[r * features.length + k]));
}

/** Rows `indices` of a row-major host matrix [*, width], uploaded as [indices.length, width]. */
export function uploadRows(rows: Float32Array, width: number, indices: ArrayLike<number>): tf.Tensor2D {
  const out = new Float32Array(indices.length * width);
  for (let r = 0; r < indices.length; r++) out.set(rows.subarray(indices[r] * width, (indices[r] + 1) * width), r * width);
  return tf.tensor2d(out, [indices.length, width]);
}
