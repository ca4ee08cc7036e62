import type { InitConfig } from '../train/config';
import { Rng } from '../rng';
import type { SaeWeights } from './weights';
import { geometricMedian } from './geometric-median';
import { transpose } from '../host-matrix';

/**
 * Kaiming-uniform for a linear map with `fanIn` inputs (PyTorch's kaiming_uniform_ with a = 0):
 * U(−√(6/fan_in), √(6/fan_in)).
 */
function kaimingUniform(rng: Rng, size: number, fanIn: number): Float32Array {
  const bound = Math.sqrt(6 / fanIn);
  return rng.fillUniform(new Float32Array(size), -bound, bound);
}

/** Scale each row of a row-major [rows, cols] matrix to unit Euclidean length, in place. */
export function normalizeRows(m: Float32Array, rows: number, cols: number): Float32Array {
  for (let r = 0; r < rows; r++) {
    let norm2 = 0;
    for (let c = 0; c < cols; c++) norm2 += m[r * cols + c] ** 2;
    const inv = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
    for (let c = 0; c < cols; c++) m[r * cols + c] *= inv;
  }
  return m;
}

/**
 * Initial weights, drawn from `rng` on the CPU so a seed gives the same start on every backend.
 * `firstBatch` ([n, d_in]) is needed only for the b_dec initialisations that look at data.
 */
export function initWeights(
  d_in: number,
  d_sae: number,
  init: InitConfig,
  rng: Rng,
  firstBatch?: { data: Float32Array; rows: number },
): SaeWeights {
  // Decoder W_dec [d_sae, d_in] maps d_sae latents to d_in outputs: fan_in = d_sae.
  const W_dec = kaimingUniform(rng, d_sae * d_in, d_sae);
  if (init.tied || init.unitNormDecoder) normalizeRows(W_dec, d_sae, d_in);
  const W_enc = init.tied ? transpose(W_dec, d_sae, d_in) : kaimingUniform(rng, d_in * d_sae, d_in);
  return { d_in, d_sae, W_enc, b_enc: new Float32Array(d_sae), W_dec, b_dec: initialDecoderBias(d_in, init, firstBatch) };
}

function initialDecoderBias(d_in: number, init: InitConfig, firstBatch?: { data: Float32Array; rows: number }): Float32Array {
  if (!init.biases || init.bDecInit === 'zeros') return new Float32Array(d_in);
  if (!firstBatch) throw new Error(`b_dec initialisation '${init.bDecInit}' needs the first batch`);
  const { data, rows } = firstBatch;
  if (init.bDecInit === 'geometric-median') return geometricMedian(data, rows, d_in);
  const mean = new Float32Array(d_in);
  for (let i = 0; i < rows; i++) for (let j = 0; j < d_in; j++) mean[j] += data[i * d_in + j] / rows;
  return mean;
}
