/**
 * `npm run lab -- make-sample --out public/samples/synthetic`: the sample the app ships, a random-weight
 * GPT-NeoX (model/) and its activation shards on generated sentences. Deterministic: every run writes the
 * same bytes, provided it runs on the cpu backend (plain JavaScript arithmetic; the wasm backend's kernels
 * vary with the machine's SIMD support). test/core/shards/sample.test.ts checks the shipped files against
 * a fresh build, so a change to the model code or the exporter shows up there: regenerate the sample then.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MODEL_FILES, loadGptNeoxModel } from '../core/model';
import { buildSyntheticModel, syntheticCorpus } from '../core/model/synthetic';
import { exportActivations } from '../core/shards';

export const SAMPLE = {
  seed: 0,
  hook: 'blocks.3.hook_resid_post',
  tokens: 16384,
  context: 64,
  shardTokens: 4096,
  sentencesPerDocument: 8,
  /** About 11 tokens a sentence: enough sentences for `tokens`. */
  sentences: 2400,
  note: 'Synthetic sample: a random-weight 4-layer GPT-NeoX on generated sentences, not Pythia',
} as const;

/** Folder of the model files inside the sample. */
export const SAMPLE_MODEL_DIR = 'model';

/** Every file of the sample by its path relative to the sample folder. Needs the cpu backend active. */
export async function buildSyntheticSample(): Promise<Map<string, Uint8Array>> {
  const modelFiles = buildSyntheticModel({ seed: SAMPLE.seed });
  const files = new Map<string, Uint8Array>();
  const inModel = (file: string) => `${SAMPLE_MODEL_DIR}/${file}`;
  files.set(inModel(MODEL_FILES.config), jsonBytes(modelFiles.config));
  files.set(inModel(MODEL_FILES.weights), modelFiles.weights);
  files.set(inModel(MODEL_FILES.tokenizer), jsonBytes(modelFiles.tokenizer));
  files.set(inModel(MODEL_FILES.tokenizerConfig), jsonBytes(modelFiles.tokenizerConfig));

  const { model, tokenizer } = loadGptNeoxModel(modelFiles, SAMPLE_MODEL_DIR);
  try {
    await exportActivations(
      {
        model,
        tokenizer,
        texts: documents(syntheticCorpus(SAMPLE.seed, SAMPLE.sentences)),
        hook: SAMPLE.hook,
        context: SAMPLE.context,
        maxTokens: SAMPLE.tokens,
        dtype: 'F16',
        shardTokens: SAMPLE.shardTokens,
        batchSize: 16,
        modelName: String(modelFiles.config._name_or_path),
        synthetic: true,
        note: SAMPLE.note,
      },
      async (file, bytes) => void files.set(file, bytes),
    );
  } finally {
    model.dispose();
  }
  return files;
}

/** Writes a sample's files (paths relative to `outDir`). */
export async function writeSample(outDir: string, files: Map<string, Uint8Array>): Promise<void> {
  for (const [path, bytes] of files) {
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    await writeFile(join(outDir, path), bytes);
  }
}

function* documents(sentences: string[]): Generator<string> {
  for (let i = 0; i < sentences.length; i += SAMPLE.sentencesPerDocument) yield sentences.slice(i, i + SAMPLE.sentencesPerDocument).join(' ');
}

function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}
