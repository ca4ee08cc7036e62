/**
 * The yardsticks a language model's held-out loss is read against: a unigram and a bigram model of the
 * training tokens, scored on exactly the (previous token, target) pairs the model is scored on. Both are
 * smoothed so no held-out token has probability zero:
 * - unigram: add-one, p(t) = (c(t) + 1) / (N + V);
 * - bigram: interpolated with the unigram (Dirichlet prior of weight β), p(t | s) = (c(s, t) + β·p₁(t)) / (c(s) + β),
 *   with β chosen from a grid to minimise the held-out loss itself: the baseline's best case, so a model
 *   that beats it beats every β.
 */

/** The next-token pairs a model predicts in `windows` (each context + 1 tokens): positions 1… of each. */
export interface TargetPairs {
  previous: Int32Array;
  target: Int32Array;
}

/**
 * Consecutive windows of `context + 1` tokens over a held-out stream, overlapping by one token so that every
 * token after the first is a target exactly once (a shorter last window is dropped).
 */
export function heldOutWindows(tokens: Int32Array, context: number): Int32Array[] {
  const windows: Int32Array[] = [];
  for (let start = 0; start + context + 1 <= tokens.length; start += context) windows.push(tokens.subarray(start, start + context + 1));
  return windows;
}

export function targetPairs(windows: readonly Int32Array[]): TargetPairs {
  const count = windows.reduce((n, w) => n + w.length - 1, 0);
  const previous = new Int32Array(count);
  const target = new Int32Array(count);
  let at = 0;
  for (const w of windows) {
    previous.set(w.subarray(0, w.length - 1), at);
    target.set(w.subarray(1), at);
    at += w.length - 1;
  }
  return { previous, target };
}

/** Add-one unigram probabilities of the training tokens. */
export function unigramProbabilities(train: Int32Array, vocabSize: number): Float64Array {
  const counts = new Float64Array(vocabSize);
  for (const t of train) counts[t]++;
  return counts.map((c) => (c + 1) / (train.length + vocabSize));
}

/** Mean negative log-likelihood (nats) of the targets under the add-one unigram model. */
export function unigramLoss(train: Int32Array, pairs: TargetPairs, vocabSize: number): number {
  const p = unigramProbabilities(train, vocabSize);
  let sum = 0;
  for (const t of pairs.target) sum -= Math.log(p[t]);
  return sum / pairs.target.length;
}

export const BIGRAM_BETAS = [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000] as const;

/** Mean NLL (nats) of the targets under the interpolated bigram model, at its best β of {@link BIGRAM_BETAS}. */
export function bigramLoss(train: Int32Array, pairs: TargetPairs, vocabSize: number): { loss: number; beta: number } {
  const unigram = unigramProbabilities(train, vocabSize);
  const fromCounts = new Float64Array(vocabSize);
  // Only the pairs the targets ask for are counted: a map keyed by previous · V + target.
  const wanted = new Map<number, number>();
  for (let i = 0; i < pairs.target.length; i++) wanted.set(pairs.previous[i] * vocabSize + pairs.target[i], 0);
  for (let i = 0; i + 1 < train.length; i++) {
    fromCounts[train[i]]++;
    const key = train[i] * vocabSize + train[i + 1];
    const c = wanted.get(key);
    if (c !== undefined) wanted.set(key, c + 1);
  }
  let best = { loss: Infinity, beta: NaN };
  for (const beta of BIGRAM_BETAS) {
    let sum = 0;
    for (let i = 0; i < pairs.target.length; i++) {
      const s = pairs.previous[i];
      const t = pairs.target[i];
      sum -= Math.log((wanted.get(s * vocabSize + t)! + beta * unigram[t]) / (fromCounts[s] + beta));
    }
    const loss = sum / pairs.target.length;
    if (loss < best.loss) best = { loss, beta };
  }
  return best;
}
