import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGlossShards, glossSampleDocuments, middleHook } from '../../src/cli/make-gloss-sample';
import { writeSample } from '../../src/cli/make-sample';
import { GLOSS_MODEL_NAME, WORDNET_CATEGORIES } from '../../src/core/lm/gloss-corpus';
import { trainGlossTokenizer } from '../../src/core/lm/gloss-tokenizer';
import { exportHfModel } from '../../src/core/lm/lm-export';
import { GptNeox, parseGptNeoxConfig } from '../../src/core/model';
import { initTrainableWeights, trainingConfig } from '../../src/core/model/trainable-weights';
import { loadGlossCorpusNode } from '../../src/io/wordnet-node';
import { loadShardFolder } from '../../src/io/shards-node';

const root = await mkdtemp(join(tmpdir(), 'gloss-sample-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the WordNet gloss sample (make-sample --gloss-model)', () => {
  it("holds the model's own middle-layer activations, each row labelled with its synset's category", async () => {
    // A small untrained model in train-lm's layout: what the sample does with it does not depend on training.
    const corpus = await loadGlossCorpusNode();
    const tokenizer = trainGlossTokenizer(corpus, 512);
    const config = trainingConfig({ layers: 2, dModel: 16, heads: 2, context: 32, vocabSize: 512, bosTokenId: 0, eosTokenId: 0 });
    const weights = initTrainableWeights(config, 1);
    const hf = await exportHfModel(config, weights);
    const modelDir = join(root, 'model');
    await writeSample(modelDir, new Map([
      ['config.json', new TextEncoder().encode(JSON.stringify(hf.config))],
      ['model.safetensors', hf.safetensors],
      ['tokenizer.json', new TextEncoder().encode(JSON.stringify(tokenizer.tokenizerJson))],
      ['tokenizer_config.json', new TextEncoder().encode(JSON.stringify(tokenizer.tokenizerConfig))],
      ['README.md', new TextEncoder().encode('# card\n')],
    ]));

    const files = await buildGlossShards(modelDir, { judge: false });
    const sampleDir = join(root, 'sample');
    await writeSample(sampleDir, files);
    const loaded = await loadShardFolder(sampleDir);
    expect(loaded.hook).toBe(middleHook(2));
    // The model goes by the lab's name for it, on the page and in the manifest.
    expect(JSON.parse(new TextDecoder().decode(files.get('model/config.json')!))).toMatchObject({ _name_or_path: GLOSS_MODEL_NAME, hidden_size: 16 });
    expect(loaded.model).toBe(GLOSS_MODEL_NAME);
    expect(middleHook(4)).toBe('blocks.1.hook_resid_post');
    expect(loaded.count).toBe(16384);
    expect(loaded.labelNames.every((name) => (WORDNET_CATEGORIES as readonly string[]).includes(name))).toBe(true);
    expect(new Set(loaded.labels).size).toBeGreaterThan(30); // the order mixes the categories

    // The first context, run through the model read back from the sample: its hook activations are the rows.
    const model = GptNeox.fromSafetensors(files.get('model/model.safetensors')!, parseGptNeoxConfig(JSON.parse(new TextDecoder().decode(files.get('model/config.json')!))));
    const rows = 31; // context 32 minus the bos
    const { activations } = model.forward([[0, ...loaded.tokens.subarray(0, rows)]], { capture: [middleHook(2)], stopAt: middleHook(2) });
    const expected = (await activations[middleHook(2)]!.data()) as Float32Array;
    activations[middleHook(2)]!.dispose();
    model.dispose();
    for (let r = 0; r < rows; r++) {
      for (let d = 0; d < 16; d++) {
        const want = expected[(r + 1) * 16 + d];
        expect(Math.abs(loaded.rows[r * 16 + d] - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-3 + 1e-4); // F16 rounding
      }
    }
    // The first document's tokens come first, labelled with its category.
    const first = glossSampleDocuments(corpus)[0];
    expect(loaded.labelNames[loaded.labels[0]]).toBe(first.label);
  }, 120_000);
});
