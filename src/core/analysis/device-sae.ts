import { tf } from '../tf';
import { activate, decode, disposeParams, paramsFromWeights, preActivations, type SaeParams } from '../sae/model';
import type { SaeWeights } from '../sae/weights';
import type { Activation } from '../train/config';

/**
 * A trained SAE's weights uploaded for analysis (no training): encodes, reconstructs and hands out
 * decoder directions with the same model code the trainer uses. Dispose it when done.
 */
export class DeviceSae {
  readonly d_in: number;
  readonly d_sae: number;
  private readonly params: SaeParams;
  /** [d_sae, d_in]: each decoder row scaled to unit length (zero rows stay zero). */
  readonly unitDecoder: tf.Tensor2D;

  constructor(
    weights: SaeWeights,
    readonly activation: Activation,
  ) {
    this.d_in = weights.d_in;
    this.d_sae = weights.d_sae;
    // In a tidy: tf.variable keeps its initial tensor alive otherwise (a leak per upload).
    this.params = tf.tidy(() => ({ ...paramsFromWeights(weights, false) })) as unknown as SaeParams;
    this.unitDecoder = tf.tidy(() => {
      const norms = tf.norm(this.params.W_dec, 'euclidean', 1, true);
      return tf.div(this.params.W_dec, tf.where(tf.equal(norms, 0), tf.onesLike(norms), norms));
    });
  }

  /** Latent activations f [n, d_sae] of inputs x [n, d_in]. */
  encode(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => activate(preActivations(this.params, x), this.activation));
  }

  /**
   * One feature's pre-activation z_j = (x − b_dec)·W_enc[:, j] + b_enc[j] for inputs x [n, d_in] → [n]:
   * a single encoder column, cheap enough to rank every row by one feature before encoding a few fully.
   */
  featurePreActivation(x: tf.Tensor2D, feature: number): tf.Tensor1D {
    if (!Number.isInteger(feature) || feature < 0 || feature >= this.d_sae) throw new Error(`DeviceSae: feature ${feature} is not in [0, ${this.d_sae})`);
    return tf.tidy(() => {
      const column = tf.slice(this.params.W_enc, [0, feature], [this.d_in, 1]);
      const z = tf.add(tf.matMul(tf.sub(x, this.params.b_dec), column), tf.slice(this.params.b_enc, [feature], [1]));
      return tf.reshape(z, [-1]) as tf.Tensor1D;
    });
  }

  /** decode(encode(x)) [n, d_in]. */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => decode(this.params, this.encode(x)));
  }

  dispose(): void {
    disposeParams(this.params);
    this.unitDecoder.dispose();
  }
}
