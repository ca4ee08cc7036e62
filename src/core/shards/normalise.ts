/**
 * The paper normalises Pythia's activations before training ("expected average only in" in
 * SAELens): rows are scaled so that their mean squared norm is d_model, which makes the paper's
 * learning rate and penalty strength mean the same on any model.
 */
import type { SaeWeights } from '../sae/weights';

/** Scales `rows` ([count, d_model]) in place so their mean squared norm is d_model; returns the factor. */
export function normaliseRows(rows: Float32Array, d_model: number): number {
  const count = rows.length / d_model;
  let sum = 0;
  for (let i = 0; i < rows.length; i++) sum += rows[i] * rows[i];
  const meanSquaredNorm = count > 0 ? sum / count : 0;
  if (!(meanSquaredNorm > 0)) throw new Error('the activation shards hold only zero rows: nothing to train on');
  const scale = Math.sqrt(d_model / meanSquaredNorm);
  for (let i = 0; i < rows.length; i++) rows[i] *= scale;
  return scale;
}

/** The mean Euclidean length of the rows ([count, d_model]): the scale steering strengths are measured in. */
export function meanRowNorm(rows: Float32Array, d_model: number): number {
  const count = rows.length / d_model;
  let total = 0;
  for (let r = 0; r < count; r++) {
    let squares = 0;
    for (let i = r * d_model; i < (r + 1) * d_model; i++) squares += rows[i] * rows[i];
    total += Math.sqrt(squares);
  }
  return count > 0 ? total / count : 0;
}

/**
 * An SAE trained on inputs × scale, rewritten to read and write the unscaled stream:
 * encode(scale·x) = (scale·W_enc)ᵀ(x − b_dec/scale) + b_enc, and the decoder writes x̂/scale.
 * Latent activations are unchanged; decoder directions too, up to length.
 */
export function foldInputScale(weights: SaeWeights, scale: number): SaeWeights {
  return foldInputScaleInPlace({ ...weights, W_enc: weights.W_enc.slice(), b_dec: weights.b_dec.slice(), W_dec: weights.W_dec.slice() }, scale);
}

/**
 * foldInputScale on weights nobody else holds (just read from files), rewritten where they lie: an
 * import of 16,384-latent SAEs then never holds each one twice.
 */
export function foldInputScaleInPlace(weights: SaeWeights, scale: number): SaeWeights {
  const { W_enc, b_dec, W_dec } = weights;
  for (let i = 0; i < W_enc.length; i++) W_enc[i] *= scale;
  for (let i = 0; i < b_dec.length; i++) b_dec[i] /= scale;
  for (let i = 0; i < W_dec.length; i++) W_dec[i] /= scale;
  return weights;
}
