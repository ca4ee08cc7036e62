/**
 * Which tokens a feature's decoder direction promotes and suppresses when written into the residual
 * stream: the direct path to the logits, W_Uᵀ·d (model.weights.unembed is W_U stored [d_model, vocab]).
 *
 * No final LayerNorm: the direction is a change added to the stream, not a stream. LayerNorm would
 * centre and rescale d as if it were a whole residual vector (about unit variance), giving a different
 * shape than the change d makes to the logits of a real stream, where LN's scale comes from the stream
 * itself. Leaving LN out (as is usual for SAE dashboards) ranks tokens by the direct effect up to the
 * per-stream scale, which is the same for every token.
 */
import type { GptNeox } from '../../model';
import { tf } from '../../tf';

export interface TokenLogit {
  token: number;
  logit: number;
}

export interface LogitLens {
  /** The topN largest entries of W_Uᵀ·d, largest first. */
  promoted: TokenLogit[];
  /** The topN smallest entries, smallest first. */
  suppressed: TokenLogit[];
}

export async function logitLens(model: GptNeox, direction: ArrayLike<number>, topN = 10): Promise<LogitLens> {
  const { hiddenSize, vocabSize } = model.config;
  if (direction.length !== hiddenSize) throw new Error(`logitLens: direction has ${direction.length} values, the model's d_model is ${hiddenSize}`);
  if (!Number.isSafeInteger(topN) || topN < 1) throw new Error(`logitLens: topN ${topN} must be a positive integer`);
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(Float32Array.from(direction), [1, hiddenSize]), model.weights.unembed)); // [1, vocab]
  let logits: Float32Array;
  try {
    logits = (await product.data()) as Float32Array;
  } finally {
    product.dispose();
  }
  const order = Array.from({ length: vocabSize }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b);
  const count = Math.min(topN, vocabSize);
  const entry = (token: number): TokenLogit => ({ token, logit: logits[token] });
  return { promoted: order.slice(0, count).map(entry), suppressed: order.slice(-count).reverse().map(entry) };
}
