/**
 * `npm run lab -- make-sample --gloss-model DIR --out public/samples/wordnet-gloss`: the gloss sample the app
 * ships, a language model trained by `train-lm` (copied into model/) and its activation shards at the middle
 * of its layers, over WordNet's glosses, each row labelled with the category of the synset it came from.
 * Documents come in a fixed pseudo-random order (by the FNV-1a hash of each synset's key, as the held-out split
 * is drawn), so the rows mix categories. Beside them, concept-judge.safetensors: the steering judge (glosses →
 * category) over the model's tokens. Deterministic on the cpu backend, like the synthetic sample.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fnv1a32, GLOSS_MODEL_NAME, type GlossDocument } from '../core/lm/gloss-corpus';
import { loadGptNeoxModel, MODEL_FILES, residPost, type HookName } from '../core/model';
import { exportActivations, type TextDocument } from '../core/shards';
import { loadGlossCorpusNode } from '../io/wordnet-node';
import { JUDGE_FILE, writeJudgeFile } from '../core/lm/judge-file';
import { trainGlossJudge } from './gloss-judge';
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

/** config.json named as the page shows the model (`_name_or_path`, as Hugging Face names a folder's model). */
function namedConfig(config: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ ...(config as object), _name_or_path: GLOSS_MODEL_NAME }, null, 2) + '\n');
}

/** Documents in the sample's fixed order, labelled with their category. */
export function glossSampleDocuments(corpus: readonly GlossDocument[]): TextDocument[] {
  const keyed = corpus.map((d) => ({ d, key: fnv1a32(`sample:${d.synset.pos}${d.synset.offset}`) }));
  keyed.sort((a, b) => a.key - b.key || a.d.text.localeCompare(b.d.text));
  return keyed.map(({ d }) => ({ text: d.text, label: d.synset.category }));
}

/** Every file of the sample by its path relative to the sample folder. Needs the cpu backend active. */
export async function buildGlossSample(modelDir: string): Promise<Map<string, Uint8Array>> {
  return buildGlossShards(modelDir, { judge: true });
}

/**
 * The model folder and its labelled shards, and with `judge` the concept judge beside them (training it
 * is most of a build's time: a test of the shards alone leaves it out).
 */
export async function buildGlossShards(modelDir: string, { judge }: { judge: boolean }): Promise<Map<string, Uint8Array>> {
  const read = (file: string) => readFile(join(modelDir, file));
  const [config, weights, tokenizer, tokenizerConfig, card] = await Promise.all([read(MODEL_FILES.config), read(MODEL_FILES.weights), read(MODEL_FILES.tokenizer), read(MODEL_FILES.tokenizerConfig), read('README.md')]);
  const parse = (bytes: Uint8Array, file: string): unknown => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    } catch (error) {
      throw new Error(`${join(modelDir, file)}: not valid JSON (${(error as Error).message})`);
    }
  };
  const files = new Map<string, Uint8Array>();
  const inModel = (file: string) => `${SAMPLE_MODEL_DIR}/${file}`;
  files.set(inModel(MODEL_FILES.config), namedConfig(parse(config, MODEL_FILES.config)));
  files.set(inModel(MODEL_FILES.weights), weights);
  files.set(inModel(MODEL_FILES.tokenizer), tokenizer);
  files.set(inModel(MODEL_FILES.tokenizerConfig), tokenizerConfig);
  files.set(inModel('README.md'), card);

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
        modelName: GLOSS_MODEL_NAME,
        note: GLOSS_SAMPLE.note,
      },
      async (file, bytes) => void files.set(file, bytes),
    );
    // The steering judge reads the model's tokens: trained with its tokenizer, shipped beside the shards.
    if (judge) files.set(JUDGE_FILE, writeJudgeFile(await trainGlossJudge(loaded.tokenizer)));
  } finally {
    loaded.model.dispose();
  }
  return files;
}
