/**
 * GPT-NeoX weights as tfjs tensors, read from a Hugging Face model's safetensors file (F32, F16 or BF16;
 * everything becomes float32). HF Linear weights are stored [out, in]; they are transposed once here, on the
 * CPU, so that the forward pass runs plain `x · W` matMuls (tfjs-wasm/cpu run transposed matMuls ~20× slower).
 */
import type { SafetensorsReader } from '../formats/safetensors';
import { tf } from '../tf';
import type { GptNeoxConfig } from './config';
import { transpose } from '../host-matrix';

export interface LayerNormWeights {
  gamma: tf.Tensor1D; // [d_model]
  beta: tf.Tensor1D; // [d_model]
}

export interface LayerWeights {
  ln1: LayerNormWeights; // input_layernorm, before attention
  ln2: LayerNormWeights; // post_attention_layernorm, before the MLP
  /** [d_model, 3·d_model]; output columns ordered [head, q|k|v, head_dim] as in HF's fused layout. */
  qkvWeight: tf.Tensor2D;
  qkvBias: tf.Tensor1D; // [3·d_model]
  attnOutWeight: tf.Tensor2D; // [d_model, d_model]
  attnOutBias: tf.Tensor1D; // [d_model]
  mlpInWeight: tf.Tensor2D; // [d_model, d_mlp]
  mlpInBias: tf.Tensor1D; // [d_mlp]
  mlpOutWeight: tf.Tensor2D; // [d_mlp, d_model]
  mlpOutBias: tf.Tensor1D; // [d_model]
}

export interface GptNeoxWeights {
  embedIn: tf.Tensor2D; // [vocab, d_model]
  layers: LayerWeights[];
  finalLn: LayerNormWeights;
  unembed: tf.Tensor2D; // [d_model, vocab]
}

/** Hugging Face tensor names of one layer. */
export function layerTensorNames(layer: number) {
  const prefix = `gpt_neox.layers.${layer}`;
  return {
    ln1: `${prefix}.input_layernorm`,
    ln2: `${prefix}.post_attention_layernorm`,
    qkv: `${prefix}.attention.query_key_value`,
    attnOut: `${prefix}.attention.dense`,
    mlpIn: `${prefix}.mlp.dense_h_to_4h`,
    mlpOut: `${prefix}.mlp.dense_4h_to_h`,
  };
}

export const EMBED_IN = 'gpt_neox.embed_in.weight';
export const FINAL_LAYER_NORM = 'gpt_neox.final_layer_norm';
export const EMBED_OUT = 'embed_out.weight';

/** Reads and validates every weight. Tensors the model does not use (e.g. HF's cached causal-mask
 *  buffers `attention.bias`, `rotary_emb.inv_freq`) are ignored. On error nothing is left allocated. */
export function loadGptNeoxWeights(reader: SafetensorsReader, config: GptNeoxConfig): GptNeoxWeights {
  const created: tf.Tensor[] = [];
  const d = config.hiddenSize;
  const dMlp = config.intermediateSize;

  const readChecked = (name: string, shape: number[]): Float32Array => {
    const entry = reader.entries.get(name);
    if (!entry) throw new Error(`${reader.fileName}: missing tensor "${name}" (is this a Hugging Face GPT-NeoX model matching config.json?)`);
    if (entry.shape.length !== shape.length || entry.shape.some((dim, i) => dim !== shape[i])) {
      throw new Error(`${reader.fileName}: tensor "${name}" has shape [${entry.shape.join(', ')}], but config.json implies [${shape.join(', ')}]`);
    }
    return reader.readFloat32(name).data;
  };
  const keep = <T extends tf.Tensor>(tensor: T): T => {
    created.push(tensor);
    return tensor;
  };
  const vector = (name: string, length: number) => keep(tf.tensor1d(readChecked(name, [length])));
  /** HF Linear weight [out, in] → [in, out]. */
  const linear = (name: string, inputs: number, outputs: number) =>
    keep(tf.tensor2d(transpose(readChecked(name, [outputs, inputs]), outputs, inputs), [inputs, outputs]));
  const layerNorm = (name: string): LayerNormWeights => ({ gamma: vector(`${name}.weight`, d), beta: vector(`${name}.bias`, d) });

  try {
    const embedInData = readChecked(EMBED_IN, [config.vocabSize, d]);
    const embedIn = keep(tf.tensor2d(embedInData, [config.vocabSize, d]));
    const layers: LayerWeights[] = [];
    for (let layer = 0; layer < config.numLayers; layer++) {
      const names = layerTensorNames(layer);
      layers.push({
        ln1: layerNorm(names.ln1),
        ln2: layerNorm(names.ln2),
        qkvWeight: linear(`${names.qkv}.weight`, d, 3 * d),
        qkvBias: vector(`${names.qkv}.bias`, 3 * d),
        attnOutWeight: linear(`${names.attnOut}.weight`, d, d),
        attnOutBias: vector(`${names.attnOut}.bias`, d),
        mlpInWeight: linear(`${names.mlpIn}.weight`, d, dMlp),
        mlpInBias: vector(`${names.mlpIn}.bias`, dMlp),
        mlpOutWeight: linear(`${names.mlpOut}.weight`, dMlp, d),
        mlpOutBias: vector(`${names.mlpOut}.bias`, d),
      });
    }
    const finalLn = layerNorm(FINAL_LAYER_NORM);
    const tiedUnembed = config.tiedEmbeddings && !reader.entries.has(EMBED_OUT);
    const unembed = tiedUnembed
      ? keep(tf.tensor2d(transpose(embedInData, config.vocabSize, d), [d, config.vocabSize]))
      : linear(EMBED_OUT, d, config.vocabSize);
    return { embedIn, layers, finalLn, unembed };
  } catch (error) {
    tf.dispose(created);
    throw error;
  }
}

export function disposeGptNeoxWeights(weights: GptNeoxWeights): void {
  const { embedIn, layers, finalLn, unembed } = weights;
  tf.dispose([embedIn, unembed, finalLn.gamma, finalLn.beta]);
  for (const layer of layers) {
    tf.dispose([layer.ln1.gamma, layer.ln1.beta, layer.ln2.gamma, layer.ln2.beta]);
    tf.dispose([layer.qkvWeight, layer.qkvBias, layer.attnOutWeight, layer.attnOutBias]);
    tf.dispose([layer.mlpInWeight, layer.mlpInBias, layer.mlpOutWeight, layer.mlpOutBias]);
  }
}

