/**
 * A random-weight GPT-NeoX model in the Hugging Face layout of Pythia, and a seeded corpus of simple
 * English sentences for it: the lab's shipped sample, which runs the whole language-model path (export,
 * training, dashboards, steering) without downloading Pythia. Its activations mean nothing; it is a
 * stand-in for plumbing, never for the paper's results.
 *
 * The tokenizer is byte-level BPE like Pythia's (all 256 bytes, Ġ for a leading space) with merges that
 * build each corpus word left to right into one `Ġword` token, so the corpus tokenizes into words.
 */
import { writeSafetensors, type TensorToWrite } from '../formats/safetensors';
import { Rng } from '../rng';
import { GPT_NEOX_ARCHITECTURE } from './config';
import { EMBED_IN, EMBED_OUT, FINAL_LAYER_NORM, layerTensorNames } from './weights';

/** The corpus grammar's word classes (148 words). */
export const SYNTHETIC_WORDS = {
  determiners: ['the', 'a', 'this', 'that', 'every', 'some', 'one', 'my', 'our', 'their'],
  nouns: [
    'man', 'woman', 'child', 'friend', 'teacher', 'doctor', 'farmer', 'king', 'dog', 'cat',
    'bird', 'horse', 'fish', 'house', 'city', 'village', 'river', 'road', 'garden', 'forest',
    'mountain', 'school', 'market', 'table', 'door', 'window', 'book', 'letter', 'song', 'story',
    'tree', 'flower', 'stone', 'ship', 'boat', 'car', 'train', 'bridge', 'field', 'water',
    'fire', 'light', 'night', 'morning', 'day', 'year', 'world', 'country', 'family', 'people',
  ],
  verbs: [
    'saw', 'found', 'made', 'took', 'gave', 'knew', 'left', 'built', 'opened', 'closed',
    'watched', 'heard', 'loved', 'followed', 'carried', 'painted', 'visited', 'helped', 'called', 'wrote',
    'read', 'kept', 'lost', 'brought', 'bought', 'sold', 'moved', 'cleaned', 'crossed', 'liked',
  ],
  adjectives: [
    'old', 'young', 'small', 'big', 'little', 'long', 'short', 'new', 'good', 'bad',
    'red', 'green', 'blue', 'white', 'black', 'dark', 'bright', 'quiet', 'loud', 'happy',
    'sad', 'warm', 'cold', 'tall', 'strong', 'gentle', 'quick', 'slow', 'famous', 'strange',
  ],
  prepositions: ['in', 'on', 'near', 'under', 'over', 'behind', 'beside', 'across', 'through', 'into', 'from', 'with'],
  adverbs: ['slowly', 'quickly', 'again', 'today', 'often', 'never', 'always', 'once', 'soon', 'later'],
  conjunctions: ['and', 'but', 'because', 'while', 'so', 'when'],
} as const;

export interface SyntheticModelOptions {
  seed?: number;
  layers?: number;
  hidden?: number;
  heads?: number;
  intermediate?: number;
  maxPositions?: number;
}

/** The files of a model folder, in the shape loadGptNeoxModel takes. */
export interface SyntheticModelFiles {
  /** config.json. */
  config: Record<string, unknown>;
  /** model.safetensors (F16). */
  weights: Uint8Array;
  /** tokenizer.json. */
  tokenizer: Record<string, unknown>;
  /** tokenizer_config.json. */
  tokenizerConfig: Record<string, unknown>;
}

/** Four blocks by default, so the paper's hook blocks.3.hook_resid_post exists. */
export function buildSyntheticModel(options: SyntheticModelOptions = {}): SyntheticModelFiles {
  const { seed = 0, layers = 4, hidden = 64, heads = 4, intermediate = 256, maxPositions = 256 } = options;
  const { tokenizer, tokenizerConfig, vocabSize } = syntheticTokenizerFiles();
  const rng = new Rng(seed);
  const tensors: Record<string, TensorToWrite> = {};
  const normal = (name: string, shape: number[], std: number, mean = 0) => {
    const data = rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), std);
    for (let i = 0; i < data.length; i++) data[i] += mean;
    tensors[name] = { dtype: 'F16', shape, data };
  };
  // Linear weights [out, in] with std 1/√in keep every block's output O(1), so no block is negligible.
  const linear = (prefix: string, inputs: number, outputs: number) => {
    normal(`${prefix}.weight`, [outputs, inputs], 1 / Math.sqrt(inputs));
    normal(`${prefix}.bias`, [outputs], 0.02);
  };
  const layerNorm = (prefix: string) => {
    normal(`${prefix}.weight`, [hidden], 0.1, 1);
    normal(`${prefix}.bias`, [hidden], 0.1);
  };

  normal(EMBED_IN, [vocabSize, hidden], 1);
  for (let layer = 0; layer < layers; layer++) {
    const names = layerTensorNames(layer);
    layerNorm(names.ln1);
    layerNorm(names.ln2);
    linear(names.qkv, hidden, 3 * hidden);
    linear(names.attnOut, hidden, hidden);
    linear(names.mlpIn, hidden, intermediate);
    linear(names.mlpOut, intermediate, hidden);
  }
  layerNorm(FINAL_LAYER_NORM);
  normal(EMBED_OUT, [vocabSize, hidden], 1 / Math.sqrt(hidden));

  const config = {
    _name_or_path: `synthetic-gpt-neox-${layers}l-${hidden}d`,
    architectures: [GPT_NEOX_ARCHITECTURE],
    bos_token_id: 0,
    eos_token_id: 0,
    hidden_act: 'gelu',
    hidden_size: hidden,
    initializer_range: 0.02,
    intermediate_size: intermediate,
    layer_norm_eps: 1e-5,
    max_position_embeddings: maxPositions,
    model_type: 'gpt_neox',
    num_attention_heads: heads,
    num_hidden_layers: layers,
    rotary_emb_base: 10000,
    rotary_pct: 0.25,
    tie_word_embeddings: false,
    torch_dtype: 'float16',
    use_parallel_residual: true,
    vocab_size: vocabSize,
  };
  return { config, weights: writeSafetensors(tensors, { metadata: { format: 'pt' } }), tokenizer, tokenizerConfig };
}

/** tokenizer.json and tokenizer_config.json of the synthetic model, and its vocabulary size. */
export function syntheticTokenizerFiles(): { tokenizer: Record<string, unknown>; tokenizerConfig: Record<string, unknown>; vocabSize: number } {
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const vocab: Record<string, number> = { '<|endoftext|>': 0, '<|padding|>': 1 };
  const add = (token: string) => {
    if (!Object.hasOwn(vocab, token)) vocab[token] = Object.keys(vocab).length;
  };
  for (const symbol of byteSymbols()) add(symbol);
  // "Ġ h", "Ġh o", "Ġho u", …: each merge extends a word's prefix by one letter, so only one merge ever
  // applies at a time and a corpus word always ends as the single token Ġword.
  const merges: string[] = [];
  for (const word of Object.values(SYNTHETIC_WORDS).flat()) {
    let prefix = 'Ġ';
    for (const letter of word) {
      if (!Object.hasOwn(vocab, prefix + letter)) merges.push(`${prefix} ${letter}`);
      prefix += letter;
      add(prefix);
    }
  }
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(0, '<|endoftext|>'), special(1, '<|padding|>')],
      normalizer: { type: 'NFC' },
      pre_tokenizer: byteLevel,
      post_processor: byteLevel,
      decoder: byteLevel,
      model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, vocab, merges },
    },
    tokenizerConfig: {
      add_prefix_space: false,
      bos_token: '<|endoftext|>',
      eos_token: '<|endoftext|>',
      unk_token: '<|endoftext|>',
      tokenizer_class: 'GPTNeoXTokenizer',
    },
    vocabSize: Object.keys(vocab).length,
  };
}

/** GPT-2's byte-to-character table, in byte order: printable bytes stand for themselves, the rest are
 *  shifted past 255 (space becomes Ġ, U+0120). */
function byteSymbols(): string[] {
  const printable = (byte: number) => (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
  let shifted = 0;
  return Array.from({ length: 256 }, (_, byte) => String.fromCharCode(printable(byte) ? byte : 256 + shifted++));
}

/**
 * `count` seeded sentences from a small grammar over SYNTHETIC_WORDS, e.g. "the old dog saw a river near
 * the village." — lower case, so every word after the first is one token.
 */
export function syntheticCorpus(seed: number, count: number): string[] {
  const rng = new Rng(seed);
  const pick = (words: readonly string[]) => words[Math.floor(rng.next() * words.length)];
  const { determiners, nouns, verbs, adjectives, prepositions, adverbs, conjunctions } = SYNTHETIC_WORDS;
  const nounPhrase = () => [pick(determiners), ...(rng.next() < 0.4 ? [pick(adjectives)] : []), pick(nouns)].join(' ');
  const clause = () => {
    const subject = `${nounPhrase()} ${pick(verbs)}`;
    const form = rng.next();
    if (form < 0.4) return `${subject} ${nounPhrase()}`;
    if (form < 0.7) return `${subject} ${nounPhrase()} ${pick(prepositions)} ${nounPhrase()}`;
    if (form < 0.85) return `${subject} ${nounPhrase()} ${pick(adverbs)}`;
    return `${subject} ${pick(prepositions)} ${nounPhrase()}`;
  };
  return Array.from({ length: count }, () => (rng.next() < 0.25 ? `${clause()}, ${pick(conjunctions)} ${clause()}.` : `${clause()}.`));
}
