import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../../../src/core/model';
import { tinyTokenizerFiles } from '../../helpers/tiny-neox';

const { tokenizerJson, tokenizerConfig } = tinyTokenizerFiles();

describe('tokenizer (byte-level BPE, tokenizer.json + tokenizer_config.json)', () => {
  const tokenizer = createTokenizer(tokenizerJson, tokenizerConfig);
  const vocab = (tokenizerJson.model as { vocab: Record<string, number> }).vocab;

  it('round-trips text, spaces before punctuation included', () => {
    for (const text of ['the cat sat on the mat.', 'in the water , a bird!', ' leading and  double spaces', '']) {
      expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    }
  });

  it('applies the BPE merges and the byte-level space marker', () => {
    expect(tokenizer.encode('the the')).toEqual([vocab.the, vocab['Ġthe']]);
    expect(tokenizer.encode('at')).toEqual([vocab.at]);
  });

  it('reads bos/eos from tokenizer_config.json and prepends bos on request', () => {
    expect(tokenizer.bosTokenId).toBe(0);
    expect(tokenizer.eosTokenId).toBe(0);
    expect(tokenizer.encode('a', { prependBos: true })).toEqual([0, vocab.a]);
    expect(tokenizer.vocabSize).toBe(Object.keys(vocab).length);
  });

  it('accepts special tokens written as AddedToken objects, and no tokenizer_config at all', () => {
    const withObject = createTokenizer(tokenizerJson, { ...tokenizerConfig, bos_token: { __type: 'AddedToken', content: '<|padding|>' } });
    expect(withObject.bosTokenId).toBe(1);
    const bare = createTokenizer(tokenizerJson);
    expect(bare.bosTokenId).toBeNull();
    expect(() => bare.encode('a', { prependBos: true })).toThrow(/no "bos_token"/);
  });

  it('names the file when it is not a tokenizer', () => {
    expect(() => createTokenizer({ version: '1.0' })).toThrow(/tokenizer\.json: not a Hugging Face tokenizer/);
    expect(() => createTokenizer(tokenizerJson, { eos_token: '<|nope|>' })).toThrow(/tokenizer_config\.json: "eos_token" "<\|nope\|>" is not in/);
    expect(() => createTokenizer({ model: { type: 'Mystery' } })).toThrow(/tokenizer\.json: cannot build the tokenizer/);
  });
});
