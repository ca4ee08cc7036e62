/**
 * `npm run lab -- make-sample --gloss-model DIR --out public/samples/wordnet-gloss`: the gloss sample the app
 * ships, a language model trained by `train-lm` (copied into model/) and its activation shards at the middle
 * of its layers, over WordNet's glosses, each row labelled with the category of the synset it came from.
 * Documents come in a fixed pseudo-random order (by the FNV-1a hash of each synset's key, as the held-out split
 * is drawn), so the rows mix categories. Deterministic on the cpu backend, like the synthetic sample.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fnv1a32, type GlossDocument } from '../core/lm/gloss-corpus';
import { loadGptNeoxModel, MODEL_FILES, residPost, type HookName } from '../core/model';
import { exportActivations, type TextDocument } from '../core/shards';
import { loadGlossCorpusNode } from '../io/wordnet-node';
import { SAMPLE_MODEL_DIR } from './make-sample';

export const GLOSS_SAMPLE = {
  /** Rows: with d_model 128 in F16, about 270 bytes each with token, position and label. */
  tokens: 16384,
  shardTokens: 4096,
  batchSize: 8,
  note: 'WordNet gloss model: a tiny GPT-NeoX trained here on WordNet 3.1 glosses (not Pythia); rows labelled with their synset\'s lexicographer category',
} as const;

/** The hook in the middle of the model: after block ⌈layers / 2⌉ − 1. */
export function middleHook(layers: number): HookName {
  return residPost(Math.max(0, Math.ceil(layers / 2) - 1));
}

/** Documents in the sample's fixed order, labelled with their category. */
export function glossSampleDocuments(corpus: readonly GlossDocument[]): TextDocument[] {
  const keyed = corpus.map((d) => ({ d, key: fnv1a32(`sample:${d.synset.pos}${d.synset.offset}`) }));
  keyed.sort((a, b) => a.key - b.key || a.d.text.localeCompare(b.d.text));
  return keyed.map(({ d }) => ({ text: d.text, label: d.synset.category }));
}

/** Every file of the sample by its path relative to the sample folder. Needs the cpu backend active. */
export async function buildGlossSample(modelDir: string): Promise<Map<string, Uint8Array>> {
  const read = (file: string) => readFile(join(modelDir, file));
  const [config, weights, tokenizer, tokenizerConfig, card] = await Promise.all([read(MODEL_FILES.config), read(MODEL_FILES.weights), read(MODEL_FILES.tokenizer), read(MODEL_FILES.tokenizerConfig), read('README.md')]);
  const files = new Map<string, Uint8Array>();
  const inModel = (file: string) => `${SAMPLE_MODEL_DIR}/${file}`;
  files.set(inModel(MODEL_FILES.config), config);
  files.set(inModel(MODEL_FILES.weights), weights);
  files.set(inModel(MODEL_FILES.tokenizer), tokenizer);
  files.set(inModel(MODEL_FILES.tokenizerConfig), tokenizerConfig);
  files.set(inModel('README.md'), card);

  const parse = (bytes: Uint8Array, file: string) => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch (error) {
      throw new Error(`${join(modelDir, file)}: not valid JSON (${(error as Error).message})`);
    }
  };
  const loaded = loadGptNeoxModel({ config: parse(config, MODEL_FILES.config), weights, tokenizer: parse(tokenizer, MODEL_FILES.tokenizer), tokenizerConfig: parse(tokenizerConfig, MODEL_FILES.tokenizerConfig) }, modelDir);
  try {
    await exportActivations(
      {
        model: loaded.model,
        tokenizer: loaded.tokenizer,
        texts: glossSampleDocuments(await loadGlossCorpusNode()),
        hook: middleHook(loaded.model.config.numLayers),
        context: loaded.model.config.maxPositions,
        maxTokens: GLOSS_SAMPLE.tokens,
        dtype: 'F16',
        shardTokens: GLOSS_SAMPLE.shardTokens,
        batchSize: GLOSS_SAMPLE.batchSize,
        modelName: 'wordnet-gloss-model',
        note: GLOSS_SAMPLE.note,
      },
      async (file, bytes) => void files.set(file, bytes),
    );
  } finally {
    loaded.model.dispose();
  }
  return files;
}
