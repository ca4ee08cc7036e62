/**
 * GPT-NeoX weights to train: the same GptNeoxWeights the inference path reads, made of tf.Variables with a
 * seeded initialisation, plus the list of parameters under their Hugging Face names (for the optimiser,
 * checkpoints and the model.safetensors export).
 *
 * Initialisation (GPT-NeoX / Pythia style): every matrix normal(0, 0.02), the two output projections of
 * each block (attention.dense, dense_4h_to_h) normal(0, 0.02/√(2·layers)) as in GPT-2, biases 0,
 * LayerNorm weight 1 and bias 0. Drawn on the CPU by the lab's seeded Rng, so every backend starts alike.
 */
import { Rng } from '../rng';
import { tf } from '../tf';
import type { GptNeoxConfig } from './config';
import { EMBED_IN, EMBED_OUT, FINAL_LAYER_NORM, layerTensorNames, type GptNeoxWeights, type LayerNormWeights, type LayerWeights } from './weights';

export const INIT_STD = 0.02;

/**
 * One parameter. `layout`: 'linear' tensors are stored [in, out] here and [out, in] in Hugging Face files;
 * 'plain' ones (embed_in [vocab, d], vectors) are stored alike. `decay`: weight decay applies (matrices only).
 */
export interface NamedParam {
  name: string;
  tensor: tf.Tensor;
  layout: 'linear' | 'plain';
  decay: boolean;
}

/** The parameters of `weights` in a fixed order, under Hugging Face names. Untied unembedding only. */
export function namedParams(weights: GptNeoxWeights): NamedParam[] {
  const out: NamedParam[] = [{ name: EMBED_IN, tensor: weights.embedIn, layout: 'plain', decay: true }];
  const norm = (name: string, ln: LayerNormWeights) => {
    out.push({ name: `${name}.weight`, tensor: ln.gamma, layout: 'plain', decay: false });
    out.push({ name: `${name}.bias`, tensor: ln.beta, layout: 'plain', decay: false });
  };
  const linear = (name: string, weight: tf.Tensor, bias: tf.Tensor) => {
    out.push({ name: `${name}.weight`, tensor: weight, layout: 'linear', decay: true });
    out.push({ name: `${name}.bias`, tensor: bias, layout: 'plain', decay: false });
  };
  weights.layers.forEach((layer, index) => {
    const names = layerTensorNames(index);
    norm(names.ln1, layer.ln1);
    norm(names.ln2, layer.ln2);
    linear(names.qkv, layer.qkvWeight, layer.qkvBias);
    linear(names.attnOut, layer.attnOutWeight, layer.attnOutBias);
    linear(names.mlpIn, layer.mlpInWeight, layer.mlpInBias);
    linear(names.mlpOut, layer.mlpOutWeight, layer.mlpOutBias);
  });
  norm(FINAL_LAYER_NORM, weights.finalLn);
  out.push({ name: EMBED_OUT, tensor: weights.unembed, layout: 'linear', decay: true });
  return out;
}

/** Freshly initialised trainable weights for `config` (which must have untied embeddings). */
export function initTrainableWeights(config: GptNeoxConfig, seed: number): GptNeoxWeights {
  if (config.tiedEmbeddings) throw new Error('initTrainableWeights: tied embeddings are not supported for training; set tie_word_embeddings false');
  const rng = new Rng(seed);
  const d = config.hiddenSize;
  const dMlp = config.intermediateSize;
  const outputStd = INIT_STD / Math.sqrt(2 * config.numLayers);
  const created: tf.Variable[] = [];
  const variable = <T extends tf.Tensor>(values: Float32Array, shape: number[]): T => {
    const v = tf.variable(tf.tensor(values, shape), true);
    created.push(v);
    return v as unknown as T;
  };
  const normal = <T extends tf.Tensor>(shape: number[], std: number): T => variable<T>(rng.fillNormal(new Float32Array(size(shape)), std), shape);
  const constant = (length: number, value: number): tf.Tensor1D => variable(new Float32Array(length).fill(value), [length]);
  const layerNorm = (): LayerNormWeights => ({ gamma: constant(d, 1), beta: constant(d, 0) });
  return tf.tidy(() => {
    const embedIn = normal<tf.Tensor2D>([config.vocabSize, d], INIT_STD);
    const layers: LayerWeights[] = [];
    for (let layer = 0; layer < config.numLayers; layer++) {
      layers.push({
        ln1: layerNorm(),
        ln2: layerNorm(),
        qkvWeight: normal([d, 3 * d], INIT_STD),
        qkvBias: constant(3 * d, 0),
        attnOutWeight: normal([d, d], outputStd),
        attnOutBias: constant(d, 0),
        mlpInWeight: normal([d, dMlp], INIT_STD),
        mlpInBias: constant(dMlp, 0),
        mlpOutWeight: normal([dMlp, d], outputStd),
        mlpOutBias: constant(d, 0),
      });
    }
    const finalLn = layerNorm();
    const unembed = normal<tf.Tensor2D>([d, config.vocabSize], INIT_STD);
    // Variables outlive the tidy; only the initial tensors they were made from are freed.
    return { embedIn, layers, finalLn, unembed } as unknown as tf.TensorContainer;
  }) as unknown as GptNeoxWeights;
}

/** Overwrites every parameter with `values` (aligned with namedParams, each in this layout). */
export function assignParams(weights: GptNeoxWeights, values: readonly Float32Array[]): void {
  const params = namedParams(weights);
  if (values.length !== params.length) throw new Error(`assignParams: ${values.length} arrays for ${params.length} parameters`);
  tf.tidy(() => {
    params.forEach((param, i) => {
      if (values[i].length !== param.tensor.size) throw new Error(`assignParams: ${param.name} holds ${param.tensor.size} values, got ${values[i].length}`);
      // A copy: on host-memory backends a tensor may keep the very array it was made from.
      (param.tensor as tf.Variable).assign(tf.tensor(values[i].slice(), param.tensor.shape));
    });
  });
}

/** Pythia-style config.json for `config` (GPTNeoXForCausalLM), plus any `extra` keys. */
export function gptNeoxConfigJson(config: GptNeoxConfig, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    architectures: ['GPTNeoXForCausalLM'],
    model_type: 'gpt_neox',
    hidden_size: config.hiddenSize,
    num_attention_heads: config.numHeads,
    num_hidden_layers: config.numLayers,
    intermediate_size: config.intermediateSize,
    hidden_act: 'gelu',
    rotary_pct: config.rotaryDims / config.headDim,
    rotary_emb_base: config.rotaryBase,
    max_position_embeddings: config.maxPositions,
    initializer_range: INIT_STD,
    layer_norm_eps: config.layerNormEps,
    use_parallel_residual: config.parallelResidual,
    use_cache: true,
    attention_bias: true,
    tie_word_embeddings: config.tiedEmbeddings,
    vocab_size: config.vocabSize,
    bos_token_id: config.bosTokenId,
    eos_token_id: config.eosTokenId,
    torch_dtype: 'float16',
    ...extra,
  };
}

/** A training config: Pythia's choices (rotary on 25% of each head, parallel residual, d_mlp 4·d, untied). */
export function trainingConfig(sizes: { layers: number; dModel: number; heads: number; context: number; vocabSize: number; bosTokenId?: number | null; eosTokenId?: number | null }): GptNeoxConfig {
  const { layers, dModel, heads, context, vocabSize } = sizes;
  if (dModel % heads !== 0) throw new Error(`d_model ${dModel} is not divisible by ${heads} heads`);
  const headDim = dModel / heads;
  const rotaryDims = Math.floor(headDim * 0.25);
  if (rotaryDims < 2 || rotaryDims % 2 !== 0) throw new Error(`head dimension ${headDim}: 25% of it (${rotaryDims}) must be even and at least 2`);
  return {
    hiddenSize: dModel,
    numLayers: layers,
    numHeads: heads,
    headDim,
    intermediateSize: 4 * dModel,
    rotaryDims,
    rotaryBase: 10000,
    maxPositions: context,
    layerNormEps: 1e-5,
    parallelResidual: true,
    tiedEmbeddings: false,
    vocabSize,
    bosTokenId: sizes.bosTokenId ?? null,
    eosTokenId: sizes.eosTokenId ?? null,
  };
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
