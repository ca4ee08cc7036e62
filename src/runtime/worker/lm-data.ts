/**
 * A worker's language-model data: activation shards streamed from a URL or from picked files into a
 * bounded sample of rows, normalised as the paper does (src/core/shards/normalise.ts), and the optional GPT-NeoX model that
 * shows contexts, the logit lens and steering. Fetching and file reading only; the science is in
 * src/core/shards and src/core/model.
 */
import { loadGptNeoxModel, type GptNeox, type HookName, type ModelFiles, type TextTokenizer } from '../../core/model';
import { checkHookName } from '../../core/model/hooks';
import {
  blobShardInput,
  CONTEXT_WINDOW,
  DEFAULT_MAX_BYTES,
  loadActivationShards,
  normaliseRows,
  parseManifest,
  type ShardInput,
  type ShardManifest,
} from '../../core/shards';
import { urlShardInput } from '../../io/shards-web';
import type { ModelInfo, ModelSource, ShardDataInfo, ShardProgress, ShardSource } from '../protocol/lab-api';

export interface LmData {
  info: ShardDataInfo;
  /** [rows, d_model], already multiplied by info.scale. */
  rows: Float32Array;
  /** Per row, its token id (-1 when unknown) and the CONTEXT_WINDOW tokens before it (-1 padded). */
  tokens: Int32Array;
  contexts: Int32Array;
  contextWindow: number;
  hook: string;
}

export interface LoadedModel {
  model: GptNeox;
  tokenizer: TextTokenizer;
  info: ModelInfo;
}

const MANIFEST = 'manifest.json';
const SHARD_EXTENSIONS = ['.safetensors', '.npy'];

export async function loadLmData(source: ShardSource, maxBytes = DEFAULT_MAX_BYTES, onProgress?: (progress: ShardProgress) => void): Promise<LmData> {
  const { manifest, inputs, label } = source.kind === 'url' ? await urlInputs(source.manifestUrl) : await fileInputs(source.files);
  const loaded = await loadActivationShards({ manifest: manifest ?? undefined, inputs }, { maxBytes, onProgress: onProgress && ((p) => onProgress({ ...p, bytesTotal: p.bytesTotal ?? null })) });
  const scale = normaliseRows(loaded.rows, loaded.d_model);
  return {
    rows: loaded.rows,
    tokens: loaded.tokens,
    contexts: loaded.contexts,
    contextWindow: CONTEXT_WINDOW,
    hook: loaded.hook ?? 'unknown hook',
    info: {
      model: loaded.model ?? label,
      hook: loaded.hook ?? 'unknown hook',
      d_model: loaded.d_model,
      totalTokens: loaded.totalTokens,
      rows: loaded.count,
      sampled: loaded.sampled,
      maxBytes,
      scale,
      hasTokens: loaded.tokens.length > 0 && loaded.tokens[0] >= 0,
      synthetic: loaded.synthetic ?? false,
      note: loaded.note ?? null,
      files: loaded.files,
    },
  };
}

async function urlInputs(manifestUrl: string): Promise<{ manifest: ShardManifest; inputs: ShardInput[]; label: string }> {
  const manifest = parseManifest(await fetchJson(manifestUrl), manifestUrl);
  const inputs = manifest.shards.map((shard) => urlShardInput(new URL(shard.file, manifestUrl).href, shard.file));
  return { manifest, inputs, label: manifestUrl };
}

async function fileInputs(files: File[]): Promise<{ manifest: ShardManifest | null; inputs: ShardInput[]; label: string }> {
  const byName = new Map(files.map((file) => [file.name, file]));
  const manifestFile = byName.get(MANIFEST);
  if (manifestFile) {
    const manifest = parseManifest(parseJson(await manifestFile.text(), MANIFEST), MANIFEST);
    const missing = manifest.shards.filter((shard) => !byName.has(shard.file)).map((shard) => shard.file);
    if (missing.length > 0) throw new Error(`${MANIFEST} lists ${missing.join(', ')}, which ${missing.length === 1 ? 'was' : 'were'} not among the chosen files`);
    return { manifest, inputs: manifest.shards.map((shard) => blobShardInput(byName.get(shard.file)!, shard.file)), label: MANIFEST };
  }
  const shards = files.filter((file) => SHARD_EXTENSIONS.some((ext) => file.name.endsWith(ext))).sort((a, b) => a.name.localeCompare(b.name));
  if (shards.length === 0) {
    throw new Error(`none of the chosen files (${files.map((f) => f.name).join(', ') || 'none'}) is a manifest.json, a .safetensors shard or a .npy array`);
  }
  return { manifest: null, inputs: shards.map((file) => blobShardInput(file, file.name)), label: shards[0].name };
}

/** Loads a model whose hidden size and hooks fit the data the worker trains on. */
export async function loadModel(source: ModelSource, data: Pick<LmData, 'hook' | 'info'>): Promise<LoadedModel> {
  const loaded = await readModel(source);
  try {
    if (loaded.info.d_model !== data.info.d_model) {
      throw new Error(`${loaded.info.name}: the model's hidden_size is ${loaded.info.d_model}, but the activation shards have d_model ${data.info.d_model}`);
    }
    checkHookName(data.hook, loaded.info.layers);
  } catch (error) {
    loaded.model.dispose();
    throw error;
  }
  return loaded;
}

/** A GPT-NeoX model folder from a URL or picked files, whatever it will be used with. */
export async function readModel(source: ModelSource): Promise<LoadedModel> {
  const files = source.kind === 'url' ? await urlModelFiles(source.baseUrl) : await pickedModelFiles(source.files);
  const { model, tokenizer, config } = loadGptNeoxModel(files, files.label);
  const name = typeof (files.config as { _name_or_path?: unknown })._name_or_path === 'string' ? String((files.config as { _name_or_path: string })._name_or_path) : files.label;
  return { model, tokenizer, info: { name, layers: config.numLayers, d_model: config.hiddenSize, vocab: config.vocabSize } };
}

export function hookOf(data: Pick<LmData, 'hook'>): HookName {
  return data.hook as HookName;
}

/** A model folder's files, with the folder's name for messages. */
type LabelledModelFiles = ModelFiles & { label: string };

async function urlModelFiles(baseUrl: string): Promise<LabelledModelFiles> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const url = (file: string) => new URL(file, base).href;
  const [config, weights, tokenizer, tokenizerConfig] = await Promise.all([
    fetchJson(url('config.json')),
    fetchBytes(url('model.safetensors')),
    fetchJson(url('tokenizer.json')),
    fetchJson(url('tokenizer_config.json')).catch(() => undefined),
  ]);
  return { label: base, config, weights, tokenizer, tokenizerConfig };
}

async function pickedModelFiles(files: File[]): Promise<LabelledModelFiles> {
  const byName = new Map(files.map((file) => [file.name, file]));
  const required = (name: string) => {
    const file = byName.get(name);
    if (!file) throw new Error(`${name} is missing: a model folder needs config.json, model.safetensors and tokenizer.json (got ${[...byName.keys()].join(', ') || 'no files'})`);
    return file;
  };
  const json = async (name: string, file: File) => parseJson(await file.text(), name);
  const configFile = required('config.json');
  const weightsFile = required('model.safetensors');
  const tokenizerFile = required('tokenizer.json');
  const tokenizerConfigFile = byName.get('tokenizer_config.json');
  return {
    label: folderOf(configFile),
    config: await json('config.json', configFile),
    weights: new Uint8Array(await weightsFile.arrayBuffer()),
    tokenizer: await json('tokenizer.json', tokenizerFile),
    tokenizerConfig: tokenizerConfigFile ? await json('tokenizer_config.json', tokenizerConfigFile) : undefined,
  };
}

async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`${url}: cannot be fetched (${(error as Error).message})`);
  }
  if (!response.ok) throw new Error(`${url}: the server answered ${response.status} ${response.statusText}`.trim());
  return response;
}

async function fetchJson(url: string): Promise<unknown> {
  return parseJson(await (await fetchOk(url)).text(), url);
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchOk(url)).arrayBuffer());
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${name}: not valid JSON (${(error as Error).message})`);
  }
}

function folderOf(file: File): string {
  const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : 'the chosen model files';
}
