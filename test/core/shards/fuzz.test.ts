// Fuzzing the shard loader: thousands of seeded mutations of shards, .npy files and manifests. None may
// crash with anything but an Error naming the file, hang, or load silently wrong: with a manifest every
// mutated shard must be refused (its checksum at the latest); without one an accepted load must hold exactly
// what an independent reader decodes from the mutated values under the original header.
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../../src/core/formats/npy';
import { openSafetensors } from '../../../src/core/formats/safetensors';
import { encodeShard, loadActivationShards, parseManifest, type LoadedActivations, type ShardManifest } from '../../../src/core/shards';
import { lcg } from '../../helpers/configs';
import { inputs, plantedShards, plantedStream } from './planted';

type Rand = () => number;
type Mutation = (bytes: Uint8Array, rand: Rand) => Uint8Array;
const pick = <T,>(items: readonly T[], rand: Rand): T => items[Math.floor(rand() * items.length)];

const truncate: Mutation = (b, r) => b.slice(0, Math.floor(r() * b.length));
const append: Mutation = (b, r) => new Uint8Array([...b, ...Array.from({ length: 1 + Math.floor(r() * 9) }, () => Math.floor(r() * 256))]);
const flipBits: Mutation = (b, r) => {
  const out = b.slice();
  // Mostly in the first 200 bytes: headers are where a mutation can mislead a reader.
  for (let n = 1 + Math.floor(r() * 4); n > 0; n--) out[Math.floor(r() * Math.min(out.length, r() < 0.7 ? 200 : out.length))] ^= 1 << Math.floor(r() * 8);
  return out;
};
const setLength: Mutation = (b, r) => {
  const out = b.slice();
  const length = pick([0, 1, 7, 10, out.length, out.length * 2, 2 ** 31, 2 ** 40, Math.floor(r() * out.length)], r);
  if (out[0] === 0x93) new DataView(out.buffer).setUint16(8, length % 65536, true); // .npy 1.0: a u16 at 8
  else new DataView(out.buffer).setBigUint64(0, BigInt(length), true);
  return out;
};
/** Rewrites one field of a safetensors JSON header (shapes, dtypes, offsets, metadata). */
const rewriteHeader: Mutation = (b, r) => {
  const length = Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + length)));
  const entry = header[pick(Object.keys(header).filter((key) => key !== '__metadata__'), r)];
  const evil = pick([-1, 0, 1, 3, 4, 1.5, 2 ** 31, 2 ** 53, 'x', null, []], r);
  switch (Math.floor(r() * 6)) {
    case 0:
      entry.shape[Math.floor(r() * entry.shape.length)] = evil;
      break;
    case 1:
      entry.dtype = pick(['F64', 'I8', 'F16', 'F32', 'BF16', 'I32', 'I64', 7], r);
      break;
    case 2:
      entry.data_offsets = [entry.data_offsets[1], entry.data_offsets[0]];
      break;
    case 3:
      entry.data_offsets[Math.floor(r() * 2)] = evil;
      break;
    case 4:
      entry.shape = pick([[], [2 ** 20, 2 ** 20], [1, 1, 1], [entry.shape[0]]], r);
      break;
    default:
      delete header[pick(Object.keys(header), r)];
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + (b.length - 8 - length));
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(b.subarray(8 + length), 8 + json.length);
  return out;
};
/** Replaces a few characters of an .npy header dict. */
const rewriteDict: Mutation = (b, r) => {
  const out = b.slice();
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) out[10 + Math.floor(r() * 70)] = pick([...`'"(),:{} 0123456789TrueFalse<f248L\n`].map((c) => c.charCodeAt(0)), r);
  return out;
};

const SAFETENSORS_MUTATIONS = [truncate, append, flipBits, flipBits, setLength, rewriteHeader];
const NPY_MUTATIONS = [truncate, append, flipBits, flipBits, setLength, rewriteDict];

const stream = plantedStream([9, 8], 3, 7); // 15 rows of 3
const { files, manifest } = plantedShards(stream, [6, 9], 'F16');
const npy = { name: 'acts.npy', bytes: writeNpy(stream.rows, [stream.n, stream.d], { dtype: '<f2' }) };

/** Resolves to the load's result or its Error; fails the test on a non-Error throw or a hang. */
async function attempt(run: () => Promise<LoadedActivations>): Promise<LoadedActivations | Error> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('HUNG')), 5000);
  });
  try {
    return await Promise.race([run(), hang]);
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toBe('HUNG');
    return error as Error;
  } finally {
    clearTimeout(timer);
  }
}

const sameBytes = (x: Uint8Array, y: Uint8Array) => x.length === y.length && x.every((value, i) => value === y[i]);
const chunkSizes = [1, 3, 7, 64, 1 << 16];

/** What an accepted load must hold: the independent whole-file reader's view of the same bytes. */
function independentDecode(bytes: Uint8Array, name: string): { rows: Float32Array; tokens?: Int32Array; positions?: Int32Array } {
  if (name.endsWith('.npy')) return { rows: readNpy(bytes, name).data };
  const reader = openSafetensors(bytes, name);
  return { rows: reader.readFloat32('activations').data, tokens: reader.read('tokens').data as Int32Array, positions: reader.read('positions').data as Int32Array };
}

/** The mutated file's data section behind the original file's header: what an accepted mutation must read as. */
function underOriginalHeader(original: { name: string; bytes: Uint8Array }, mutated: Uint8Array): Uint8Array {
  return new Uint8Array([...original.bytes.subarray(0, headerLength(original.bytes, original.name)), ...mutated.subarray(headerLength(mutated, original.name))]);
}

function headerLength(bytes: Uint8Array, name: string): number {
  if (name.endsWith('.npy')) return 10 + new DataView(bytes.buffer, bytes.byteOffset).getUint16(8, true);
  return 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
}

describe('shard loader fuzzing', () => {
  it('refuses every mutated shard listed in a manifest, naming it', async () => {
    const rand = lcg(11);
    let cases = 0;
    while (cases < 1500) {
      const target = Math.floor(rand() * files.length);
      const mutated = pick(SAFETENSORS_MUTATIONS, rand)(files[target].bytes, rand);
      if (sameBytes(mutated, files[target].bytes)) continue;
      cases++;
      const supplied = files.map((file, i) => (i === target ? { ...file, bytes: mutated } : file));
      const result = await attempt(() => loadActivationShards({ manifest, inputs: inputs(supplied, pick(chunkSizes, rand)) }));
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toContain(files[target].name);
    }
  });

  it('without a manifest, accepts a mutated shard or .npy only when its values are read under the original layout', async () => {
    const rand = lcg(12);
    const originals = [files[0], files[1], npy];
    const counts = { refused: 0, accepted: 0 };
    while (counts.refused + counts.accepted < 2500) {
      const original = pick(originals, rand);
      const isNpy = original.name.endsWith('.npy');
      const mutated = pick(isNpy ? NPY_MUTATIONS : SAFETENSORS_MUTATIONS, rand)(original.bytes, rand);
      if (sameBytes(mutated, original.bytes)) continue;
      const result = await attempt(() => loadActivationShards({ inputs: inputs([{ name: original.name, bytes: mutated }], pick(chunkSizes, rand)) }));
      if (result instanceof Error) {
        expect(result.message).toContain(original.name);
        counts.refused++;
        continue;
      }
      counts.accepted++;
      // Accepted: the values must be the mutated data section read with the original header's layout. (A
      // header change that still loads may alter metadata strings only: nothing but a checksum sees those.)
      const withOriginalHeader = underOriginalHeader(original, mutated);
      const expected = independentDecode(withOriginalHeader, original.name);
      expect(result.d_model).toBe(stream.d);
      expect(result.count).toBe(expected.rows.length / stream.d);
      expect(result.rows).toEqual(expected.rows);
      if (expected.tokens) {
        expect(result.tokens).toEqual(expected.tokens);
        expect(result.positions).toEqual(expected.positions);
      }
    }
    // Both outcomes occur: the fuzzing reaches past the header into the values.
    expect(counts.refused).toBeGreaterThan(500);
    expect(counts.accepted).toBeGreaterThan(50);
  });

  it('labelled shards: a mutated one is refused, or loads the labels the independent reader decodes', async () => {
    const names = ['noun.animal', 'verb.motion', 'adj.all'];
    const labels = Int32Array.from({ length: stream.n }, (_, r) => (r % 4 === 3 ? -1 : r % 3));
    const original = {
      name: 'labelled.safetensors',
      bytes: encodeShard({ activations: stream.rows, d_model: stream.d, tokens: stream.tokens, positions: stream.positions, dtype: 'F16', labels, labelNames: names }),
    };
    const rand = lcg(15);
    const counts = { refused: 0, accepted: 0 };
    while (counts.refused + counts.accepted < 1500) {
      // Half the cases damage the data section only (labels included), half anything.
      const mutated = rand() < 0.5 ? pick(SAFETENSORS_MUTATIONS, rand)(original.bytes, rand) : original.bytes.slice();
      if (sameBytes(mutated, original.bytes)) {
        const start = headerLength(original.bytes, original.name);
        mutated[start + Math.floor(rand() * (mutated.length - start))] ^= 1 << Math.floor(rand() * 8);
      }
      const result = await attempt(() => loadActivationShards({ inputs: inputs([{ name: original.name, bytes: mutated }], pick(chunkSizes, rand)) }));
      if (result instanceof Error) {
        expect(result.message).toContain(original.name);
        counts.refused++;
        continue;
      }
      counts.accepted++;
      const withOriginalHeader = underOriginalHeader(original, mutated);
      const reader = openSafetensors(withOriginalHeader, original.name);
      const decoded = reader.read('labels').data as Int32Array;
      expect(result.rows).toEqual(reader.readFloat32('activations').data);
      // The names as the mutated header has them (without a manifest, nothing checks metadata strings).
      const shownNames = JSON.parse(openSafetensors(mutated, original.name).metadata.labels) as string[];
      expect([...decoded].every((l) => l >= -1 && l < shownNames.length)).toBe(true);
      expect([...result.labels].map((l) => (l < 0 ? null : result.labelNames[l]))).toEqual([...decoded].map((l) => (l < 0 ? null : shownNames[l])));
    }
    expect(counts.refused).toBeGreaterThan(300);
    expect(counts.accepted).toBeGreaterThan(100);
  });

  it('refuses data-section damage the independent reader sees too (NaN, ±Infinity, negative ids), and only that', async () => {
    const rand = lcg(13);
    for (let cases = 0; cases < 800; cases++) {
      const original = pick([files[0], files[1], npy], rand);
      const mutated = original.bytes.slice();
      const start = headerLength(original.bytes, original.name);
      for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) mutated[start + Math.floor(rand() * (mutated.length - start))] ^= 1 << Math.floor(rand() * 8);
      const result = await attempt(() => loadActivationShards({ inputs: inputs([{ name: original.name, bytes: mutated }], pick(chunkSizes, rand)) }));
      const expected = independentDecode(mutated, original.name);
      const damaged = expected.rows.some((v) => !Number.isFinite(v)) || [...(expected.tokens ?? []), ...(expected.positions ?? [])].some((v) => v < 0);
      expect(result instanceof Error).toBe(damaged);
      if (!(result instanceof Error)) expect(result.rows).toEqual(expected.rows);
    }
  });

  it('refuses mutated manifests, or loads exactly the original data', async () => {
    const rand = lcg(14);
    const reference = await loadActivationShards({ manifest, inputs: inputs(files) });
    const fields = ['format', 'version', 'model', 'hook', 'd_model', 'dtype', 'context', 'total_tokens', 'shards', 'synthetic', 'note'];
    const shardFields = ['file', 'tokens', 'sha256'];
    const evil = [-1, 0, 1, 3, 6, 9, 15, 1.5, 2 ** 31, 'F16', 'F32', 'x', '', null, [], {}, true, '../x.safetensors', files[0].name, files[1].name, manifest.shards[0].sha256];
    for (let cases = 0; cases < 1000; cases++) {
      const json = JSON.parse(JSON.stringify(manifest));
      for (let n = 1 + Math.floor(rand() * 2); n > 0; n--) {
        if (rand() < 0.5) json[pick(fields, rand)] = pick(evil, rand);
        else if (Array.isArray(json.shards) && json.shards.length > 0 && typeof json.shards[0] === 'object') {
          const shard = json.shards[Math.floor(rand() * json.shards.length)];
          if (shard && typeof shard === 'object') shard[pick(shardFields, rand)] = pick(evil, rand);
        }
      }
      const result = await attempt(async () => loadActivationShards({ manifest: parseManifest(json) as ShardManifest, inputs: inputs(files, pick(chunkSizes, rand)) }));
      if (result instanceof Error) {
        expect(result.message).toMatch(/manifest\.json|shard-\d\.safetensors|x\.safetensors/);
        continue;
      }
      // synthetic and note are free annotations; everything else must be the original load.
      expect(result).toEqual({ ...reference, synthetic: result.synthetic, note: result.note });
    }
  });
});
