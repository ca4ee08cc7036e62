/**
 * Shards in the browser and workers: over HTTP(S), or from files the user picked. The edge of
 * src/core/shards, which only ever sees streams.
 */
import { blobShardInput, parseManifest, type ShardInput, type ShardManifest } from '../core/shards';
import { JUDGE_FILE } from '../core/lm/judge-file';
import { fetchJson, parseJson } from './http';

const MANIFEST = 'manifest.json';
const SHARD_EXTENSIONS = ['.safetensors', '.npy'];

/** A file over HTTP(S), streamed from the response body. Its size is not known until the response arrives. */
export function urlShardInput(url: string, name: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): ShardInput {
  return {
    name,
    stream() {
      let body: ReadableStreamDefaultReader<Uint8Array> | null = null;
      return new ReadableStream<Uint8Array>({
        async start() {
          let response: Response;
          try {
            response = await fetchImpl(url);
          } catch (error) {
            throw new Error(`${name}: cannot fetch ${url} (${(error as Error).message})`);
          }
          if (!response.ok) throw new Error(`${name}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} fetching ${url}`);
          if (!response.body) throw new Error(`${name}: the response from ${url} has no body`);
          body = response.body.getReader();
        },
        async pull(controller) {
          const { done, value } = await body!.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => body?.cancel(reason),
      });
    },
  };
}

/** A manifest's shards at its URL. */
export async function urlShardInputs(manifestUrl: string): Promise<{ manifest: ShardManifest; inputs: ShardInput[]; label: string }> {
  const manifest = parseManifest(await fetchJson(manifestUrl), manifestUrl);
  const inputs = manifest.shards.map((shard) => urlShardInput(new URL(shard.file, manifestUrl).href, shard.file));
  return { manifest, inputs, label: manifestUrl };
}

/** Picked files: a manifest.json and its shards, or bare .safetensors / .npy shards in name order. */
export async function pickedShardInputs(files: File[]): Promise<{ manifest: ShardManifest | null; inputs: ShardInput[]; label: string }> {
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

/**
 * The concept judge that may sit beside labelled shards (core/lm/judge-file.ts): the bytes of
 * JUDGE_FILE at the manifest's URL, or among the picked files; null when there is none (a 404).
 */
export async function judgeBytes(source: { kind: 'url'; manifestUrl: string } | { kind: 'files'; files: File[] }): Promise<{ bytes: Uint8Array; name: string } | null> {
  if (source.kind === 'files') {
    const file = source.files.find((f) => f.name === JUDGE_FILE);
    return file ? { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name } : null;
  }
  const url = new URL(JUDGE_FILE, source.manifestUrl).href;
  const response = await fetch(url).catch(() => null);
  // A server that answers every missing path with its page (a dev server's fallback) has no judge either.
  if (!response || response.status === 404 || /text\/html/.test(response.headers.get('content-type') ?? '')) return null;
  if (!response.ok) throw new Error(`${url}: the server answered ${response.status} ${response.statusText}`.trim());
  return { bytes: new Uint8Array(await response.arrayBuffer()), name: url };
}
