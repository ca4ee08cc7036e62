import type { SaeWeights } from '../sae/weights';
import { tf } from '../tf';
import type { Activation } from '../train/config';
import type { BatchSource } from '../train/source';
import { DeviceSae } from './device-sae';

/**
 * Latent values per encoded batch, about 8 MiB of float32: a batch's few [rows, d_sae] tensors live in
 * the backend's heap together, and wasm keeps that high-water mark for good (512 rows of 16,384
 * latents held about 200 MB of it).
 */
const BATCH_VALUES = 1 << 21;

/**
 * [d_sae]: the fraction of the first `maxRows` rows of `source` on which each feature fires, for SAEs
 * that were not trained here (imported) and so come without firing counts. Encoded in batches of at
 * most 512 rows and about BATCH_VALUES latents, each read back once.
 */
export async function firingFrequency(
  weights: SaeWeights,
  activation: Activation,
  source: BatchSource,
  maxRows = 4096,
  batchSize = Math.max(1, Math.min(512, Math.floor(BATCH_VALUES / weights.d_sae))),
): Promise<Float32Array> {
  const rows = Math.min(maxRows, source.size);
  const counts = new Float64Array(weights.d_sae);
  const sae = new DeviceSae(weights, activation);
  try {
    for (let start = 0; start < rows; start += batchSize) {
      const indices = Int32Array.from({ length: Math.min(batchSize, rows - start) }, (_, i) => start + i);
      const fired = tf.tidy(() => {
        const x = source.gather(indices);
        const f = sae.encode(x);
        x.dispose();
        return tf.sum(tf.cast(tf.greater(f, 0), 'float32'), 0);
      });
      const batch = (await fired.data()) as Float32Array;
      fired.dispose();
      for (let j = 0; j < counts.length; j++) counts[j] += batch[j];
    }
  } finally {
    sae.dispose();
  }
  return Float32Array.from(counts, (n) => (rows > 0 ? n / rows : 0));
}
