/**
 * Steering in pixel space: a digit's SAE reconstruction plus α times one feature's decoder
 * direction, pixels clipped to [0, 1] so the result is still an image.
 *
 * The direction is the UNIT decoder row d̂_i = W_dec[i] / ‖W_dec[i]‖, not the raw row: then α is the
 * same distance in pixel space for every feature and for every SAE, whether its decoder rows are
 * held at unit norm or shrunk by a weight penalty (the raw row would mix the penalty's effect on
 * norms into a comparison of directions). The paper steers with the unit-normalised decoder column
 * too.
 */
import { tf } from '../tf';
import type { DeviceSae } from './device-sae';

/** clip(decode(encode(x)) + α·d̂_feature, 0, 1) for images x [n, d_in], one feature per row [n]. */
export function steerRows(sae: DeviceSae, x: tf.Tensor2D, features: Int32Array, alpha: number): tf.Tensor2D {
  return tf.tidy(() => {
    const directions = tf.gather(sae.unitDecoder, tf.tensor1d(features, 'int32'));
    return tf.clipByValue(tf.add(sae.reconstruct(x), tf.mul(directions, alpha)), 0, 1) as tf.Tensor2D;
  });
}

export interface SteeringStrip {
  /** The clipped reconstruction: the strip's image for α = 0. */
  reconstruction: Float32Array;
  /** One image per α, in the order given. */
  images: Float32Array[];
}

/** One digit (`image` [d_in]) steered with one feature at each α. */
export async function steeringStrip(sae: DeviceSae, image: Float32Array, feature: number, alphas: number[]): Promise<SteeringStrip> {
  if (!Number.isInteger(feature) || feature < 0 || feature >= sae.d_sae) throw new Error(`feature ${feature} is not one of the SAE's ${sae.d_sae}`);
  const strip = tf.tidy(() => {
    const x = tf.tensor2d(image, [1, sae.d_in]);
    const reconstruction = tf.clipByValue(sae.reconstruct(x), 0, 1);
    const steered = alphas.map((alpha) => steerRows(sae, x, Int32Array.of(feature), alpha));
    return tf.concat([reconstruction, ...steered]);
  });
  try {
    const pixels = (await strip.data()) as Float32Array;
    const row = (r: number) => pixels.slice(r * sae.d_in, (r + 1) * sae.d_in);
    return { reconstruction: row(0), images: alphas.map((_, k) => row(k + 1)) };
  } finally {
    strip.dispose();
  }
}
