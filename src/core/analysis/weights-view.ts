/** Per-feature views of an SAE's weights (copies, safe to transfer to another thread). */
import type { SaeWeights } from '../sae/weights';

/** Feature j's decoder direction: row j of W_dec [d_in]. */
export function decoderRow(w: SaeWeights, j: number): Float32Array {
  return w.W_dec.slice(j * w.d_in, (j + 1) * w.d_in);
}

/** Feature j's encoder vector: column j of W_enc [d_in]. */
export function encoderColumn(w: SaeWeights, j: number): Float32Array {
  return Float32Array.from({ length: w.d_in }, (_, i) => w.W_enc[i * w.d_sae + j]);
}

/** Euclidean norm of every decoder row [d_sae]. */
export function decoderNorms(w: SaeWeights): Float32Array {
  const out = new Float32Array(w.d_sae);
  for (let j = 0; j < w.d_sae; j++) {
    let sum = 0;
    for (let i = j * w.d_in; i < (j + 1) * w.d_in; i++) sum += w.W_dec[i] * w.W_dec[i];
    out[j] = Math.sqrt(sum);
  }
  return out;
}
