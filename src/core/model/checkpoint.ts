/**
 * A Hugging Face GPT-NeoX checkpoint from file contents (however they were fetched: disk, upload, zip):
 * config.json, model.safetensors, tokenizer.json and optionally tokenizer_config.json.
 */
import { parseGptNeoxConfig, type GptNeoxConfig } from './config';
import { GptNeox } from './gptneox';
import { createTokenizer, type TextTokenizer } from './tokenizer';

export const CHECKPOINT_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
} as const;

export interface CheckpointFiles {
  /** Parsed config.json. */
  config: unknown;
  /** Bytes of model.safetensors. */
  weights: Uint8Array | ArrayBuffer;
  /** Parsed tokenizer.json. */
  tokenizer: unknown;
  /** Parsed tokenizer_config.json, if the checkpoint has one. */
  tokenizerConfig?: unknown;
}

export interface GptNeoxCheckpoint {
  config: GptNeoxConfig;
  model: GptNeox;
  tokenizer: TextTokenizer;
}

/** `label` prefixes file names in errors (e.g. the folder), so a message says which file is wrong. */
export function loadGptNeoxCheckpoint(files: CheckpointFiles, label = ''): GptNeoxCheckpoint {
  const name = (file: string) => (label ? `${label}/${file}` : file);
  const config = parseGptNeoxConfig(files.config, name(CHECKPOINT_FILES.config));
  // Tokenizer first: it is cheap, and a broken one should fail before 100+ MB of weights are decoded.
  const tokenizer = createTokenizer(files.tokenizer, files.tokenizerConfig ?? {}, {
    tokenizer: name(CHECKPOINT_FILES.tokenizer),
    tokenizerConfig: name(CHECKPOINT_FILES.tokenizerConfig),
  });
  // The model's vocabulary may be padded beyond the tokenizer's (Pythia: 50304 vs 50277), never smaller.
  if (tokenizer.vocabSize > config.vocabSize) {
    throw new Error(`${name(CHECKPOINT_FILES.tokenizer)} has token ids up to ${tokenizer.vocabSize - 1}, beyond ${name(CHECKPOINT_FILES.config)} "vocab_size" ${config.vocabSize}`);
  }
  const model = GptNeox.fromSafetensors(files.weights, config, name(CHECKPOINT_FILES.weights));
  return { config, model, tokenizer };
}
