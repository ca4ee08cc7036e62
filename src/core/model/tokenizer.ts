/**
 * Text ↔ token ids with a Hugging Face `tokenizer.json` (+ `tokenizer_config.json`), through the pure-JS
 * @huggingface/tokenizers package: no network, same files as the model folder.
 */
import { Tokenizer } from '@huggingface/tokenizers';

export interface EncodeOptions {
  /** Put the bos token first, as TransformerLens' to_tokens does by default (HF's Pythia tokenizer does not). */
  prependBos?: boolean;
}

export interface TextTokenizer {
  encode(text: string, options?: EncodeOptions): number[];
  /** Exact inverse for byte-level BPE: no clean-up of spaces before punctuation unless the config asks. */
  decode(ids: readonly number[]): string;
  /** One more than the largest token id (special tokens included). */
  readonly vocabSize: number;
  readonly bosTokenId: number | null;
  readonly eosTokenId: number | null;
}

export interface TokenizerFileNames {
  tokenizer: string;
  tokenizerConfig: string;
}

const DEFAULT_NAMES: TokenizerFileNames = { tokenizer: 'tokenizer.json', tokenizerConfig: 'tokenizer_config.json' };

export function createTokenizer(tokenizerJson: unknown, tokenizerConfig: unknown = {}, names: TokenizerFileNames = DEFAULT_NAMES): TextTokenizer {
  if (!isObject(tokenizerJson) || !isObject(tokenizerJson.model)) throw new Error(`${names.tokenizer}: not a Hugging Face tokenizer (no "model" object)`);
  if (!isObject(tokenizerConfig)) throw new Error(`${names.tokenizerConfig}: is not a JSON object`);
  // The package requires these keys to exist, even if null; older files omit some.
  const completeJson = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...tokenizerJson };
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(completeJson, tokenizerConfig);
  } catch (error) {
    throw new Error(`${names.tokenizer}: cannot build the tokenizer (${(error as Error).message})`);
  }
  const specialId = (key: string): number | null => {
    const token = tokenizerConfig[key];
    // Older configs store special tokens as AddedToken objects {content, ...}.
    const content = typeof token === 'string' ? token : isObject(token) && typeof token.content === 'string' ? token.content : null;
    if (content === null) return null;
    const id = tokenizer.token_to_id(content);
    if (id === undefined) throw new Error(`${names.tokenizerConfig}: "${key}" ${JSON.stringify(content)} is not in ${names.tokenizer}'s vocabulary`);
    return id;
  };
  const bosTokenId = specialId('bos_token');
  const eosTokenId = specialId('eos_token');
  const cleanUp = tokenizerConfig.clean_up_tokenization_spaces === true;
  const vocabSize = Math.max(...tokenizer.get_vocab(true).values()) + 1;

  return {
    vocabSize,
    bosTokenId,
    eosTokenId,
    encode(text, options = {}) {
      const ids = tokenizer.encode(text).ids;
      if (!options.prependBos) return ids;
      if (bosTokenId === null) throw new Error(`${names.tokenizerConfig}: no "bos_token", so encode cannot prepend one`);
      return [bosTokenId, ...ids];
    },
    decode(ids) {
      // The package rejects an empty list.
      return ids.length === 0 ? '' : tokenizer.decode([...ids], { clean_up_tokenization_spaces: cleanUp });
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
