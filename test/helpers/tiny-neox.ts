/**
 * A tiny GPT-NeoX model built in memory with seeded random weights, in the Hugging Face layout of
 * Pythia (same tensor names, same config keys, byte-level BPE tokenizer.json). Names and layout are
 * written out here by hand, independently of src/core/model, so a naming or layout bug there is caught.
 *
 * Sizes: d_model 32, 2 heads of 16 dims, rotary_pct 0.25 → 4 rotary dims (enough to tell rotate-half from
 * interleaved pairs, which 2 dims would not), d_mlp 128, vocab 50, 64 positions.
 */
import { openSafetensors, writeSafetensors, type TensorToWrite } from '../../src/core/formats/safetensors';
import { Rng } from '../../src/core/rng';

export const TINY_SIZES = { hidden: 32, layers: 2, heads: 2, intermediate: 128, vocab: 50, rotaryPct: 0.25, maxPositions: 64 } as const;

export interface TinyNeoxOptions {
  seed?: number;
  parallelResidual?: boolean;
  /** Storage dtype of the weights in model.safetensors. */
  dtype?: 'F32' | 'F16';
  /** tie_word_embeddings true and no embed_out.weight in the file. */
  tied?: boolean;
}

/** A tensor in HF layout (Linear weights [out, in]) with the values exactly as stored in the file. */
export interface HfTensor {
  shape: number[];
  data: Float32Array;
}

export interface TinyNeox {
  /** config.json as parsed JSON. */
  config: Record<string, unknown>;
  /** The stored weights, decoded (after any f16 rounding), for the reference implementation. */
  tensors: Record<string, HfTensor>;
  /** model.safetensors bytes. */
  safetensors: Uint8Array;
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
}

export function tinyConfig(options: TinyNeoxOptions = {}): Record<string, unknown> {
  const { hidden, layers, heads, intermediate, vocab, rotaryPct, maxPositions } = TINY_SIZES;
  return {
    architectures: ['GPTNeoXForCausalLM'],
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
    rotary_pct: rotaryPct,
    tie_word_embeddings: options.tied ?? false,
    torch_dtype: 'float16',
    use_cache: true,
    use_parallel_residual: options.parallelResidual ?? true,
    vocab_size: vocab,
  };
}

export function buildTinyNeox(options: TinyNeoxOptions = {}): TinyNeox {
  const { hidden: d, layers, intermediate: dMlp, vocab, heads } = TINY_SIZES;
  const rng = new Rng(options.seed ?? 1);
  const dtype = options.dtype ?? 'F32';
  const tensors: Record<string, TensorToWrite> = {};
  /** A normal(mean, std) tensor. */
  const add = (name: string, shape: number[], std: number, mean = 0) => {
    const data = rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), std);
    for (let i = 0; i < data.length; i++) data[i] += mean;
    tensors[name] = { dtype, shape, data };
  };
  /** HF Linear: weight [out, in], std 1/√in keeps activations O(1), so every part of the model matters. */
  const linear = (prefix: string, inputs: number, outputs: number) => {
    add(`${prefix}.weight`, [outputs, inputs], 1 / Math.sqrt(inputs));
    add(`${prefix}.bias`, [outputs], 0.1);
  };
  const layerNorm = (prefix: string) => {
    add(`${prefix}.weight`, [d], 0.2, 1);
    add(`${prefix}.bias`, [d], 0.2);
  };

  add('gpt_neox.embed_in.weight', [vocab, d], 1);
  for (let layer = 0; layer < layers; layer++) {
    const prefix = `gpt_neox.layers.${layer}`;
    layerNorm(`${prefix}.input_layernorm`);
    layerNorm(`${prefix}.post_attention_layernorm`);
    linear(`${prefix}.attention.query_key_value`, d, 3 * d);
    linear(`${prefix}.attention.dense`, d, d);
    linear(`${prefix}.mlp.dense_h_to_4h`, d, dMlp);
    linear(`${prefix}.mlp.dense_4h_to_h`, dMlp, d);
    // A buffer HF model files carry and the model must ignore.
    const rotaryDims = (d / heads) * TINY_SIZES.rotaryPct;
    tensors[`${prefix}.attention.rotary_emb.inv_freq`] = { dtype: 'F32', shape: [rotaryDims / 2], data: new Float32Array(rotaryDims / 2).fill(7) };
  }
  layerNorm('gpt_neox.final_layer_norm');
  if (!options.tied) add('embed_out.weight', [vocab, d], 1 / Math.sqrt(d));

  const safetensors = writeSafetensors(tensors, { metadata: { format: 'pt' } });
  const reader = openSafetensors(safetensors, 'model.safetensors');
  const stored: Record<string, HfTensor> = {};
  for (const name of Object.keys(tensors)) stored[name] = { shape: [...tensors[name].shape], data: reader.readFloat32(name).data };
  return { config: tinyConfig(options), tensors: stored, safetensors, ...tinyTokenizerFiles() };
}

/** Byte-level BPE like Pythia's, over lowercase letters, space (Ġ) and . , ! with a few merges. */
export function tinyTokenizerFiles(): { tokenizerJson: Record<string, unknown>; tokenizerConfig: Record<string, unknown> } {
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const symbols = [...'abcdefghijklmnopqrstuvwxyz', 'Ġ', '.', ',', '!'];
  const merges = ['t h', 'th e', 'Ġ the', 'Ġ a', 'i n', 'e r', 'a t'];
  const vocab: Record<string, number> = { '<|endoftext|>': 0, '<|padding|>': 1 };
  for (const symbol of [...symbols, ...merges.map((merge) => merge.replace(' ', ''))]) vocab[symbol] = Object.keys(vocab).length;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    tokenizerJson: {
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
  };
}
