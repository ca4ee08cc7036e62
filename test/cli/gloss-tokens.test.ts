import { describe, expect, it } from 'vitest';
import { loadGlossCorpusTokens } from '../../src/cli/gloss-tokens';
import { createTokenizer } from '../../src/core/model/tokenizer';
import { loadGlossCorpusNode } from '../../src/io/wordnet-node';

/** Splits concatenated ids at each end-of-text id: one piece per document. */
function documents(tokens: Int32Array, eos: number): number[][] {
  const out: number[][] = [[]];
  for (const id of tokens) {
    if (id === eos) out.push([]);
    else out[out.length - 1].push(id);
  }
  expect(out.pop()).toEqual([]); // every document ends with the end-of-text id
  return out;
}

describe("train-lm's default corpus: WordNet's glosses, tokenized", () => {
  it('holds every document once, in its split, each decoding back to its text through the shipped tokenizer files', async () => {
    const [corpus, tokens] = await Promise.all([loadGlossCorpusNode(), loadGlossCorpusTokens(512)]);
    const tokenizer = createTokenizer(JSON.parse(JSON.stringify(tokens.tokenizerJson)), tokens.tokenizerConfig);
    expect(tokenizer.vocabSize).toBe(512);
    expect(tokens.vocabSize).toBe(512);
    const eos = tokens.eosTokenId!;
    const train = documents(tokens.train, eos);
    const heldOut = documents(tokens.heldOut, eos);
    const expectedTrain = corpus.filter((d) => d.split === 'train');
    const expectedHeldOut = corpus.filter((d) => d.split === 'heldout');
    expect(train.length).toBe(expectedTrain.length);
    expect(heldOut.length).toBe(expectedHeldOut.length);
    for (let i = 0; i < expectedTrain.length; i += 997) expect(tokenizer.decode(train[i])).toBe(expectedTrain[i].text);
    for (let i = 0; i < expectedHeldOut.length; i += 97) expect(tokenizer.decode(heldOut[i])).toBe(expectedHeldOut[i].text);
    expect(Math.max(...tokens.train.subarray(0, 100_000))).toBeLessThan(512);
  }, 120_000);
});
