/**
 * A GPT-NeoX model folder in the browser or a worker: fetched from a URL, or read from files the
 * user picked. Bytes and parsed JSON only; src/core/model builds the model from them.
 */
import type { ModelFiles } from '../core/model';
import { fetchBytes, fetchJson, parseJson } from './http';

/** A model folder's files, with the folder's name for messages. */
export type LabelledModelFiles = ModelFiles & { label: string };

export async function urlModelFiles(baseUrl: string): Promise<LabelledModelFiles> {
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

export async function pickedModelFiles(files: File[]): Promise<LabelledModelFiles> {
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

function folderOf(file: File): string {
  const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : 'the chosen model files';
}
