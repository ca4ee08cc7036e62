// Every bad input gets one Error naming the file (or manifest field) and the fault.
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../../src/core/formats/npy';
import { writeSafetensors } from '../../../src/core/formats/safetensors';
import { buildManifest, encodeShard, loadActivationShards, parseManifest, sha256Hex, type ShardManifest } from '../../../src/core/shards';
import { inputs, plantedShards, plantedStream, unsizedInput } from './planted';

const stream = plantedStream([10, 10], 4); // 18 rows of 4
const { files, manifest } = plantedShards(stream, [9, 9], 'F32');
const [a, b] = files;
const file = (name: string, bytes: Uint8Array) => ({ name, bytes });

async function refused(source: { manifest?: ShardManifest; files: { name: string; bytes: Uint8Array }[] }): Promise<string> {
  try {
    await loadActivationShards({ manifest: source.manifest, inputs: inputs(source.files, 5) });
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return (error as Error).message;
  }
  throw new Error('expected the load to fail');
}

/** A shard with these tensors (and nothing checked on the way in). */
const shardOf = (tensors: Parameters<typeof writeSafetensors>[0]) => writeSafetensors(tensors);
const rows = (n: number, d: number) => new Float32Array(n * d).fill(0.5);
const ints = (n: number) => new Int32Array(n).fill(1);

describe('refusing bad shards', () => {
  it('garbage, truncated files and headers past the end', async () => {
    expect(await refused({ files: [file('notes.txt', new TextEncoder().encode('hello, these are not activations'))] })).toMatch(/^notes\.txt: not a safetensors or \.npy file/);
    expect(await refused({ files: [file('tiny.bin', new Uint8Array([1, 2, 3]))] })).toMatch(/^tiny\.bin: 3 bytes is too short/);
    const small = new Uint8Array([5, 0, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode('hello')]);
    expect(await refused({ files: [file('small.bin', small)] })).toMatch(/^small\.bin: not a safetensors or \.npy file/);
    expect(await refused({ files: [file(a.name, a.bytes.slice(0, -3))] })).toMatch(/^shard-0\.safetensors: truncated: its data section has \d+ bytes, the header describes \d+/);
    await expect(loadActivationShards({ inputs: [unsizedInput(a.bytes.slice(0, -3), 'unsized.safetensors')] })).rejects.toThrow(/^unsized\.safetensors: truncated: its data section/);
    const longHeader = a.bytes.slice();
    new DataView(longHeader.buffer).setUint32(0, a.bytes.length, true);
    expect(await refused({ files: [file(a.name, longHeader)] })).toMatch(/^shard-0\.safetensors: header length \d+ is past the end of the file/);
    await expect(loadActivationShards({ inputs: [unsizedInput(longHeader, 'unsized.safetensors')] })).rejects.toThrow(/^unsized\.safetensors: truncated: header length \d+ is past the end of the file/);
    const npy = writeNpy(rows(3, 4), [3, 4]);
    expect(await refused({ files: [file('cut.npy', npy.slice(0, 70))] })).toMatch(/^cut\.npy: \.npy header length 118 is past the end of the file \(60 bytes follow the length\)/);
    await expect(loadActivationShards({ inputs: [unsizedInput(npy.slice(0, 70), 'cut.npy')] })).rejects.toThrow(/^cut\.npy: truncated inside the \.npy header \(70 of 128 bytes\)/);
    expect(await refused({ files: [file('cut.npy', npy.slice(0, -1))] })).toMatch(/^cut\.npy: truncated: shape \(3, 4\)/);
  });

  it('missing or malformed tensors', async () => {
    expect(await refused({ files: [file('x.safetensors', shardOf({ tokens: { dtype: 'I32', shape: [3], data: ints(3) } }))] })).toMatch(/^x\.safetensors: no "activations" tensor \(has: tokens\)/);
    expect(await refused({ files: [file('x.safetensors', shardOf({ activations: { dtype: 'F32', shape: [12], data: rows(3, 4) } }))] })).toMatch(/^x\.safetensors: tensor "activations" has shape \[12\]; expected \[n_tokens, d_model\]/);
    expect(await refused({ files: [file('x.safetensors', shardOf({ activations: { dtype: 'I32', shape: [3, 4], data: ints(12) } }))] })).toMatch(/^x\.safetensors: tensor "activations" has dtype I32; expected F16 or F32/);
    const shortTokens = shardOf({ tokens: { dtype: 'I32', shape: [2], data: ints(2) }, positions: { dtype: 'I32', shape: [3], data: ints(3) }, activations: { dtype: 'F32', shape: [3, 4], data: rows(3, 4) } });
    expect(await refused({ files: [file('x.safetensors', shortTokens)] })).toMatch(/^x\.safetensors: tensor "tokens" is I32 \[2\]; expected I32 \[3\], one per row/);
    const misspelt = shardOf({ tokeos: { dtype: 'I32', shape: [3], data: ints(3) }, activations: { dtype: 'F32', shape: [3, 4], data: rows(3, 4) } });
    expect(await refused({ files: [file('x.safetensors', misspelt)] })).toBe('x.safetensors: has a tensor "tokeos"; a shard holds only activations, tokens, positions, labels');
    const noPositions = shardOf({ tokens: { dtype: 'I32', shape: [3], data: ints(3) }, activations: { dtype: 'F32', shape: [3, 4], data: rows(3, 4) } });
    expect(await refused({ files: [file('x.safetensors', noPositions)] })).toMatch(/^x\.safetensors: has one of "tokens" and "positions" without the other/);
    const negative = encodeShard({ activations: rows(3, 4), d_model: 4, tokens: Int32Array.from([1, -7, 2]), positions: ints(3), dtype: 'F32' });
    expect(await refused({ files: [file('x.safetensors', negative)] })).toMatch(/^x\.safetensors: tensor "tokens" has -7 at index 1/);
    expect(await refused({ files: [file('wide.safetensors', shardOf({ activations: { dtype: 'F16', shape: [0, 70000], data: new Float32Array(0) } }))] })).toMatch(/^wide\.safetensors: d_model 70000 is outside 1\.\.65536/);
  });

  it('NaN and infinite values, naming the row', async () => {
    for (const [bad, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      const values = rows(5, 4);
      values[3 * 4 + 1] = bad;
      for (const dtype of ['F32', 'F16'] as const) {
        const shard = encodeShard({ activations: values, d_model: 4, tokens: ints(5), positions: ints(5), dtype });
        expect(await refused({ files: [file('bad.safetensors', shard)] })).toBe(`bad.safetensors: row 3 has ${shown} at column 1`);
      }
    }
    const huge = rows(2, 4);
    expect(await refused({ files: [file('huge.npy', writeNpy(Float64Array.from(huge, (v, i) => (i === 6 ? 1e300 : v)), [2, 4], { dtype: '<f8' }))] })).toMatch(/^huge\.npy: row 1 has 1e\+300 at column 2, beyond float32's range/);
  });

  it('files that disagree with the manifest or with the first file', async () => {
    const wider = encodeShard({ activations: rows(9, 5), d_model: 5, tokens: ints(9), positions: ints(9), dtype: 'F32' });
    const withWider = { ...manifest, shards: [manifest.shards[0], { ...manifest.shards[1], sha256: sha256Hex(wider) }] };
    expect(await refused({ manifest: withWider, files: [a, file(b.name, wider)] })).toBe('shard-1.safetensors: d_model 5, but manifest.json says 4');
    expect(await refused({ files: [a, file('b.safetensors', wider)] })).toBe('b.safetensors: d_model 5, but the first file, shard-0.safetensors, has 4');
    expect(await refused({ files: [a, file('c.npy', writeNpy(rows(2, 5), [2, 5]))] })).toBe('c.npy (.npy): d_model 5, but the first file, shard-0.safetensors, has 4');
    const half = plantedShards(stream, [9, 9], 'F16').files[1];
    expect(await refused({ files: [a, half] })).toBe('shard-1.safetensors: dtype F16, but the first file, shard-0.safetensors, has F32');
    expect(await refused({ manifest: { ...manifest, dtype: 'F16' }, files })).toBe('shard-0.safetensors: dtype F32, but manifest.json says F16');

    const miscounted = buildManifest({ ...manifest, shards: [{ ...manifest.shards[0], tokens: 8 }, { ...manifest.shards[1], tokens: 10 }] });
    expect(await refused({ manifest: miscounted, files })).toBe('shard-0.safetensors: holds 9 tokens, manifest.json says 8');
    const otherHook = plantedShards(stream, [9, 9], 'F32', 'blocks.1.hook_resid_post').files[0];
    expect(await refused({ files: [a, file('other.safetensors', otherHook.bytes)] })).toMatch(/^other\.safetensors: activations of blocks\.1\.hook_resid_post, but the first file, shard-0\.safetensors, has blocks\.3\.hook_resid_post/);
    const shortContext = { ...manifest, context: 5 };
    expect(await refused({ manifest: shortContext, files })).toMatch(/^shard-0\.safetensors: position 5 at row 4 is outside the context of 5 tokens/);
  });

  it('checksum mismatches, and shards missing, unlisted or supplied twice', async () => {
    const flipped = a.bytes.slice();
    flipped[flipped.length - 2] ^= 1; // a mantissa bit of the last value: still a finite number
    expect(await refused({ manifest, files: [file(a.name, flipped), b] })).toMatch(/^shard-0\.safetensors: SHA-256 [0-9a-f]{64} does not match manifest\.json's [0-9a-f]{64}/);
    const loaded = await loadActivationShards({ inputs: inputs([file(a.name, flipped)]) }); // without a manifest nothing can tell
    expect(loaded.count).toBe(9);
    expect(await refused({ manifest, files: [a] })).toBe('manifest.json lists shard "shard-1.safetensors", which was not supplied');
    expect(await refused({ manifest, files: [a, b, file('stray.safetensors', a.bytes)] })).toMatch(/^stray\.safetensors: not listed in manifest\.json/);
    expect(await refused({ files: [a, a] })).toBe('shard-0.safetensors: supplied twice');
    await expect(loadActivationShards({ inputs: [] })).rejects.toThrow(/no shard files were supplied/);
    await expect(loadActivationShards({ inputs: inputs([a]) }, { maxBytes: 8 })).rejects.toThrow(/maxBytes 8 cannot hold one row of d_model 4/);
  });
});

describe('parseManifest', () => {
  const good = JSON.parse(JSON.stringify(manifest));
  const refuse = (change: (m: Record<string, unknown>) => void) => {
    const copy = JSON.parse(JSON.stringify(good));
    change(copy);
    return () => parseManifest(copy, 'runs/manifest.json');
  };
  const shard0 = (m: Record<string, unknown>) => (m.shards as Record<string, unknown>[])[0];

  it('accepts what buildManifest writes and keeps the optional fields', () => {
    expect(parseManifest(good)).toEqual(manifest);
    const sample = buildManifest({ ...manifest, synthetic: true, note: 'made up' });
    expect(parseManifest(JSON.parse(JSON.stringify(sample)))).toMatchObject({ synthetic: true, note: 'made up', total_tokens: 18 });
  });

  it('names the file and the field of every fault', () => {
    expect(refuse((m) => (m.d_model = -3))).toThrow('runs/manifest.json: "d_model" must be a positive integer (got -3)');
    expect(refuse((m) => (m.d_model = 70000))).toThrow('"d_model" must be at most 65536 (got 70000)');
    expect(refuse((m) => (m.d_model = '512'))).toThrow('"d_model" must be a positive integer (got "512")');
    expect(refuse((m) => (m.format = 'other'))).toThrow('"format" must be "sae-lab-activations" (got "other")');
    expect(refuse((m) => (m.version = 2))).toThrow('"version" must be 1');
    expect(refuse((m) => (m.dtype = 'BF16'))).toThrow('"dtype" must be "F16" or "F32" (got "BF16")');
    expect(refuse((m) => (m.context = 1))).toThrow('"context" must be an integer ≥ 2 (got 1)');
    expect(refuse((m) => delete m.hook)).toThrow('"hook" must be a non-empty string (got nothing)');
    expect(refuse((m) => (m.total_tokens = 19))).toThrow(`"total_tokens" must equal the sum of the shards' tokens, 18 (got 19)`);
    expect(refuse((m) => (m.shards = []))).toThrow('"shards" must be a non-empty list (got [])');
    expect(refuse((m) => (m.synthetic = 'yes'))).toThrow('"synthetic" must be true or false (got "yes")');
    expect(refuse((m) => (m.note = 5))).toThrow('"note" must be a string (got 5)');
    expect(refuse((m) => (shard0(m).tokens = -1))).toThrow('"shards[0].tokens" must be a non-negative integer (got -1)');
    expect(refuse((m) => (shard0(m).sha256 = 'ABC'))).toThrow('"shards[0].sha256" must be 64 lower-case hex digits (got "ABC")');
    expect(refuse((m) => ((m.shards as unknown[])[1] = shard0(m)))).toThrow('"shards[1].file" repeats an earlier shard (got "shard-0.safetensors")');
    expect(() => parseManifest([], 'm.json')).toThrow('m.json: not a JSON object (got [])');
  });

  it('refuses shard names that point outside the folder', () => {
    for (const name of ['../secrets.safetensors', '/etc/x.safetensors', 'sub/x.safetensors', 'sub\\x.safetensors', 'C:x.safetensors', '..']) {
      expect(refuse((m) => (shard0(m).file = name))).toThrow(/"shards\[0\]\.file" must be a plain file name/);
    }
    expect(refuse((m) => (shard0(m).file = 'shard.bin'))).toThrow('"shards[0].file" must end in .safetensors or .npy (got "shard.bin")');
  });
});
