import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../../src/core/formats/npy';
import { fileShardInput, loadShardFolder, nodeSha256 } from '../../../src/io/shards-node';
import { loadActivationShards, sha256Hex } from '../../../src/core/shards';
import { plantedShards, plantedStream } from './planted';

const stream = plantedStream([30, 30, 12], 5);
const { files, manifest } = plantedShards(stream, [20, 20, 29], 'F16');

async function folderWith(contents: Record<string, Uint8Array | string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'shards-'));
  for (const [name, data] of Object.entries(contents)) await writeFile(join(dir, name), data);
  return dir;
}

describe('shard folders on disk', () => {
  it('loads the shards a manifest lists, in its order, ignoring other files', async () => {
    const dir = await folderWith({
      'manifest.json': JSON.stringify(manifest),
      ...Object.fromEntries(files.map((file) => [file.name, file.bytes])),
      'README.txt': 'not a shard',
      'old.safetensors': files[0].bytes,
    });
    const fromDisk = await loadShardFolder(dir);
    const inMemory = await loadActivationShards({ manifest, inputs: await Promise.all(files.map((file) => fileShardInput(join(dir, file.name)))) });
    expect(fromDisk).toEqual(inMemory);
    expect(fromDisk.count).toBe(stream.n);
    expect(fromDisk.contexts.subarray(0, stream.n * 16)).toEqual(stream.contexts);
    await rm(dir, { recursive: true });
  });

  it('without a manifest, reads every .npy and .safetensors file in natural name order', async () => {
    const rows = (from: number, to: number) => stream.rows.slice(from * 5, to * 5);
    const dir = await folderWith({ 'part-10.npy': writeNpy(rows(4, 6), [2, 5]), 'part-2.npy': writeNpy(rows(0, 4), [4, 5]), 'notes.md': '# hi' });
    const loaded = await loadShardFolder(dir, { maxBytes: 2 ** 20 });
    expect(loaded.files).toEqual(['part-2.npy', 'part-10.npy']);
    expect(loaded.rows).toEqual(rows(0, 6));
    await rm(dir, { recursive: true });
  });

  it('names the folder or file when something is missing or unreadable', async () => {
    const missing = await folderWith({ 'manifest.json': JSON.stringify(manifest), [files[0].name]: files[0].bytes });
    await expect(loadShardFolder(missing)).rejects.toThrow('manifest.json lists shard "shard-1.safetensors", which was not supplied');
    const broken = await folderWith({ 'manifest.json': '{ "format": ' });
    await expect(loadShardFolder(broken)).rejects.toThrow(`${join(broken, 'manifest.json')}: not valid JSON`);
    const invalid = await folderWith({ 'manifest.json': JSON.stringify({ ...manifest, d_model: -3 }) });
    await expect(loadShardFolder(invalid)).rejects.toThrow(`${join(invalid, 'manifest.json')}: "d_model" must be a positive integer (got -3)`);
    const empty = await folderWith({ 'notes.md': '# nothing here' });
    await expect(loadShardFolder(empty)).rejects.toThrow(`${empty}: no manifest.json and no .safetensors or .npy files`);
    await expect(loadShardFolder(join(empty, 'nope'))).rejects.toThrow(`${join(empty, 'nope')}: cannot list the folder`);
    await expect(fileShardInput(join(empty, 'nope.npy'))).rejects.toThrow(`${join(empty, 'nope.npy')}: cannot be read`);
    for (const dir of [missing, broken, invalid, empty]) await rm(dir, { recursive: true });
  });

  it('checks checksums with Node\'s own SHA-256, which agrees with the pure-JavaScript one, and still catches a corrupt shard', async () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 2654435761) % 251);
    const native = nodeSha256();
    for (let start = 0; start < bytes.length; start += 7919) native.update(bytes.subarray(start, start + 7919));
    expect(native.hex()).toBe(sha256Hex(bytes));

    const contents: Record<string, Uint8Array | string> = { 'manifest.json': JSON.stringify(manifest) };
    for (const file of files) contents[file.name] = file.bytes;
    const name = files[1].name;
    const corrupt = files[1].bytes.slice();
    corrupt[corrupt.length - 3] ^= 0x40;
    contents[name] = corrupt;
    const dir = await folderWith(contents);
    try {
      await expect(loadShardFolder(dir)).rejects.toThrow(new RegExp(`${name}: SHA-256 [0-9a-f]{64} does not match manifest.json`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
