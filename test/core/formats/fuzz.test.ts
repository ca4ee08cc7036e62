// Fuzzing the file readers: thousands of mutated files, none may crash with anything but a clear
// Error naming the file, hang, or load silently wrong (an accepted file must be self-consistent).
import { describe, expect, it } from 'vitest';
import { openSafetensors, writeSafetensors } from '../../../src/core/formats/safetensors';
import { readSaeLens, writeSaeLens } from '../../../src/core/formats/saelens';
import { parseIdx } from '../../../src/core/formats/idx';
import { lcg } from '../../helpers/configs';

type Mutation = (bytes: Uint8Array, rand: () => number) => Uint8Array;

const pick = <T,>(xs: T[], rand: () => number) => xs[Math.floor(rand() * xs.length)];

const truncate: Mutation = (b, r) => b.slice(0, Math.floor(r() * b.length));
const flipBytes: Mutation = (b, r) => {
  const out = b.slice();
  const n = 1 + Math.floor(r() * 4);
  // Mostly in the first 200 bytes: the header is where a mutation can mislead a reader.
  for (let i = 0; i < n; i++) out[Math.floor(r() * Math.min(out.length, r() < 0.8 ? 200 : out.length))] ^= 1 << Math.floor(r() * 8);
  return out;
};
const setHeaderLength: Mutation = (b, r) => {
  const out = b.slice();
  const view = new DataView(out.buffer);
  const len = pick([0, 1, 7, out.length, out.length * 2, 2 ** 31, 2 ** 53 - 1, Math.floor(r() * out.length)], r);
  view.setBigUint64(0, BigInt(len), true);
  return out;
};

/** Rewrites one field of the JSON header: shapes, dtypes, offsets. */
const mutateHeaderJson: Mutation = (b, r) => {
  const view = new DataView(b.buffer, b.byteOffset);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n)));
  const names = Object.keys(header).filter((k) => k !== '__metadata__');
  const entry = header[pick(names, r)];
  const evil = pick([-1, 0, 1.5, 2 ** 31, 2 ** 53, 1e308, 'x', null, [], 3], r);
  switch (Math.floor(r() * 5)) {
    case 0:
      entry.shape[Math.floor(r() * entry.shape.length)] = evil;
      break;
    case 1:
      entry.dtype = pick(['F64', 'I8', 'BOOL', 'f32', '', 7, 'F16', 'BF16', 'I64'], r);
      break;
    case 2:
      entry.data_offsets = [entry.data_offsets[1], entry.data_offsets[0]];
      break;
    case 3:
      entry.data_offsets[Math.floor(r() * 2)] = evil;
      break;
    default:
      entry.shape = pick([[], [2 ** 20, 2 ** 20], [1, 1, 1, 1, 1, 1, 1, 1, 1]], r);
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + (b.length - 8 - n));
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(b.subarray(8 + n), 8 + json.length);
  return out;
};

const mutations = [truncate, flipBytes, setHeaderLength, mutateHeaderJson];

/** Either a clear Error naming the file, or a result that passes `check`. */
function expectRefusedOrConsistent(run: () => void, fileName: string): 'refused' | 'accepted' {
  try {
    run();
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toContain(fileName);
    return 'refused';
  }
}

const product = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

describe('reader fuzzing', () => {
  const rand = lcg(2024);
  const original = writeSafetensors({
    a: { dtype: 'F32', shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => i / 7) },
    b: { dtype: 'F16', shape: [5], data: Float32Array.from([1, -2, 0.5, 4, 8]) },
    c: { dtype: 'I32', shape: [2, 2], data: Int32Array.from([1, 2, 3, 4]) },
  });

  it('safetensors: 3000 mutated files are refused clearly or read back consistently', () => {
    const outcomes = { refused: 0, accepted: 0 };
    const started = performance.now();
    for (let i = 0; i < 3000; i++) {
      const bytes = pick(mutations, rand)(original, rand);
      outcomes[
        expectRefusedOrConsistent(() => {
          const reader = openSafetensors(bytes, 'fuzz.safetensors');
          for (const [name, entry] of reader.entries) {
            expect(entry.end).toBeLessThanOrEqual(bytes.length);
            const t = reader.read(name);
            expect(t.data.length).toBe(product(t.shape));
          }
        }, 'fuzz.safetensors')
      ]++;
    }
    // Both branches were exercised, and nothing hung.
    expect(outcomes.refused).toBeGreaterThan(1000);
    expect(outcomes.accepted).toBeGreaterThan(10);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('SAELens: 1500 mutated weight files and cfg.json files never load inconsistent weights', () => {
    const w = { d_in: 4, d_sae: 6, W_enc: new Float32Array(24).fill(0.5), b_enc: new Float32Array(6), W_dec: new Float32Array(24).fill(0.25), b_dec: new Float32Array(4) };
    const files = writeSaeLens(w, { hookName: 'h', architecture: { kind: 'relu' } });
    for (let i = 0; i < 1500; i++) {
      const mutateCfg = rand() < 0.3;
      const cfg = mutateCfg ? JSON.stringify({ ...JSON.parse(files['cfg.json']), [pick(['d_in', 'd_sae', 'architecture', 'k'], rand)]: pick([-1, 0, 2 ** 40, 'x', null, 7, 4, 'topk'], rand) }) : files['cfg.json'];
      const weights = mutateCfg ? files['sae_weights.safetensors'] : pick(mutations, rand)(files['sae_weights.safetensors'], rand);
      expectRefusedOrConsistent(() => {
        const sae = readSaeLens({ 'cfg.json': cfg, 'sae_weights.safetensors': weights }, 'fuzz-sae');
        const { d_in, d_sae } = sae.weights;
        expect(sae.weights.W_enc.length).toBe(d_in * d_sae);
        expect(sae.weights.W_dec.length).toBe(d_sae * d_in);
        expect(sae.weights.b_enc.length).toBe(d_sae);
        expect(sae.weights.b_dec.length).toBe(d_in);
        expect(sae.weights.W_dec.every(Number.isFinite)).toBe(true);
      }, 'fuzz-sae');
    }
  });

  it('IDX: 2000 mutated files are refused clearly or parse to the declared size', () => {
    const images = new Uint8Array(16 + 3 * 4 * 4);
    const v = new DataView(images.buffer);
    v.setUint32(0, 0x00000803);
    [3, 4, 4].forEach((d, i) => v.setUint32(4 + 4 * i, d));
    images.fill(7, 16);
    for (let i = 0; i < 2000; i++) {
      const bytes = pick([truncate, flipBytes], rand)(images, rand);
      expectRefusedOrConsistent(() => {
        const idx = parseIdx(bytes, 'fuzz-idx');
        expect(idx.data.length).toBe(product(idx.dims));
      }, 'fuzz-idx');
    }
  });
});
