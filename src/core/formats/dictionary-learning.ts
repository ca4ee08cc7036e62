/**
 * Marks & Mueller's `dictionary_learning` layout, the one the paper's SAEs were trained and released
 * with: a folder per trainer holding `ae.pt` (a PyTorch state dict) and `config.json`, whose
 * `trainer` block names the dictionary class, its sizes, `k`, `seed`, `lm_name`, `layer`,
 * `submodule_name` and the trainer's coefficients.
 *
 * State dicts, mapped onto the lab's weights (W_enc [d_in, d_sae], W_dec [d_sae, d_in]):
 * - `AutoEncoder` (ReLU): encoder.weight [d_sae, d_in], encoder.bias, decoder.weight [d_in, d_sae], bias [d_in];
 * - `AutoEncoderTopK`, `BatchTopKSAE`: the same with b_dec for the bias, plus buffers k and threshold;
 * - `JumpReluAutoEncoder`: W_enc, b_enc, W_dec, b_dec and a per-latent threshold, already in the lab's layout.
 */
import type { SaeWeights } from '../sae/weights';
import { assertFinite } from './finite';
import { transpose } from '../host-matrix';
import { jsonObject } from './plain-data';
import type { ReleasedArchitecture } from './released-architecture';
import { readTorchCheckpoint, type TorchTensor } from './torch-checkpoint';

export const DL_CONFIG_FILE = 'config.json';
export const DL_WEIGHTS_FILE = 'ae.pt';


export interface DictionaryLearningSae {
  weights: SaeWeights;
  architecture: ReleasedArchitecture;
  /** The trainer block of config.json, as written: what a sweep's configurations differ by. */
  trainer: Record<string, unknown>;
  seed: number | null;
  hookName: string | null;
  modelName: string | null;
}

export interface DictionaryLearningFiles {
  [DL_CONFIG_FILE]: string;
  [DL_WEIGHTS_FILE]: Uint8Array;
}

/** Reads one trainer folder; `name` (the folder) prefixes every message. */
export function readDictionaryLearning(files: DictionaryLearningFiles, name: string): DictionaryLearningSae {
  const cfgName = `${name}/${DL_CONFIG_FILE}`;
  const ptName = `${name}/${DL_WEIGHTS_FILE}`;
  const trainer = trainerBlock(files[DL_CONFIG_FILE], cfgName);
  const dictClass = trainer.dict_class;
  const d_in = positiveInteger(trainer, 'activation_dim', cfgName);
  const d_sae = positiveInteger(trainer, 'dict_size', cfgName);
  const tensors = readTorchCheckpoint(files[DL_WEIGHTS_FILE], ptName);
  const tensor = (key: string, shape: number[], meaning: string): TorchTensor => {
    const t = tensors.get(key);
    if (!t) throw new Error(`${ptName}: no tensor "${key}" (a ${String(dictClass)} state dict has ${meaning}); found ${[...tensors.keys()].join(', ')}`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`${ptName}: tensor "${key}" has shape [${t.shape.join(', ')}], expected ${meaning} = [${shape.join(', ')}] from ${DL_CONFIG_FILE}`);
    }
    return t;
  };
  const floats = (key: string, shape: number[], meaning: string) => {
    const { data } = tensor(key, shape, meaning);
    if (!(data instanceof Float32Array)) throw new Error(`${ptName}: tensor "${key}" holds integers, expected floats`);
    assertFinite(data, `${ptName}: tensor "${key}"`);
    return data;
  };
  const linearLayout = (bias: string): SaeWeights => ({
    d_in,
    d_sae,
    W_enc: transpose(floats('encoder.weight', [d_sae, d_in], '[dict_size, activation_dim]'), d_sae, d_in),
    b_enc: floats('encoder.bias', [d_sae], '[dict_size]'),
    W_dec: transpose(floats('decoder.weight', [d_in, d_sae], '[activation_dim, dict_size]'), d_in, d_sae),
    b_dec: floats(bias, [d_in], '[activation_dim]'),
  });
  const bufferK = () => {
    const k = Number(tensor('k', [], 'the scalar buffer k').data[0]);
    if (!(Number.isInteger(k) && k > 0 && k <= d_sae)) throw new Error(`${ptName}: k = ${k} must be a whole number from 1 to dict_size (${d_sae})`);
    if (trainer.k !== undefined && trainer.k !== k) throw new Error(`${ptName}: k = ${k}, but ${DL_CONFIG_FILE} says k = ${JSON.stringify(trainer.k)}`);
    return k;
  };

  let weights: SaeWeights;
  let architecture: ReleasedArchitecture;
  switch (dictClass) {
    case 'AutoEncoder':
      weights = linearLayout('bias');
      architecture = { kind: 'relu' };
      break;
    case 'AutoEncoderTopK':
      weights = linearLayout('b_dec');
      architecture = { kind: 'topk', k: bufferK() };
      break;
    case 'BatchTopKSAE':
      weights = linearLayout('b_dec');
      architecture = { kind: 'batchtopk', k: bufferK(), threshold: floats('threshold', [], 'the scalar buffer threshold')[0] };
      break;
    case 'JumpReluAutoEncoder':
      weights = {
        d_in,
        d_sae,
        W_enc: floats('W_enc', [d_in, d_sae], '[activation_dim, dict_size]'),
        b_enc: floats('b_enc', [d_sae], '[dict_size]'),
        W_dec: floats('W_dec', [d_sae, d_in], '[dict_size, activation_dim]'),
        b_dec: floats('b_dec', [d_in], '[activation_dim]'),
      };
      architecture = { kind: 'jumprelu', threshold: floats('threshold', [d_sae], '[dict_size]') };
      break;
    default:
      throw new Error(`${cfgName}: dict_class ${JSON.stringify(dictClass)} is not supported (AutoEncoder, AutoEncoderTopK, BatchTopKSAE, JumpReluAutoEncoder)`);
  }
  return {
    weights,
    architecture,
    trainer,
    seed: Number.isSafeInteger(trainer.seed) ? (trainer.seed as number) : null,
    hookName: hookNameOf(trainer),
    modelName: typeof trainer.lm_name === 'string' ? trainer.lm_name : null,
  };
}

export function trainerBlock(text: string, fileName: string): Record<string, unknown> {
  const trainer = jsonObject(text, fileName).trainer;
  if (typeof trainer !== 'object' || trainer === null || Array.isArray(trainer)) throw new Error(`${fileName}: has no "trainer" object (dictionary_learning writes {"trainer": {...}, "buffer": {...}})`);
  return trainer as Record<string, unknown>;
}

/**
 * The lab names hooks as TransformerLens does. dictionary_learning names the submodule
 * (`resid_post_layer_3`) and the layer: a residual-stream output maps onto `blocks.<layer>.hook_resid_post`;
 * anything else keeps its own name, so SAEs of different submodules still never mix.
 */
function hookNameOf(trainer: Record<string, unknown>): string | null {
  const submodule = trainer.submodule_name;
  const layer = trainer.layer;
  if (typeof submodule !== 'string') return Number.isSafeInteger(layer) ? `layer ${layer}` : null;
  if (/^resid_post/.test(submodule) && Number.isSafeInteger(layer)) return `blocks.${layer}.hook_resid_post`;
  return submodule;
}

function positiveInteger(record: Record<string, unknown>, key: string, fileName: string): number {
  const value = record[key];
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw new Error(`${fileName}: trainer.${key} is ${JSON.stringify(value)}, expected a positive integer`);
  return value as number;
}

