// Shared fixtures for the alignment tests: a seeded RNG, orthonormal directions (so cosines
// between constructed features are known exactly) and SAEs built from chosen feature directions.

import type { SaeWeights } from '../../../src/core/sae/weights';

/** Mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function shuffled(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const k = Math.floor(random() * (i + 1));
    [order[i], order[k]] = [order[k], order[i]];
  }
  return order;
}

/** `count` orthonormal vectors of length `dim` in a random rotation (Gram–Schmidt on Gaussians). */
export function orthonormalDirections(count: number, dim: number, random: () => number): Float64Array[] {
  const basis: Float64Array[] = [];
  while (basis.length < count) {
    const v = Float64Array.from({ length: dim }, () => gaussian(random));
    for (const q of basis) {
      const projection = dot(v, q);
      for (let k = 0; k < dim; k++) v[k] -= projection * q[k];
    }
    const norm = Math.sqrt(dot(v, v));
    basis.push(v.map((x) => x / norm));
  }
  return basis;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/** Σ weight_k · direction_k. */
export function combine(terms: Array<[number, Float64Array]>): Float64Array {
  const out = new Float64Array(terms[0][1].length);
  for (const [weight, direction] of terms) for (let k = 0; k < out.length; k++) out[k] += weight * direction[k];
  return out;
}

/** An SAE whose feature j has decoder direction decoder[j] and encoder vector encoder[j]. */
export function saeFromFeatures(decoder: ArrayLike<number>[], encoder: ArrayLike<number>[]): SaeWeights {
  const d_sae = decoder.length;
  const d_in = decoder[0].length;
  const W_dec = new Float32Array(d_sae * d_in);
  const W_enc = new Float32Array(d_in * d_sae);
  for (let j = 0; j < d_sae; j++) {
    for (let i = 0; i < d_in; i++) {
      W_dec[j * d_in + i] = decoder[j][i];
      W_enc[i * d_sae + j] = encoder[j][i];
    }
  }
  return { d_in, d_sae, W_enc, b_enc: new Float32Array(d_sae), W_dec, b_dec: new Float32Array(d_in) };
}

/** An SAE with independent random Gaussian decoder and encoder vectors. */
export function randomSae(d_in: number, d_sae: number, random: () => number): SaeWeights {
  const vectors = () => Array.from({ length: d_sae }, () => Float64Array.from({ length: d_in }, () => gaussian(random)));
  return saeFromFeatures(vectors(), vectors());
}
