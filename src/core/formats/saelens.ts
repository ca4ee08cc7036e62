/**
 * SAELens on-disk layout: `cfg.json` plus `sae_weights.safetensors` holding W_enc [d_in, d_sae],
 * b_enc [d_sae], W_dec [d_sae, d_in] and b_dec [d_in]. Works on file contents, not paths, so the caller
 * decides where files live (download, zip, disk).
 *
 * Reading also accepts EleutherAI's `sparsify` layout (`sae.safetensors` with `encoder.weight`
 * [d_sae, d_in], `encoder.bias`, `W_dec`, `b_dec`; always TopK), since it differs only in names and the
 * encoder's orientation.
 */
import { SAE_VARIANTS, saeArchitecture, saeVariant, sameArchitecture, VARIANT_KINDS, type SaeArchitecture } from '../sae/variants';
import { checkWeightShapes, type SaeWeights } from '../sae/weights';
import type { TrainConfig } from '../train/config';
import { savedTrainConfig } from '../train/saved-config';
import { parseTrainConfig } from '../train/schema';
import { assertFinite } from './finite';
import { transpose } from '../host-matrix';
import { jsonObject } from './plain-data';
import type { ReleasedArchitecture } from './released-architecture';
import { openSafetensors, writeSafetensors, type SafetensorsReader } from './safetensors';

/** What a saved SAE keeps of its activation; each variant's SAELens names are in core/sae/variants.ts. */
export type { SaeArchitecture };
export type SaeLensDtype = 'float32' | 'float16';

export const SAELENS_CFG_FILE = 'cfg.json';
export const SAELENS_WEIGHTS_FILE = 'sae_weights.safetensors';
export const SPARSIFY_WEIGHTS_FILE = 'sae.safetensors';

export interface SaeLensFiles {
  [SAELENS_CFG_FILE]: string;
  [SAELENS_WEIGHTS_FILE]: Uint8Array;
}

export interface SaeLensWriteOptions {
  /** Where the SAE reads activations, e.g. `blocks.3.hook_resid_post`; for MNIST, the lab's own label. */
  hookName: string;
  architecture: SaeArchitecture;
  /** Storage precision of the weights; float32 unless said otherwise. */
  dtype?: SaeLensDtype;
  modelName?: string;
  /** The lab's training settings, stored verbatim under `lab_training`; reading parses them back. */
  training?: TrainConfig;
}

export function writeSaeLens(weights: SaeWeights, options: SaeLensWriteOptions): SaeLensFiles {
  checkWeightShapes(weights);
  const { d_in, d_sae } = weights;
  const tensors = {
    W_enc: { shape: [d_in, d_sae], data: weights.W_enc },
    b_enc: { shape: [d_sae], data: weights.b_enc },
    W_dec: { shape: [d_sae, d_in], data: weights.W_dec },
    b_dec: { shape: [d_in], data: weights.b_dec },
  };
  for (const [name, { data }] of Object.entries(tensors)) assertFinite(data, `SAE weight ${name}`);
  const dtype = options.dtype ?? 'float32';
  const storage = dtype === 'float16' ? 'F16' : 'F32';
  const { architecture } = options;
  const variant = saeVariant(architecture.kind).saelens;
  const cfg = {
    architecture: variant.architecture,
    d_in,
    d_sae,
    ...variant.kwargs(architecture),
    // Older SAELens versions read the activation from these two keys instead of `architecture`.
    activation_fn_str: architecture.kind,
    activation_fn_kwargs: variant.kwargs(architecture),
    dtype,
    hook_name: options.hookName,
    ...(options.modelName === undefined ? {} : { model_name: options.modelName }),
    // The lab encodes f = act(W_enc(x − b_dec) + b_enc) on raw (unnormalised) inputs.
    apply_b_dec_to_input: true,
    normalize_activations: 'none',
    ...(options.training === undefined ? {} : { lab_training: options.training }),
  };
  const safetensors = writeSafetensors(
    Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, { dtype: storage, ...t }])),
    { fileName: SAELENS_WEIGHTS_FILE, metadata: { format: 'pt' } },
  );
  return { [SAELENS_CFG_FILE]: JSON.stringify(cfg, null, 2), [SAELENS_WEIGHTS_FILE]: safetensors };
}

export interface SaeFileContents {
  [SAELENS_CFG_FILE]: string;
  [SAELENS_WEIGHTS_FILE]?: Uint8Array | ArrayBuffer;
  [SPARSIFY_WEIGHTS_FILE]?: Uint8Array | ArrayBuffer;
}

export interface LoadedSae {
  weights: SaeWeights;
  architecture: ReleasedArchitecture;
  hookName: string | null;
  /** SAELens ≤ 5 writes it at the top of cfg.json, SAELens 6 in its `metadata` block. */
  modelName: string | null;
  /**
   * The configuration the SAE trained with, from `lab_training` (completed with fields older labs did
   * not write, then checked against the schema); null for SAEs the lab did not train.
   */
  training: TrainConfig | null;
  /** The whole parsed cfg.json. */
  cfg: Record<string, unknown>;
}

/** Reads an SAE from its files' contents; `name` (e.g. a folder or URL) prefixes every error message. */
export function readSaeLens(files: SaeFileContents, name = 'SAE'): LoadedSae {
  const cfg = jsonObject(files[SAELENS_CFG_FILE], `${name}/${SAELENS_CFG_FILE}`);
  const saelensBytes = files[SAELENS_WEIGHTS_FILE];
  const sparsifyBytes = files[SPARSIFY_WEIGHTS_FILE];
  const bytes = saelensBytes ?? sparsifyBytes;
  if (!bytes) throw new Error(`${name}: needs ${SAELENS_WEIGHTS_FILE} or ${SPARSIFY_WEIGHTS_FILE} next to ${SAELENS_CFG_FILE}`);
  const fileName = `${name}/${saelensBytes ? SAELENS_WEIGHTS_FILE : SPARSIFY_WEIGHTS_FILE}`;
  const reader = openSafetensors(bytes, fileName);
  const isSparsify = reader.entries.has('encoder.weight');
  const weights = isSparsify ? readSparsifyWeights(reader, cfg, name) : readSaeLensWeights(reader, cfg, name);
  for (const key of ['W_enc', 'b_enc', 'W_dec', 'b_dec'] as const) assertFinite(weights[key], `${fileName}: tensor "${key}"`);
  // SAELens 6 moved the run's provenance (hook, model) into a `metadata` block; older files keep it on top.
  const metadata = typeof cfg.metadata === 'object' && cfg.metadata !== null ? (cfg.metadata as Record<string, unknown>) : {};
  const text = (key: string) => (typeof cfg[key] === 'string' ? (cfg[key] as string) : typeof metadata[key] === 'string' ? (metadata[key] as string) : null);
  if (cfg.architecture === JUMPRELU) {
    const threshold = readShaped(reader, 'threshold', [weights.d_sae], '[d_sae]');
    assertFinite(threshold, `${fileName}: tensor "threshold"`);
    return { weights, architecture: { kind: 'jumprelu', threshold }, hookName: text('hook_name'), modelName: text('model_name'), training: null, cfg };
  }
  const architecture = architectureFromCfg(cfg, isSparsify, `${name}/${SAELENS_CFG_FILE}`);
  const { widthBound, saelens } = saeVariant(architecture.kind);
  if (widthBound && widthBound.value(architecture) > weights.d_sae) {
    throw new Error(`${name}/${SAELENS_CFG_FILE}: ${saelens.architecture} ${widthBound.key}=${widthBound.value(architecture)} exceeds d_sae=${weights.d_sae}`);
  }
  const training = cfg.lab_training === undefined ? null : labTraining(cfg.lab_training, weights, architecture, `${name}/${SAELENS_CFG_FILE}`);
  return {
    weights,
    architecture,
    hookName: text('hook_name'),
    modelName: text('model_name'),
    training,
    cfg,
  };
}

/** The lab's own training settings, checked against the schema and against the weights they describe. */
function labTraining(saved: unknown, weights: SaeWeights, architecture: SaeArchitecture, fileName: string): TrainConfig {
  const config = parseTrainConfig(savedTrainConfig(saved as TrainConfig), fileName, ['lab_training']);
  const { activation } = config;
  if (config.d_in !== weights.d_in || config.d_sae !== weights.d_sae) {
    throw new Error(`${fileName}: lab_training describes a ${config.d_in} → ${config.d_sae} SAE, the weights are ${weights.d_in} → ${weights.d_sae}`);
  }
  if (!sameArchitecture(saeArchitecture(activation), architecture)) {
    throw new Error(`${fileName}: lab_training's activation (${activation.kind}) disagrees with the file's architecture (${architecture.kind})`);
  }
  return config;
}


function positiveInteger(cfg: Record<string, unknown>, key: string, fileName: string): number {
  const value = cfg[key];
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new Error(`${fileName}: "${key}" is ${JSON.stringify(value)}, expected a positive integer`);
  }
  return value as number;
}

/** Reads a float tensor and checks its shape against what cfg.json implies. */
function readShaped(reader: SafetensorsReader, tensorName: string, expected: number[], meaning: string): Float32Array {
  const { shape, data } = reader.readFloat32(tensorName);
  if (shape.length !== expected.length || shape.some((dim, i) => dim !== expected[i])) {
    throw new Error(`${reader.fileName}: tensor "${tensorName}" has shape [${shape.join(', ')}], expected ${meaning} = [${expected.join(', ')}] from cfg.json`);
  }
  return data;
}

function readSaeLensWeights(reader: SafetensorsReader, cfg: Record<string, unknown>, name: string): SaeWeights {
  const cfgName = `${name}/${SAELENS_CFG_FILE}`;
  const d_in = positiveInteger(cfg, 'd_in', cfgName);
  const d_sae = positiveInteger(cfg, 'd_sae', cfgName);
  return {
    d_in,
    d_sae,
    W_enc: readShaped(reader, 'W_enc', [d_in, d_sae], '[d_in, d_sae]'),
    b_enc: readShaped(reader, 'b_enc', [d_sae], '[d_sae]'),
    W_dec: readShaped(reader, 'W_dec', [d_sae, d_in], '[d_sae, d_in]'),
    b_dec: readShaped(reader, 'b_dec', [d_in], '[d_in]'),
  };
}

function readSparsifyWeights(reader: SafetensorsReader, cfg: Record<string, unknown>, name: string): SaeWeights {
  const cfgName = `${name}/${SAELENS_CFG_FILE}`;
  if (cfg.skip_connection === true) throw new Error(`${cfgName}: skip_connection SAEs are not supported`);
  const d_in = positiveInteger(cfg, 'd_in', cfgName);
  const [d_sae] = reader.entries.get('encoder.weight')!.shape;
  const cfgLatents = cfg.num_latents;
  if (typeof cfgLatents === 'number' && cfgLatents > 0 && cfgLatents !== d_sae) {
    throw new Error(`${reader.fileName}: encoder.weight has ${d_sae} latents but cfg.json num_latents is ${cfgLatents}`);
  }
  const encoderRows = readShaped(reader, 'encoder.weight', [d_sae, d_in], '[num_latents, d_in]');
  return {
    d_in,
    d_sae,
    W_enc: transpose(encoderRows, d_sae, d_in),
    b_enc: readShaped(reader, 'encoder.bias', [d_sae], '[num_latents]'),
    W_dec: readShaped(reader, 'W_dec', [d_sae, d_in], '[num_latents, d_in]'),
    b_dec: readShaped(reader, 'b_dec', [d_in], '[d_in]'),
  };
}


/**
 * The variant a cfg.json declares, by its SAELens `architecture` or, from older writers, its
 * `activation_fn_str` (the lab's kind). Sparsify SAEs are always TopK; SAELens's default is standard.
 */
/** SAELens's JumpReLU: f = z · 1[z > threshold], a learnt threshold per latent beside the four weights. */
const JUMPRELU = 'jumprelu';

function architectureFromCfg(cfg: Record<string, unknown>, isSparsify: boolean, fileName: string): SaeArchitecture {
  const declared = cfg.architecture ?? (isSparsify ? SAE_VARIANTS.topk.saelens.architecture : cfg.activation_fn_str) ?? SAE_VARIANTS.relu.saelens.architecture;
  const kind = VARIANT_KINDS.find((k) => declared === saeVariant(k).saelens.architecture || declared === k);
  if (kind === undefined) {
    const known = VARIANT_KINDS.map((k) => saeVariant(k).saelens.architecture).join(', ');
    throw new Error(`${fileName}: architecture ${JSON.stringify(declared)} is not supported (${known}, ${JUMPRELU})`);
  }
  return saeVariant(kind).saelens.read(cfg, fileName);
}
