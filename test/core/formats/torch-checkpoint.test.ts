import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, test } from 'vitest';
import { readTorchCheckpoint, type TorchTensor } from '../../../src/core/formats/torch-checkpoint';
import { Rng } from '../../../src/core/rng';

/** Files come from test/helpers/python/torch-save.py, which follows torch.save's layout on its own. */
const WRITER = path.resolve(__dirname, '../../helpers/python/torch-save.py');
const dir = mkdtempSync(path.join(tmpdir(), 'torch-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface TensorSpec {
  dtype: string;
  shape: number[];
  values: number[];
  layout?: 'contiguous' | 'transposed' | 'offset';
  parameter?: boolean;
}

let written = 0;
function torchSave(spec: Record<string, unknown>): { file: string; bytes: Uint8Array } {
  const file = path.join(dir, `ckpt-${written++}.pt`);
  execFileSync('python3', [WRITER, file], { input: JSON.stringify(spec) });
  return { file, bytes: new Uint8Array(readFileSync(file)) };
}

const rng7 = new Rng(7);
const random = () => rng7.next();
/** Values a float32 holds exactly, so the comparison can be exact. */
const f32Values = (n: number) => Array.from({ length: n }, () => Math.fround(random() * 4 - 2));

function expectTensor(t: TorchTensor | undefined, shape: number[], values: number[]) {
  expect(t).toBeDefined();
  expect(t!.shape).toEqual(shape);
  expect(Array.from(t!.data)).toEqual(values);
}

describe('PyTorch checkpoints, read without torch', () => {
  test('a state dict of every supported dtype reads back its known values, strides and offsets honoured', () => {
    const w = f32Values(12);
    const f16 = [0.5, -1.25, 3, 1024, -0.0078125, 65504];
    // bfloat16 keeps float32's top 16 bits: these have none below.
    const bf16 = [1.5, -2.25, 0.125, 256, -196608, 3];
    const tensors: Record<string, TensorSpec> = {
      'encoder.weight': { dtype: 'float32', shape: [3, 4], values: w, parameter: true },
      'decoder.weight': { dtype: 'float32', shape: [4, 3], values: w, layout: 'transposed', parameter: true },
      'encoder.bias': { dtype: 'float16', shape: [6], values: f16, layout: 'offset' },
      b_dec: { dtype: 'bfloat16', shape: [2, 3], values: bf16 },
      threshold: { dtype: 'float64', shape: [2], values: [0.1, -3.5] },
      k: { dtype: 'int64', shape: [], values: [40] },
      counts: { dtype: 'int32', shape: [3], values: [-5, 0, 2147483647] },
    };
    for (const protocol of [2, 4]) {
      const { bytes } = torchSave({ archive: 'ae', protocol, tensors });
      const read = readTorchCheckpoint(bytes, 'ae.pt');
      expect([...read.keys()].sort()).toEqual(Object.keys(tensors).sort());
      expectTensor(read.get('encoder.weight'), [3, 4], w);
      expectTensor(read.get('decoder.weight'), [4, 3], w);
      expectTensor(read.get('encoder.bias'), [6], f16);
      expectTensor(read.get('b_dec'), [2, 3], bf16);
      expectTensor(read.get('threshold'), [2], [0.1, -3.5].map(Math.fround));
      expectTensor(read.get('k'), [], [40]);
      expectTensor(read.get('counts'), [3], [-5, 0, 2147483647]);
      expect(read.get('k')!.dtype).toBe('int64');
      expect(read.get('encoder.bias')!.dtype).toBe('float16');
    }
  });

  test('a training checkpoint that wraps its state dict in {"state_dict": …} reads the same tensors', () => {
    const values = f32Values(6);
    const { bytes } = torchSave({ wrap: 'state_dict', tensors: { W_dec: { dtype: 'float32', shape: [2, 3], values } } });
    expectTensor(readTorchCheckpoint(bytes, 'ckpt.pt').get('W_dec'), [2, 3], values);
  });

  test('a pickle that would run a shell command is refused by the name of its global, and nothing runs', () => {
    const marker = path.join(dir, 'pwned');
    const { bytes } = torchSave({ hostile: `touch ${marker}`, tensors: {} });
    expect(() => readTorchCheckpoint(bytes, 'evil/ae.pt')).toThrow(/evil\/ae\.pt.*refuses the global (posix|os)\.system/);
    expect(existsSync(marker)).toBe(false);
  });

  test('a legacy (pre-1.6) checkpoint is refused with how to re-save it', () => {
    const { bytes } = torchSave({ legacy: true });
    expect(() => readTorchCheckpoint(bytes, 'old.pt')).toThrow(/old\.pt: a legacy PyTorch checkpoint.*torch\.save\(torch\.load\(/);
  });

  test('a zip without data.pkl, and bytes that are no zip, are named', () => {
    expect(() => readTorchCheckpoint(zipSync({ 'x/readme.txt': strToU8('hi') }), 'a.pt')).toThrow(/a\.pt: not a PyTorch checkpoint: no <archive>\/data\.pkl/);
    expect(() => readTorchCheckpoint(strToU8('not a zip at all'), 'b.pt')).toThrow(/b\.pt: not a readable zip/);
  });

  test('a storage shorter than the pickle says, or a view past its end, is refused before reading', () => {
    const { bytes } = torchSave({ archive: 'ae', tensors: { w: { dtype: 'float32', shape: [2, 3], values: f32Values(6) } } });
    const files = unzipSync(bytes);
    const short = zipSync({ ...files, 'ae/data/0': files['ae/data/0'].subarray(0, 20) }, { level: 0 });
    expect(() => readTorchCheckpoint(short, 'short.pt')).toThrow(/short\.pt: storage 0 holds 20 bytes; 6 float32 values need 24/);
    // The shape (2, 3) becomes (2, 4): 8 values from a storage of 6.
    const pickle = files['ae/data.pkl'].slice();
    const at = findBytes(pickle, [0x4b, 2, 0x4b, 3, 0x86]);
    pickle[at + 3] = 4;
    const wide = zipSync({ ...files, 'ae/data.pkl': pickle }, { level: 0 });
    expect(() => readTorchCheckpoint(wide, 'wide.pt')).toThrow(/wide\.pt: storage 0: a \[2, 4\] view at offset 0 reads past its 6 values/);
  });

  test('fuzz: thousands of mutated checkpoints load consistently or fail with a message naming the file, quickly', () => {
    const { bytes } = torchSave({
      archive: 'ae',
      tensors: {
        'encoder.weight': { dtype: 'float32', shape: [4, 3], values: f32Values(12), parameter: true },
        'decoder.weight': { dtype: 'float16', shape: [3, 4], values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], layout: 'transposed' },
        k: { dtype: 'int64', shape: [], values: [3] },
      },
    });
    const files = unzipSync(bytes);
    const pickle = files['ae/data.pkl'];
    const fuzzRng = new Rng(2024);
    const rng = () => fuzzRng.next();
    const pick = (n: number) => Math.floor(rng() * n);
    let refused = 0;
    for (let trial = 0; trial < 4000; trial++) {
      // Half the trials mutate the zip's bytes; half mutate the pickle inside a well-formed zip, so the
      // interpreter (not only the zip reader) meets hostile input.
      const target = trial % 2 === 0 ? bytes.slice() : pickle.slice();
      const edits = 1 + pick(4);
      for (let e = 0; e < edits; e++) {
        const kind = pick(3);
        if (kind === 0) target[pick(target.length)] = pick(256);
        else if (kind === 1) target[pick(target.length)] ^= 1 << pick(8);
        else target.copyWithin(pick(target.length), pick(target.length), pick(target.length));
      }
      const file = trial % 2 === 0 ? target.subarray(0, rng() < 0.1 ? pick(target.length) : target.length) : zipSync({ ...files, 'ae/data.pkl': target }, { level: 0 });
      const started = performance.now();
      try {
        const read = readTorchCheckpoint(file, 'fuzz.pt');
        for (const t of read.values()) expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
      } catch (error) {
        refused++;
        expect(error).toBeInstanceOf(Error);
        expect((error as Error).message).toMatch(/^fuzz\.pt/);
      }
      expect(performance.now() - started).toBeLessThan(1000);
    }
    // Most mutations break something; the test is useless if none did.
    expect(refused).toBeGreaterThan(1000);
    expect(strFromU8(files['ae/byteorder'])).toBe('little');
  });
});

function findBytes(haystack: Uint8Array, needle: number[]): number {
  for (let i = 0; i + needle.length <= haystack.length; i++) if (needle.every((b, j) => haystack[i + j] === b)) return i;
  throw new Error(`bytes ${needle} not found`);
}
