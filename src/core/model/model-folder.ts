/**
 * A Hugging Face GPT-NeoX model folder from file contents (however they were fetched: disk, upload, zip):
 * config.json, model.safetensors, tokenizer.json and optionally tokenizer_config.json.
 */
import { parseGptNeoxConfig, type GptNeoxConfig } from './config';
import { GptNeox } from './gptneox';
import { createTokenizer, type TextTokenizer } from './tokenizer';

export const MODEL_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
} as const;

export interface ModelFiles {
  /** Parsed config.json. */
  config: unknown;
  /** Bytes of model.safetensors. */
  weights: Uint8Array | ArrayBuffer;
  /** Parsed tokenizer.json. */
  tokenizer: unknown;
  /** Parsed tokenizer_config.json, if the folder has one. */
  tokenizerConfig?: unknown;
}

export interface GptNeoxModel {
  config: GptNeoxConfig;
  model: GptNeox;
  tokenizer: TextTokenizer;
}

/** `label` prefixes file names in errors (e.g. the folder), so a message says which file is wrong. */
export function loadGptNeoxModel(files: ModelFiles, label = ''): GptNeoxModel {
  const name = (file: string) => (label ? `${label}/${file}` : file);
  const config = parseGptNeoxConfig(files.config, name(MODEL_FILES.config));
  // Tokenizer first: it is cheap, and a broken one should fail before 100+ MB of weights are decoded.
  const tokenizer = createTokenizer(files.tokenizer, files.tokenizerConfig ?? {}, {
    tokenizer: name(MODEL_FILES.tokenizer),
    tokenizerConfig: name(MODEL_FILES.tokenizerConfig),
  });
  // The model's vocabulary may be padded beyond the tokenizer's (Pythia: 50304 vs 50277), never smaller.
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new Error(`${name(MODEL_FILES.tokenizer)} has token ids up to ${tokenizer.vocabSize - 1}, beyond ${name(MODEL_FILES.config)} "vocab_size" ${config.vocabSize}`);
  }
  const model = GptNeox.fromSafetensors(files.weights, config, name(MODEL_FILES.weights));
  return { config, model, tokenizer };
}
