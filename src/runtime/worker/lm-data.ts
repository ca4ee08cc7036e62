/**
 * A worker's language-model data: activation shards streamed from a URL or from picked files into a
 * bounded sample of rows, normalised as the paper does (src/core/shards/normalise.ts), and the optional GPT-NeoX model that
 * shows contexts, the logit lens and steering. The bytes come from src/io (HTTP, picked files); the
 * science is in src/core/shards and src/core/model.
 */
import { loadGptNeoxModel, type GptNeox, type HookName, type TextTokenizer } from '../../core/model';
import { checkHookName } from '../../core/model/hooks';
import { CONTEXT_WINDOW, DEFAULT_MAX_BYTES, loadActivationShards, normaliseRows } from '../../core/shards';
import { pickedModelFiles, urlModelFiles } from '../../io/model-folder-web';
import { readJudgeFile, type JudgeFile } from '../../core/lm/judge-file';
import { judgeBytes, pickedShardInputs, urlShardInputs } from '../../io/shards-web';
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
  /** Each row's document label (e.g. a WordNet category), when the shards carry labels. */
  labels?: RowLabels;
  /** The concept judge shipped beside labelled shards (the gloss sample's), for concept-grounded steering success. */
  judge?: JudgeFile;
}

export interface RowLabels {
  names: string[];
  /** [rows] an index into `names`, -1 where the row's document had none. */
  rows: Int32Array;
}

export interface LoadedModel {
  model: GptNeox;
  tokenizer: TextTokenizer;
  info: ModelInfo;
}


export async function loadLmData(source: ShardSource, maxBytes = DEFAULT_MAX_BYTES, onProgress?: (progress: ShardProgress) => void): Promise<LmData> {
  const { manifest, inputs, label } = source.kind === 'url' ? await urlShardInputs(source.manifestUrl) : await pickedShardInputs(source.files);
  const loaded = await loadActivationShards({ manifest: manifest ?? undefined, inputs }, { maxBytes, onProgress: onProgress && ((p) => onProgress({ ...p, bytesTotal: p.bytesTotal ?? null })) });
  const scale = normaliseRows(loaded.rows, loaded.d_model);
  const judge = loaded.labelNames.length > 0 ? await judgeBytes(source) : null;
  return {
    ...(judge && { judge: readJudgeFile(judge.bytes, judge.name) }),
    rows: loaded.rows,
    tokens: loaded.tokens,
    contexts: loaded.contexts,
    contextWindow: CONTEXT_WINDOW,
    hook: loaded.hook ?? 'unknown hook',
    ...(loaded.labelNames.length > 0 && { labels: { names: loaded.labelNames, rows: loaded.labels } }),
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
      ...(loaded.labelNames.length > 0 && { labelNames: loaded.labelNames }),
    },
  };
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
