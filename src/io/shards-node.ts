/** Activation shards on disk (Node): one file as a ShardInput, or a whole export folder. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { loadActivationShards, MANIFEST_FILE, parseManifest, type LoadedActivations, type LoadShardsOptions, type ShardInput } from '../core/shards';
import type { StreamingHash } from '../core/shards/hash';

/** OpenSSL's SHA-256, several times the pure-JavaScript one's speed. */
export function nodeSha256(): StreamingHash {
  const hash = createHash('sha256');
  return { update: (bytes) => void hash.update(bytes), hex: () => hash.digest('hex') };
}

/** A file streamed from disk; its size is read now, so a header pointing past the end is caught early. */
export async function fileShardInput(path: string): Promise<ShardInput> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new Error(`${path}: cannot be read (${(error as Error).message})`);
  }
  return {
    name: basename(path),
    size,
    stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
  };
}

/**
 * Loads the shards of `folder`: those its manifest.json lists (in its order), or, without a manifest, every
 * .safetensors and .npy file there, in name order (shard-00000, shard-00001, …).
 */
export async function loadShardFolder(folder: string, givenOptions: LoadShardsOptions = {}): Promise<LoadedActivations> {
  const options: LoadShardsOptions = { createHash: nodeSha256, ...givenOptions };
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    throw new Error(`${folder}: cannot list the folder (${(error as Error).message})`);
  }
  if (names.includes(MANIFEST_FILE)) {
    const path = join(folder, MANIFEST_FILE);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
    }
    const manifest = parseManifest(json, path);
    // Listed files that are missing are reported by the loader, which names them.
    const present = manifest.shards.filter((shard) => names.includes(shard.file));
    const inputs = await Promise.all(present.map((shard) => fileShardInput(join(folder, shard.file))));
    return loadActivationShards({ manifest, inputs }, options);
  }
  const shards = names.filter((name) => /\.(safetensors|npy)$/.test(name)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (shards.length === 0) throw new Error(`${folder}: no ${MANIFEST_FILE} and no .safetensors or .npy files`);
  return loadActivationShards({ inputs: await Promise.all(shards.map((name) => fileShardInput(join(folder, name)))) }, options);
}
