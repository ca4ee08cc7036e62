import { describe, expect, it } from 'vitest';
import { BIGRAM_BETAS, bigramLoss, heldOutWindows, targetPairs, unigramLoss } from '../../../src/core/lm/ngram-baselines';

/** A seeded Markov stream: token t is followed by (t + 1) mod V with probability 0.8, else uniformly. */
function markovStream(length: number, vocab: number, seed: number): Int32Array {
  let s = seed >>> 0 || 1;
  const random = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const out = new Int32Array(length);
  for (let i = 1; i < length; i++) out[i] = random() < 0.8 ? (out[i - 1] + 1) % vocab : Math.floor(random() * vocab);
  return out;
}

describe('n-gram baselines of a language model', () => {
  it('windows overlap by one token, so every held-out token after the first is a target exactly once', () => {
    const tokens = Int32Array.from({ length: 23 }, (_, i) => i);
    const windows = heldOutWindows(tokens, 5);
    expect(windows.map((w) => [...w])).toEqual([[0, 1, 2, 3, 4, 5], [5, 6, 7, 8, 9, 10], [10, 11, 12, 13, 14, 15], [15, 16, 17, 18, 19, 20]]);
    const pairs = targetPairs(windows);
    expect([...pairs.target]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect([...pairs.previous]).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('equal a brute-force count of the same smoothed models', () => {
    const vocab = 7;
    const train = markovStream(500, vocab, 3);
    const held = markovStream(60, vocab, 9);
    const pairs = targetPairs(heldOutWindows(held, 10));
    // Brute force: full count tables, probabilities written out.
    const uni = Array.from({ length: vocab }, (_, t) => (train.filter((x) => x === t).length + 1) / (train.length + vocab));
    const bi = (s: number, t: number) => {
      let c = 0;
      let cs = 0;
      for (let i = 0; i + 1 < train.length; i++) {
        if (train[i] === s) cs++;
        if (train[i] === s && train[i + 1] === t) c++;
      }
      return { c, cs };
    };
    const expectedUni = -[...pairs.target].reduce((sum, t) => sum + Math.log(uni[t]), 0) / pairs.target.length;
    expect(unigramLoss(train, pairs, vocab)).toBeCloseTo(expectedUni, 12);
    const perBeta = BIGRAM_BETAS.map((beta) => -[...pairs.target].reduce((sum, t, i) => {
      const { c, cs } = bi(pairs.previous[i], t);
      return sum + Math.log((c + beta * uni[t]) / (cs + beta));
    }, 0) / pairs.target.length);
    const best = Math.min(...perBeta);
    const { loss, beta } = bigramLoss(train, pairs, vocab);
    expect(loss).toBeCloseTo(best, 12);
    expect(beta).toBe(BIGRAM_BETAS[perBeta.indexOf(best)]);
  });

  it("recover a planted Markov chain's entropy rate, which the unigram cannot see", () => {
    const vocab = 16;
    const train = markovStream(200_000, vocab, 5);
    const pairs = targetPairs(heldOutWindows(markovStream(20_000, vocab, 77), 128));
    // Next token: p = 0.8 + 0.2/V for the successor, 0.2/V for each other.
    const pNext = 0.8 + 0.2 / vocab;
    const entropy = -(pNext * Math.log(pNext) + (vocab - 1) * (0.2 / vocab) * Math.log(0.2 / vocab));
    expect(bigramLoss(train, pairs, vocab).loss).toBeCloseTo(entropy, 2);
    expect(unigramLoss(train, pairs, vocab)).toBeCloseTo(Math.log(vocab), 2);
  });
});
