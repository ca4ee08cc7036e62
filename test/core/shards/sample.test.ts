// The synthetic sample the app ships (public/samples/synthetic): reproducible byte for byte, loadable, and
// made of a tokenizer and corpus that read as words.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSyntheticSample, SAMPLE } from '../../../src/cli/make-sample';
import { createTokenizer, residPost } from '../../../src/core/model';
import { buildSyntheticModel, SYNTHETIC_WORDS, syntheticCorpus, syntheticTokenizerFiles } from '../../../src/core/model/synthetic';
import { loadModelFolder } from '../../../src/io/model-folder-node';
import { loadShardFolder } from '../../../src/io/shards-node';

const SAMPLE_DIR = join(import.meta.dirname, '../../../public/samples/synthetic');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

describe('the shipped synthetic sample', () => {
  it('is exactly what make-sample builds (regenerate with npm run lab -- make-sample --out public/samples/synthetic)', async () => {
    const built = await buildSyntheticSample();
    const shipped = await filesUnder(SAMPLE_DIR);
    expect(shipped.sort()).toEqual([...built.keys()].sort());
    let total = 0;
    for (const [path, bytes] of built) {
      const onDisk = new Uint8Array(await readFile(join(SAMPLE_DIR, path)));
      expect(onDisk.length, path).toBe(bytes.length);
      expect(Buffer.compare(onDisk, bytes), `${path} differs from a fresh build`).toBe(0);
      total += bytes.length;
    }
    expect(total).toBeLessThan(3 * 2 ** 20);
  }, 600_000);

  it('loads through the shard loader and its model folder through the model loader', async () => {
    const loaded = await loadShardFolder(SAMPLE_DIR);
    expect(loaded).toMatchObject({ count: SAMPLE.tokens, totalTokens: SAMPLE.tokens, d_model: 64, dtype: 'F16', hook: SAMPLE.hook, synthetic: true, note: SAMPLE.note, sampled: false });
    expect(loaded.note).toMatch(/not Pythia/);
    expect(loaded.files).toEqual(['shard-00000.safetensors', 'shard-00001.safetensors', 'shard-00002.safetensors', 'shard-00003.safetensors']);
    expect(Math.min(...loaded.tokens)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...loaded.positions)).toBe(SAMPLE.context - 1);

    const { model, config, tokenizer } = await loadModelFolder(join(SAMPLE_DIR, 'model'));
    try {
      expect([config.numLayers, config.hiddenSize]).toEqual([4, 64]);
      // The hook exists, and the first shipped row is the model's activation there for its context.
      const contextTokens = [0, ...loaded.tokens.subarray(0, SAMPLE.context - 1)];
      const { activations } = model.forward([contextTokens], { capture: [residPost(3)], stopAt: residPost(3) });
      const values = (await activations[residPost(3)]!.data()) as Float32Array;
      activations[residPost(3)]!.dispose();
      for (let i = 0; i < 64; i++) expect(Math.abs(loaded.rows[i] - values[64 + i])).toBeLessThanOrEqual(Math.abs(values[64 + i]) * 2 ** -10);
      expect(tokenizer.decode([...loaded.tokens.subarray(0, 12)])).toMatch(/^[a-z]+( [a-z]+)+/);
    } finally {
      model.dispose();
    }
  });
});

describe('the synthetic model and corpus', () => {
  const { tokenizer: tokenizerJson, tokenizerConfig, vocabSize } = syntheticTokenizerFiles();
  const tokenizer = createTokenizer(tokenizerJson, tokenizerConfig);
  const words = Object.values(SYNTHETIC_WORDS).flat();

  it('tokenizes every corpus word after a space as one token, and anything else byte by byte', () => {
    expect(new Set(words).size).toBe(words.length);
    expect(words.length).toBeGreaterThanOrEqual(140);
    for (const word of words) expect(tokenizer.encode(` ${word}`), word).toHaveLength(1);
    expect(tokenizer.vocabSize).toBe(vocabSize);
    const unknown = 'Zebra ünïcode 🙂';
    expect(tokenizer.encode(unknown).length).toBe(new TextEncoder().encode(unknown).length); // no merge applies: a token per byte
    expect(tokenizer.decode(tokenizer.encode(unknown))).toBe(unknown);
  });

  it('writes seeded sentences of corpus words that round-trip through the tokenizer', () => {
    const sentences = syntheticCorpus(4, 50);
    expect(syntheticCorpus(4, 50)).toEqual(sentences);
    expect(syntheticCorpus(5, 50)).not.toEqual(sentences);
    const known = new Set<string>(words);
    for (const sentence of sentences) {
      expect(sentence).toMatch(/^[a-z ,]+\.$/);
      for (const word of sentence.replace(/[.,]/g, '').split(' ')) expect(known.has(word), word).toBe(true);
      expect(tokenizer.decode(tokenizer.encode(sentence))).toBe(sentence);
      // Every word but the first (no leading space) is a single token; punctuation one each.
      const wordCount = sentence.split(' ').length;
      const punctuation = (sentence.match(/[.,]/g) ?? []).length;
      expect(tokenizer.encode(sentence).length).toBe(wordCount - 1 + [...sentence.split(' ')[0].replace(/[.,]/g, '')].length + punctuation);
    }
  });

  it('builds a loadable model with the paper hook for any seed, deterministically', () => {
    const a = buildSyntheticModel({ seed: 1, layers: 4 });
    expect(buildSyntheticModel({ seed: 1, layers: 4 }).weights).toEqual(a.weights);
    expect(buildSyntheticModel({ seed: 2, layers: 4 }).weights).not.toEqual(a.weights);
    expect(a.config).toMatchObject({ num_hidden_layers: 4, hidden_size: 64, num_attention_heads: 4, intermediate_size: 256, max_position_embeddings: 256, vocab_size: vocabSize });
  });
});
