import { describe, expect, it } from 'vitest';
import { BYTE_TO_UNICODE, bpeTokenizerConfig, bpeTokenizerJson, countPieces, trainBpe } from '../../../src/core/lm/bpe-trainer';
import { trainGlossTokenizer } from '../../../src/core/lm/gloss-tokenizer';
import { createTokenizer } from '../../../src/core/model';
import { loadGlossCorpusNode } from '../../../src/io/wordnet-node';

/** GPT-2's bytes_to_unicode as encoder.py writes it: printable bytes keep their code, the rest get 256, 257, … */
function referenceByteToUnicode(): string[] {
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
  const bs = [...range(33, 126), ...range(161, 172), ...range(174, 255)];
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const table: string[] = [];
  bs.forEach((b, i) => (table[b] = String.fromCharCode(cs[i])));
  return table;
}

/**
 * Brute-force BPE: recount every pair of every word occurrence before each merge, take the most
 * frequent (ties: smallest left string, then smallest right string), merge it everywhere left to right.
 */
function referenceMerges(texts: string[], vocabSize: number): string[] {
  const byteChars = referenceByteToUnicode();
  const pattern = new RegExp("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", 'gu');
  let words: string[][] = [];
  for (const text of texts) for (const piece of text.normalize('NFC').match(pattern) ?? []) words.push([...Buffer.from(piece, 'utf8')].map((b) => byteChars[b]));
  const merges: string[] = [];
  while (merges.length < vocabSize - 257) {
    const counts = new Map<string, number>();
    for (const word of words) for (let i = 0; i + 1 < word.length; i++) counts.set(`${word[i]} ${word[i + 1]}`, (counts.get(`${word[i]} ${word[i + 1]}`) ?? 0) + 1);
    if (counts.size === 0) break;
    let best: [string, string] | null = null;
    let bestCount = 0;
    for (const [key, count] of counts) {
      const pair = key.split(' ') as [string, string];
      const smaller = best !== null && (pair[0] < best[0] || (pair[0] === best[0] && pair[1] < best[1]));
      if (count > bestCount || (count === bestCount && smaller)) [best, bestCount] = [pair, count];
    }
    const [a, b] = best as [string, string];
    merges.push(`${a} ${b}`);
    words = words.map((word) => {
      const out: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (word[i] === a && word[i + 1] === b) {
          out.push(a + b);
          i++;
        } else out.push(word[i]);
      }
      return out;
    });
  }
  return merges;
}

const SMALL_CORPUS = [
  'the cat sat on the mat; "the cat sat"',
  'a member of the genus Canis; "the dog barked all night"',
  "aaaa aaa aa a -- don't stop, it's the end's end",
  'café naïve Zürich 東京 🙂🙂 ✓✓✓',
  'line one\nline two\n\n  indented\ttabbed   spaced  ',
  'numbers 1234 12 123 2026 and 3.14159',
];

const TRICKY_TEXTS = [
  'plain ASCII, with punctuation!? (and brackets) [x] {y} <z> ~`@#$%^&*_+=|\\/',
  'unicode: café, Straße, Ελληνικά, русский, 中文, 日本語, 한국어, עברית, العربية',
  'emoji: 🙂 👩‍👩‍👧 🇬🇧 🏳️‍🌈 and a skin tone 👍🏽',
  '   leading spaces, trailing spaces   ',
  'runs\n\n\nof\r\nnewlines\tand\t\ttabs \u00a0nbsp',
  '',
  ' ',
  "don't won't it's we're I'd you'll they've I'm",
  '<|endoftext|> is only special when the tokenizer sees it whole',
];

describe('byte-level BPE trainer', () => {
  it('uses GPT-2’s byte alphabet', () => {
    expect(BYTE_TO_UNICODE).toEqual(referenceByteToUnicode());
    expect([BYTE_TO_UNICODE[32], BYTE_TO_UNICODE[10]]).toEqual(['Ġ', 'Ċ']);
  });

  it('learns the same merges, in the same order, as a brute-force recount', () => {
    // 420 is more than the corpus has pairs for: both stop when every piece is one symbol.
    for (const vocabSize of [257, 300, 420]) {
      expect(trainBpe(countPieces(SMALL_CORPUS), { vocabSize }).merges).toEqual(referenceMerges(SMALL_CORPUS, vocabSize));
    }
  });

  it('matches the brute force on a slice of real glosses', async () => {
    const documents = (await loadGlossCorpusNode()).slice(40_000, 40_300).map((d) => d.text);
    const merges = trainBpe(countPieces(documents), { vocabSize: 700 }).merges;
    expect(merges).toHaveLength(700 - 257);
    expect(merges).toEqual(referenceMerges(documents, 700));
  });

  it('stops early when every piece is one token', () => {
    const model = trainBpe(countPieces(['ab ab']), { vocabSize: 1000 });
    expect(model.merges).toEqual(['a b', 'Ġ ab']);
    expect(Object.keys(model.vocab)).toHaveLength(1 + 256 + 2);
  });

  it('numbers the vocabulary: <|endoftext|> 0, bytes 1–256 in GPT-2 order, merges after', () => {
    const { vocab, merges } = trainBpe(countPieces(SMALL_CORPUS), { vocabSize: 300 });
    expect(vocab['<|endoftext|>']).toBe(0);
    expect([vocab['!'], vocab['~'], vocab['¡'], vocab['ÿ'], vocab[String.fromCharCode(256)]]).toEqual([1, 94, 95, 188, 189]);
    const ids = Object.values(vocab).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 300 }, (_, i) => i));
    merges.forEach((merge, k) => expect(vocab[merge.replace(' ', '')]).toBe(257 + k));
  });

  describe('as a tokenizer.json', () => {
    const model = trainBpe(countPieces(SMALL_CORPUS), { vocabSize: 350 });
    const tokenizer = createTokenizer(bpeTokenizerJson(model), bpeTokenizerConfig());

    it('round-trips arbitrary text exactly', () => {
      for (const text of [...TRICKY_TEXTS, ...SMALL_CORPUS]) expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    });

    it('NFC-normalises input, as Pythia’s tokenizer does', () => {
      expect(tokenizer.decode(tokenizer.encode('cafe\u0301'))).toBe('caf\u00e9');
    });

    it('encodes a merged corpus word as one token, and reads <|endoftext|> as bos and eos', () => {
      // " the" is the corpus's most frequent word (five times), so some merge path makes it one symbol.
      expect(model.vocab['Ġthe']).toBeGreaterThan(256);
      expect(tokenizer.encode(' the')).toEqual([model.vocab['Ġthe']]);
      expect(tokenizer.encode('the cat', { prependBos: true })).toEqual([0, model.vocab.the, model.vocab['Ġcat']]);
      expect([tokenizer.bosTokenId, tokenizer.eosTokenId, tokenizer.vocabSize]).toEqual([0, 0, 350]);
    });

    it('is plain JSON (survives a stringify round trip)', () => {
      const json = JSON.parse(JSON.stringify(bpeTokenizerJson(model)));
      const reloaded = createTokenizer(json, JSON.parse(JSON.stringify(bpeTokenizerConfig())));
      expect(reloaded.encode(SMALL_CORPUS[1])).toEqual(tokenizer.encode(SMALL_CORPUS[1]));
    });
  });

  it('trained on the glosses’ training split, compresses held-out glosses well below one token per byte', async () => {
    const documents = await loadGlossCorpusNode();
    const files = trainGlossTokenizer(documents, 4096);
    expect(files.mergeCount).toBe(4096 - 257);
    const tokenizer = createTokenizer(files.tokenizerJson, files.tokenizerConfig);
    expect(tokenizer.vocabSize).toBe(4096);
    let tokens = 0;
    let bytes = 0;
    for (const d of documents.filter((doc) => doc.split === 'heldout')) {
      const ids = tokenizer.encode(d.text);
      expect(tokenizer.decode(ids)).toBe(d.text);
      tokens += ids.length;
      bytes += Buffer.byteLength(d.text, 'utf8');
    }
    expect(tokens).toBeLessThan(0.5 * bytes);
    for (const word of [' the', ' of', ' a', ' or', ' and']) expect(tokenizer.encode(word)).toHaveLength(1);
  });
});
