// An independent, plain double-precision SAE and loss, written from the definitions in PAPER.md,
// sharing no code with src/core. Tests compare the tfjs implementation against it.
import type { TrainConfig } from '../../src/core/train/config';

export interface Weights64 {
  d_in: number;
  d_sae: number;
  W_enc: Float64Array; // [d_in, d_sae]
  b_enc: Float64Array;
  W_dec: Float64Array; // [d_sae, d_in]
  b_dec: Float64Array;
}

/** Row-major batch x [n, d_in] → pre-activations [n, d_sae]. */
export function pre(w: Weights64, x: Float64Array, n: number): Float64Array {
  const z = new Float64Array(n * w.d_sae);
  for (let s = 0; s < n; s++)
    for (let j = 0; j < w.d_sae; j++) {
      let acc = w.b_enc[j];
      for (let i = 0; i < w.d_in; i++) acc += (x[s * w.d_in + i] - w.b_dec[i]) * w.W_enc[i * w.d_sae + j];
      z[s * w.d_sae + j] = acc;
    }
  return z;
}

/** Keep the k largest of each row among `eligible` latents, ReLU'd. */
export function topk(z: Float64Array, n: number, m: number, k: number, eligible?: boolean[]): Float64Array {
  const f = new Float64Array(n * m);
  for (let s = 0; s < n; s++) {
    const idx = [...Array(m).keys()].filter((j) => !eligible || eligible[j]);
    idx.sort((a, b) => z[s * m + b] - z[s * m + a]);
    for (const j of idx.slice(0, k)) f[s * m + j] = Math.max(0, z[s * m + j]);
  }
  return f;
}

export function decode(w: Weights64, f: Float64Array, n: number, withBias = true): Float64Array {
  const out = new Float64Array(n * w.d_in);
  for (let s = 0; s < n; s++)
    for (let i = 0; i < w.d_in; i++) {
      let acc = withBias ? w.b_dec[i] : 0;
      for (let j = 0; j < w.d_sae; j++) acc += f[s * w.d_sae + j] * w.W_dec[j * w.d_in + i];
      out[s * w.d_in + i] = acc;
    }
  return out;
}

const sum = (a: ArrayLike<number>, g: (v: number) => number = (v) => v) => {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += g(a[i]);
  return t;
};

/**
 * Total loss. `fixedResidual` stands in for the detached residual of AuxK (a constant to the
 * gradient); when absent it is computed from the current weights.
 */
export function referenceLoss(w: Weights64, x: Float64Array, n: number, c: TrainConfig, dead: boolean[], fixedResidual?: Float64Array): number {
  const z = pre(w, x, n);
  const a = c.activation;
  const f = a.kind === 'relu' ? z.map((v) => Math.max(0, v)) : topk(z, n, w.d_sae, a.k);
  const xHat = decode(w, f, n);
  const residual = x.map((v, i) => v - xHat[i]);
  let loss = sum(residual, (v) => v * v) / residual.length;
  if (a.kind === 'relu') loss += a.l1Coeff * sum(f, Math.abs) / f.length;
  if (a.kind === 'topk' && a.auxkCoeff > 0) {
    const nDead = dead.filter(Boolean).length;
    const k = Math.min(a.kAux, w.d_sae);
    const eHat = decode(w, topk(z, n, w.d_sae, k, dead), n, false);
    const e = fixedResidual ?? residual;
    const err = sum(eHat.map((v, i) => v - e[i]), (v) => v * v);
    const mean = new Float64Array(w.d_in);
    for (let s = 0; s < n; s++) for (let i = 0; i < w.d_in; i++) mean[i] += x[s * w.d_in + i] / n;
    const variance = sum(x.map((v, idx) => v - mean[idx % w.d_in]), (v) => v * v);
    loss += a.auxkCoeff * Math.min(nDead / k, 1) * (err / variance);
  }
  const p = c.penalty;
  const mats = [...(p.on !== 'decoder' ? [w.W_enc] : []), ...(p.on !== 'encoder' ? [w.W_dec] : [])];
  for (const m of mats) {
    if (p.kind === 'l1') loss += p.coeff * sum(m, Math.abs) / m.length;
    if (p.kind === 'l2') loss += p.coeff * sum(m, (v) => v * v);
    if (p.kind === 'l2-unsquared') loss += p.coeff * Math.sqrt(sum(m, (v) => v * v));
  }
  return loss;
}

export function residualOf(w: Weights64, x: Float64Array, n: number, c: TrainConfig): Float64Array {
  const z = pre(w, x, n);
  const a = c.activation;
  const f = a.kind === 'relu' ? z.map((v) => Math.max(0, v)) : topk(z, n, w.d_sae, a.k);
  const xHat = decode(w, f, n);
  return x.map((v, i) => v - xHat[i]);
}
