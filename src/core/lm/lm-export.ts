/**
 * A trained GPT-NeoX as a Hugging Face model folder's two model files: config.json (Pythia's keys) and
 * model.safetensors in F16 with GPT-NeoX's tensor names and [out, in] Linear layout, i.e. exactly what
 * GptNeox.fromSafetensors (and transformers' GPTNeoXForCausalLM) load.
 */
import { writeSafetensors, type TensorToWrite } from '../formats/safetensors';
import type { GptNeoxConfig } from '../model/config';
import { gptNeoxConfigJson, namedParams } from '../model/trainable-weights';
import type { GptNeoxWeights } from '../model/weights';
import { transpose } from '../host-matrix';

export interface HfModelFiles {
  /** config.json, to JSON.stringify. */
  config: Record<string, unknown>;
  /** model.safetensors bytes. */
  safetensors: Uint8Array;
}

/** `extraConfig` adds keys to config.json (e.g. what the model was trained on). */
export async function exportHfModel(config: GptNeoxConfig, weights: GptNeoxWeights, extraConfig: Record<string, unknown> = {}): Promise<HfModelFiles> {
  const tensors: Record<string, TensorToWrite> = {};
  for (const param of namedParams(weights)) {
    const data = (await param.tensor.data()) as Float32Array;
    if (param.layout === 'linear') {
      const [inputs, outputs] = param.tensor.shape;
      tensors[param.name] = { dtype: 'F16', shape: [outputs, inputs], data: transpose(data, inputs, outputs) };
    } else {
      tensors[param.name] = { dtype: 'F16', shape: [...param.tensor.shape], data: Float32Array.from(data) };
    }
  }
  return {
    config: gptNeoxConfigJson(config, extraConfig),
    safetensors: writeSafetensors(tensors, { metadata: { format: 'pt' }, fileName: 'model.safetensors' }),
  };
}

