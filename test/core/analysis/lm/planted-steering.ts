// A tiny GPT-NeoX with tied embeddings and an SAE feature planted to make it write one token: a steering
// ground truth shared by the steering-success tests.
import { afterAll } from 'vitest';
import { residPre } from '../../../../src/core/model';
import { Rng } from '../../../../src/core/rng';
import type { SaeWeights } from '../../../../src/core/sae/weights';
import type { Activation } from '../../../../src/core/train/config';
import { TINY_SIZES } from '../../../helpers/tiny-neox';
import { tinyModel } from './helpers';

export const D = TINY_SIZES.hidden;
export const V = TINY_SIZES.vocab;
export const RELU: Activation = { kind: 'relu', l1Coeff: 0 };
// Tied embeddings: the unembedding of token t is its input embedding, which lets one direction both make
// the model write t and be read back from t (below).
export const { neox, model } = tinyModel({ seed: 2, tied: true });
afterAll(() => model.dispose());
export const HOOK = residPre(0); // the token embeddings: a clean pass reads exactly which tokens were written
export const PROMPTS = [
  [12, 40, 3],
  [27, 8, 31, 16],
  [45, 22, 7],
];
const embedding = (t: number) => neox.tensors['gpt_neox.embed_in.weight'].data.subarray(t * D, (t + 1) * D);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);

/**
 * The planted feature for token t: direction d ∝ centred(embed[t] / γ_final). A huge α·d in the stream
 * dominates the final LayerNorm, whose output then is about γ ⊙ centred(d) ∝ centred(embed[t]), so the
 * logits (tied: embed · LN) favour t. The encoder reads the same d, with a threshold halfway between
 * ⟨embed[t], d⟩ and the largest ⟨embed[u], d⟩ of any other token: it fires exactly on t.
 */
export function plantedFeature(t: number) {
  const gamma = neox.tensors['gpt_neox.final_layer_norm.weight'].data;
  const scaled = Array.from(embedding(t), (v, i) => v / gamma[i]);
  const mean = scaled.reduce((a, b) => a + b, 0) / D;
  const centred = scaled.map((v) => v - mean);
  const norm = Math.hypot(...centred);
  const d = Float32Array.from(centred, (v) => v / norm);
  const own = dot(embedding(t), d);
  const others = Math.max(...Array.from({ length: V }, (_, u) => (u === t ? -Infinity : dot(embedding(u), d))));
  return { d, threshold: (own + others) / 2, separable: own > others };
}

/** Feature 0 planted; features 1 and 2 random, for the recount. */
export function plantedSae(t: number): SaeWeights {
  const { d, threshold } = plantedFeature(t);
  const rng = new Rng(21);
  const W_dec = rng.fillNormal(new Float32Array(3 * D), 1 / Math.sqrt(D));
  const W_enc = rng.fillNormal(new Float32Array(D * 3), 1 / Math.sqrt(D));
  W_dec.set(d, 0);
  for (let i = 0; i < D; i++) W_enc[i * 3] = d[i];
  return { d_in: D, d_sae: 3, W_enc, b_enc: Float32Array.from([-threshold, 0.3, -0.4]), W_dec, b_dec: new Float32Array(D) };
}

export const TARGET = Array.from({ length: V - 2 }, (_, i) => i + 2).find((t) => plantedFeature(t).separable)!;
export const weights = plantedSae(TARGET);
