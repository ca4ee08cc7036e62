// The TopK SAE's training step kept sparse. A TopK row has k non-zero activations out of d_sae
// (40 of 16,384 in the Pythia setting), yet the dense path multiplies full [batch, d_sae] matrices:
// the decoding and its two backward products, AuxK's decoding and its two, and the encoder's two
// backward products, whose incoming gradient is zero outside the selected latents. Here each of
// those becomes a gather or a scatter-add of one d_in-long row per selected latent and example
// (src/core/sae/row-kernels.ts), over the backend's host memory: wasm and cpu keep tensors in host
// memory, so reading one back is a copy, not a device round trip. Only the encoder's forward product
// stays dense: it is what finds the top k. The results equal the dense path's up to float32
// rounding (test/core/train/sparse-topk.test.ts).

import { tf } from '../tf';
import type { TrainConfig } from '../train/config';
import type { SaeParams } from './params';
import { rowOps } from './row-kernels';
import { takesSparsePath } from './sparse-path';
import { transpose } from '../host-matrix';

/** TopK activations as `slots` (latent, value) pairs per row instead of a [batch, d_sae] matrix. */
export interface SparseCodes {
  /**
   * [batch, slots] activation values, differentiable. A slot whose value is 0 is empty: its latent
   * was selected but did not fire (ReLU(z) = 0), and it gets no gradient, as ReLU gives none at 0.
   */
  values: tf.Tensor2D;
  /** The latent of each slot, row-major [batch · slots]; fixed for the step, so plain numbers. */
  latents: Int32Array;
  slots: number;
}

export interface SparseEncoding {
  /** TopK(ReLU(z)): the activations the SAE decodes. */
  main: SparseCodes;
  /** AuxK's selection: the top k_aux of ReLU(z) among dead latents, when asked for. */
  aux?: SparseCodes;
  /** On how many rows of the batch each latent fired [d_sae] (main selection only). */
  firedOn: tf.Tensor1D;
}

/**
 * z = (x − b_dec) W_enc + b_enc and its TopK(ReLU) activations, kept sparse, with gradients to
 * W_enc, b_enc and b_dec. With `aux`, also the top `aux.k` of ReLU(z) among latents where
 * `aux.dead` ([d_sae], 0/1) is 1, from the same z. The selections are fixed in the backward pass,
 * as in the dense path (and PyTorch's autograd).
 */
export function encodeTopKSparse(p: SaeParams, x: tf.Tensor2D, k: number, aux?: { k: number; dead: tf.Tensor1D }): SparseEncoding {
  const [batch] = x.shape;
  const [d_in, d_sae] = p.W_enc.shape;
  const kMain = Math.min(k, d_sae);
  const kAux = aux ? Math.min(aux.k, d_sae) : 0;
  const slots = kMain + kAux;
  const mainLatents = new Int32Array(batch * kMain);
  const auxLatents = new Int32Array(batch * kAux);
  const firedOn = new Float32Array(d_sae);
  // Both selections side by side, [batch, slots], as the encoder's backward pass sees them.
  const latents = new Int32Array(batch * slots);

  const op = tf.customGrad(((xc: tf.Tensor2D, wEnc: tf.Tensor2D, bEnc: tf.Tensor1D, save: tf.GradSaveFunc) => {
    // Ops in a custom gradient's forward are not taped, so TopK (which has no gradient) may run here.
    const z = tf.tidy(() => tf.add(tf.matMul(xc, wEnc), bEnc)) as tf.Tensor2D;
    const values = new Float32Array(batch * slots);
    try {
      selectInto(z, kMain, mainLatents, values, slots, 0);
      if (aux) {
        // Dead latents keep z, the others drop to about −1e30, which TopK never prefers and ReLU zeroes.
        // An add of a [d_sae] row rather than tf.where: tfjs-wasm broadcasts `where` through a Tile.
        const candidates = tf.tidy(() => tf.add(z, tf.mul(tf.sub(aux.dead, 1), 1e30)));
        try {
          selectInto(candidates as tf.Tensor2D, kAux, auxLatents, values, slots, kMain);
        } finally {
          candidates.dispose();
        }
      }
    } finally {
      z.dispose();
    }
    for (let b = 0; b < batch; b++) {
      for (let s = 0; s < kMain; s++) {
        latents[b * slots + s] = mainLatents[b * kMain + s];
        if (values[b * slots + s] > 0) firedOn[mainLatents[b * kMain + s]] += 1;
      }
      for (let s = 0; s < kAux; s++) latents[b * slots + kMain + s] = auxLatents[b * kAux + s];
    }
    save([xc, wEnc]);
    return {
      value: tf.tensor2d(values, [batch, slots]),
      gradFunc: (dy: tf.Tensor2D, [savedXc, savedWEnc]: tf.Tensor2D[]) => {
        const grads = encoderGradients(dy.dataSync() as Float32Array, filledPairs(values, latents, slots, d_sae), savedXc.dataSync() as Float32Array, savedWEnc.dataSync() as Float32Array, batch, d_in, d_sae);
        return [tf.tensor2d(grads.xc, [batch, d_in]), tf.tensor2d(grads.W_enc, [d_in, d_sae]), tf.tensor1d(grads.b_enc)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (xc: tf.Tensor2D, wEnc: tf.Tensor2D, bEnc: tf.Tensor1D) => tf.Tensor2D;

  const all = op(tf.sub(x, p.b_dec) as tf.Tensor2D, p.W_enc, p.b_enc);
  const codes = (start: number, count: number, latents: Int32Array): SparseCodes => ({
    values: tf.slice(all, [0, start], [batch, count]),
    latents,
    slots: count,
  });
  return {
    main: codes(0, kMain, mainLatents),
    aux: aux ? codes(kMain, kAux, auxLatents) : undefined,
    firedOn: tf.tensor1d(firedOn),
  };
}

/**
 * The top `k` entries of each row of `scores` into `latents` [rows · k] and their ReLU into
 * `values` at columns offset.. of a [rows, stride] layout.
 */
function selectInto(scores: tf.Tensor2D, k: number, latents: Int32Array, values: Float32Array, stride: number, offset: number): void {
  const top = tf.topk(scores, k, false);
  try {
    latents.set(top.indices.dataSync() as Int32Array);
    const v = top.values.dataSync();
    const rows = scores.shape[0];
    for (let b = 0; b < rows; b++) {
      for (let s = 0; s < k; s++) {
        const value = v[b * k + s];
        values[b * stride + offset + s] = value > 0 ? value : 0;
      }
    }
  } finally {
    tf.dispose([top.values, top.indices]);
  }
}

/**
 * Gradients of the encoder from the gradient `g` [batch, slots] of the selected activations:
 * dz is g at each filled slot's latent and 0 elsewhere, so dW_enc = xcᵀ dz, dxc = dz W_encᵀ and
 * db_enc = Σ_rows dz each touch only the filled slots. A latent in both selections (a dead latent
 * that fired) gets both contributions, as the sum of the two dense gradients would give it.
 */
function encoderGradients(g: Float32Array, pairs: Pairs, xc: Float32Array, wEnc: Float32Array, batch: number, d_in: number, d_sae: number): { xc: Float32Array; W_enc: Float32Array; b_enc: Float32Array } {
  const { count, rows, latents, slots } = pairs;
  const grad = new Float32Array(count);
  const dBEnc = new Float32Array(d_sae);
  for (let p = 0; p < count; p++) {
    grad[p] = g[slots[p]];
    dBEnc[latents[p]] += grad[p];
  }
  const ops = rowOps();
  // Latent j's encoder vector is column j of W_enc: transposed, it is a contiguous row.
  const dWEncT = new Float32Array(d_sae * d_in);
  ops.axpy(count, grad, rows, latents, xc, dWEncT, d_in);
  const dXc = new Float32Array(batch * d_in);
  ops.axpy(count, grad, latents, rows, transpose(wEnc, d_in, d_sae), dXc, d_in);
  return { xc: dXc, W_enc: transpose(dWEncT, d_sae, d_in), b_enc: dBEnc };
}

/** The filled slots of a [batch, slots] selection as (row, latent, slot index) triples. */
interface Pairs {
  count: number;
  rows: Int32Array;
  latents: Int32Array;
  slots: Int32Array;
}

/**
 * The slots whose value is not 0, ordered by latent (a counting sort): the loops then read or write
 * each latent's row of a [d_sae, d_in] matrix in one stretch. In slot order they jump between rows
 * of a 32 MB matrix and ran at a quarter of the speed.
 */
function filledPairs(values: Float32Array, latentOfSlot: Int32Array, slotsPerRow: number, d_sae: number): Pairs {
  const starts = new Int32Array(d_sae + 1);
  for (let at = 0; at < values.length; at++) if (values[at] !== 0) starts[latentOfSlot[at] + 1] += 1;
  for (let j = 0; j < d_sae; j++) starts[j + 1] += starts[j];
  const count = starts[d_sae];
  const rows = new Int32Array(count);
  const latents = new Int32Array(count);
  const slots = new Int32Array(count);
  for (let at = 0; at < values.length; at++) {
    if (values[at] === 0) continue;
    const j = latentOfSlot[at];
    const p = starts[j]++;
    rows[p] = Math.floor(at / slotsPerRow);
    latents[p] = j;
    slots[p] = at;
  }
  return { count, rows, latents, slots };
}

/**
 * x̂ without bias, Σ_slots value · W_dec[latent] per row: [batch, d_in]. The backward pass gives
 * each filled slot dy · W_dec[latent] and scatter-adds value · dy into the latent's row of dW_dec.
 */
export function decodeSparse(codes: SparseCodes, W_dec: tf.Tensor2D): tf.Tensor2D {
  const [d_sae, d_in] = W_dec.shape;
  const op = tf.customGrad(((values: tf.Tensor2D, wDec: tf.Tensor2D) => {
    const batch = values.shape[0];
    const v = values.dataSync() as Float32Array;
    // Read once and kept for the backward pass: on wasm every read is a copy of the whole matrix.
    const w = wDec.dataSync() as Float32Array;
    const pairs = filledPairs(v, codes.latents, codes.slots, d_sae);
    const coef = new Float32Array(pairs.count);
    for (let p = 0; p < pairs.count; p++) coef[p] = v[pairs.slots[p]];
    const ops = rowOps();
    const out = new Float32Array(batch * d_in);
    ops.axpy(pairs.count, coef, pairs.latents, pairs.rows, w, out, d_in);
    return {
      value: tf.tensor2d(out, [batch, d_in]),
      gradFunc: (dy: tf.Tensor2D) => {
        const g = dy.dataSync() as Float32Array;
        const dots = new Float32Array(pairs.count);
        ops.dot(pairs.count, pairs.rows, pairs.latents, g, w, d_in, dots);
        const dValues = new Float32Array(batch * codes.slots);
        for (let p = 0; p < pairs.count; p++) dValues[pairs.slots[p]] = dots[p];
        const dW = new Float32Array(d_sae * d_in);
        ops.axpy(pairs.count, coef, pairs.rows, pairs.latents, g, dW, d_in);
        return [tf.tensor2d(dValues, [batch, codes.slots]), tf.tensor2d(dW, [d_sae, d_in])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (values: tf.Tensor2D, wDec: tf.Tensor2D) => tf.Tensor2D;
  return op(codes.values, W_dec);
}


/** Whether TopK training takes the sparse path on `backend` (by default the active one): see takesSparsePath. */
export function sparseTopKPays(config: TrainConfig, backend: string = tf.getBackend()): boolean {
  return takesSparsePath(config, backend);
}
