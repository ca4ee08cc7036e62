/**
 * A Hugging Face GPT-NeoX `config.json` (GPTNeoXForCausalLM, e.g. Pythia), parsed into the few numbers the
 * forward pass needs. Every problem is reported with the file and the offending key, because a wrong
 * config otherwise surfaces much later as a shape error deep inside a matMul.
 *
 * Keys that every Pythia config states are required; keys with a safe, documented Hugging Face default
 * (hidden_act, layer_norm_eps, use_parallel_residual, tie_word_embeddings, attention_bias) may be absent.
 */

export interface GptNeoxConfig {
  /** d_model. */
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  /** hiddenSize / numHeads. */
  headDim: number;
  /** d_mlp. */
  intermediateSize: number;
  /** Leading dimensions of each head that get rotary embeddings: floor(headDim · rotary_pct), even. */
  rotaryDims: number;
  rotaryBase: number;
  maxPositions: number;
  layerNormEps: number;
  /** true: h + attn(LN1(h)) + mlp(LN2(h)); false: h' = h + attn(LN1(h)), then h' + mlp(LN2(h')). */
  parallelResidual: boolean;
  /** true: the unembedding is embed_in's transpose (embed_out.weight may be absent). */
  tiedEmbeddings: boolean;
  vocabSize: number;
  bosTokenId: number | null;
  eosTokenId: number | null;
}

export const GPT_NEOX_ARCHITECTURE = 'GPTNeoXForCausalLM';

type Fields = Record<string, unknown>;

/** Parses and validates a parsed config.json; `fileName` only labels errors. */
export function parseGptNeoxConfig(json: unknown, fileName = 'config.json'): GptNeoxConfig {
  const fail = (problem: string): never => {
    throw new Error(`${fileName}: ${problem}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('is not a JSON object');
  const fields = json as Fields;

  checkArchitecture(fields, fail);
  const hiddenSize = positiveInteger(fields, 'hidden_size', fail);
  const numLayers = positiveInteger(fields, 'num_hidden_layers', fail);
  const numHeads = positiveInteger(fields, 'num_attention_heads', fail);
  const intermediateSize = positiveInteger(fields, 'intermediate_size', fail);
  const vocabSize = positiveInteger(fields, 'vocab_size', fail);
  const maxPositions = positiveInteger(fields, 'max_position_embeddings', fail);
  if (hiddenSize % numHeads !== 0) {
    fail(`"hidden_size" ${hiddenSize} is not divisible by "num_attention_heads" ${numHeads}`);
  }
  const headDim = hiddenSize / numHeads;

  const hiddenAct = optional(fields, 'hidden_act', 'gelu');
  // HF's "gelu" is the exact erf GELU; the tanh approximations ("gelu_new", "gelu_fast") would differ.
  if (hiddenAct !== 'gelu') fail(`"hidden_act" is ${JSON.stringify(hiddenAct)}; only "gelu" (exact erf GELU) is supported`);

  if (fields.rope_scaling !== undefined && fields.rope_scaling !== null) fail('"rope_scaling" is set; scaled rotary embeddings are not supported');
  // Newer transformers versions write partial_rotary_factor / rope_theta instead of the original names.
  const rotaryKey = firstPresent(fields, 'rotary_pct', 'partial_rotary_factor');
  const rotaryPct = positiveNumber(fields, rotaryKey, fail);
  if (rotaryPct > 1) fail(`"${rotaryKey}" is ${rotaryPct}; it must be in (0, 1]`);
  // Same truncation as HF: int(head_size * rotary_pct).
  const rotaryDims = Math.floor(headDim * rotaryPct);
  if (rotaryDims < 2 || rotaryDims % 2 !== 0) {
    fail(`"${rotaryKey}" ${rotaryPct} gives ${rotaryDims} rotary dimensions of the ${headDim} per head; rotate-half needs an even number ≥ 2`);
  }
  const baseKey = firstPresent(fields, 'rotary_emb_base', 'rope_theta');
  const rotaryBase = positiveNumber(fields, baseKey, fail);

  const layerNormEps = fields.layer_norm_eps === undefined ? 1e-5 : positiveNumber(fields, 'layer_norm_eps', fail);
  const parallelResidual = boolean(fields, 'use_parallel_residual', true, fail);
  const tiedEmbeddings = boolean(fields, 'tie_word_embeddings', false, fail);
  if (!boolean(fields, 'attention_bias', true, fail)) fail('"attention_bias" is false; only models with attention biases (as Pythia) are supported');

  return {
    hiddenSize,
    numLayers,
    numHeads,
    headDim,
    intermediateSize,
    rotaryDims,
    rotaryBase,
    maxPositions,
    layerNormEps,
    parallelResidual,
    tiedEmbeddings,
    vocabSize,
    bosTokenId: tokenId(fields, 'bos_token_id', vocabSize, fail),
    eosTokenId: tokenId(fields, 'eos_token_id', vocabSize, fail),
  };
}

function checkArchitecture(fields: Fields, fail: (problem: string) => never): void {
  const { architectures, model_type: modelType } = fields;
  if (architectures !== undefined) {
    if (!Array.isArray(architectures) || !architectures.includes(GPT_NEOX_ARCHITECTURE)) {
      fail(`"architectures" is ${JSON.stringify(architectures)}; expected it to include "${GPT_NEOX_ARCHITECTURE}"`);
    }
  }
  if (modelType !== undefined && modelType !== 'gpt_neox') fail(`"model_type" is ${JSON.stringify(modelType)}; expected "gpt_neox"`);
}

/** The original key if present, else its newer alias if present, else the original (to be reported missing). */
function firstPresent(fields: Fields, original: string, alias: string): string {
  return fields[original] === undefined && fields[alias] !== undefined ? alias : original;
}

function optional(fields: Fields, key: string, fallback: unknown): unknown {
  return fields[key] === undefined ? fallback : fields[key];
}

function positiveInteger(fields: Fields, key: string, fail: (problem: string) => never): number {
  const value = fields[key];
  if (value === undefined) fail(`missing "${key}"`);
  if (!Number.isSafeInteger(value) || (value as number) <= 0) fail(`"${key}" is ${JSON.stringify(value)}; expected a positive integer`);
  return value as number;
}

function positiveNumber(fields: Fields, key: string, fail: (problem: string) => never): number {
  const value = fields[key];
  if (value === undefined) fail(`missing "${key}"`);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`"${key}" is ${JSON.stringify(value)}; expected a positive number`);
  return value as number;
}

function boolean(fields: Fields, key: string, fallback: boolean, fail: (problem: string) => never): boolean {
  const value = optional(fields, key, fallback);
  if (typeof value !== 'boolean') fail(`"${key}" is ${JSON.stringify(value)}; expected true or false`);
  return value as boolean;
}

function tokenId(fields: Fields, key: string, vocabSize: number, fail: (problem: string) => never): number | null {
  const value = fields[key];
  if (value === undefined || value === null) return null;
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) >= vocabSize) {
    fail(`"${key}" is ${JSON.stringify(value)}; expected a token id in [0, ${vocabSize})`);
  }
  return value as number;
}
