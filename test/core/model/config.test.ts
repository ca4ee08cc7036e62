import { describe, expect, it } from 'vitest';
import { parseGptNeoxConfig } from '../../../src/core/model';
import { tinyConfig } from '../../helpers/tiny-neox';

/** Pythia-70M-deduped's config.json, as PAPER.md lists it. */
const PYTHIA_70M = {
  architectures: ['GPTNeoXForCausalLM'],
  bos_token_id: 0,
  eos_token_id: 0,
  hidden_act: 'gelu',
  hidden_size: 512,
  intermediate_size: 2048,
  layer_norm_eps: 1e-5,
  max_position_embeddings: 2048,
  model_type: 'gpt_neox',
  num_attention_heads: 8,
  num_hidden_layers: 6,
  rotary_emb_base: 10000,
  rotary_pct: 0.25,
  tie_word_embeddings: false,
  use_parallel_residual: true,
  vocab_size: 50304,
};

const without = (key: string) => Object.fromEntries(Object.entries(PYTHIA_70M).filter(([name]) => name !== key));

describe('parseGptNeoxConfig', () => {
  it('reads Pythia-70M', () => {
    expect(parseGptNeoxConfig(PYTHIA_70M)).toEqual({
      hiddenSize: 512,
      numLayers: 6,
      numHeads: 8,
      headDim: 64,
      intermediateSize: 2048,
      rotaryDims: 16,
      rotaryBase: 10000,
      maxPositions: 2048,
      layerNormEps: 1e-5,
      parallelResidual: true,
      tiedEmbeddings: false,
      vocabSize: 50304,
      bosTokenId: 0,
      eosTokenId: 0,
    });
  });

  it('reads the tiny test config (4 rotary dims of 16)', () => {
    expect(parseGptNeoxConfig(tinyConfig({ parallelResidual: false }))).toMatchObject({ headDim: 16, rotaryDims: 4, parallelResidual: false });
  });

  it('applies HF defaults for optional keys and accepts the newer rope_theta / partial_rotary_factor names', () => {
    const minimal = parseGptNeoxConfig({ ...without('use_parallel_residual'), hidden_act: undefined, layer_norm_eps: undefined });
    expect(minimal).toMatchObject({ parallelResidual: true, layerNormEps: 1e-5 });
    const renamed = { ...without('rotary_pct'), partial_rotary_factor: 0.5, rope_theta: 500 };
    delete (renamed as Record<string, unknown>).rotary_emb_base;
    expect(parseGptNeoxConfig(renamed)).toMatchObject({ rotaryDims: 32, rotaryBase: 500 });
  });

  it.each([
    ['missing hidden_size', without('hidden_size'), /config\.json: missing "hidden_size"/],
    ['zero layers', { ...PYTHIA_70M, num_hidden_layers: 0 }, /"num_hidden_layers" is 0; expected a positive integer/],
    ['vocab_size as a string', { ...PYTHIA_70M, vocab_size: '50304' }, /"vocab_size" is "50304"/],
    ['heads not dividing hidden_size', { ...PYTHIA_70M, num_attention_heads: 7 }, /"hidden_size" 512 is not divisible by "num_attention_heads" 7/],
    ['tanh GELU', { ...PYTHIA_70M, hidden_act: 'gelu_new' }, /"hidden_act" is "gelu_new"; only "gelu"/],
    ['missing rotary_pct', without('rotary_pct'), /missing "rotary_pct"/],
    ['rotary_pct above 1', { ...PYTHIA_70M, rotary_pct: 1.5 }, /"rotary_pct" is 1.5; it must be in \(0, 1\]/],
    ['an odd number of rotary dims', { ...PYTHIA_70M, rotary_pct: 0.3 }, /"rotary_pct" 0.3 gives 19 rotary dimensions/],
    ['negative rotary base', { ...PYTHIA_70M, rotary_emb_base: -1 }, /"rotary_emb_base" is -1/],
    ['rope scaling', { ...PYTHIA_70M, rope_scaling: { type: 'linear', factor: 2 } }, /"rope_scaling" is set/],
    ['non-boolean use_parallel_residual', { ...PYTHIA_70M, use_parallel_residual: 'yes' }, /"use_parallel_residual" is "yes"; expected true or false/],
    ['non-boolean tie_word_embeddings', { ...PYTHIA_70M, tie_word_embeddings: 1 }, /"tie_word_embeddings" is 1/],
    ['no attention biases', { ...PYTHIA_70M, attention_bias: false }, /"attention_bias" is false/],
    ['another architecture', { ...PYTHIA_70M, architectures: ['LlamaForCausalLM'] }, /"architectures" is \["LlamaForCausalLM"\]/],
    ['another model_type', { ...PYTHIA_70M, model_type: 'llama' }, /"model_type" is "llama"/],
    ['eos id outside the vocabulary', { ...PYTHIA_70M, eos_token_id: 50304 }, /"eos_token_id" is 50304; expected a token id in \[0, 50304\)/],
    ['not an object', [1, 2], /config\.json: is not a JSON object/],
  ])('rejects %s', (_label, json, message) => {
    expect(() => parseGptNeoxConfig(json)).toThrow(message);
  });

  it('labels errors with the given file name', () => {
    expect(() => parseGptNeoxConfig(without('vocab_size'), 'models/pythia/config.json')).toThrow(/^models\/pythia\/config\.json: missing "vocab_size"$/);
  });
});
