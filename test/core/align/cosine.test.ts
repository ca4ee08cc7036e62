import { describe, expect, it } from 'vitest';
import { initNodeBackend } from '../../../src/cli/node-backend';
import { tf } from '../../../src/core/tf';
import { absCosineMatrix, CosineColumns, decoderCosine, encoderCosine } from '../../../src/core/align/cosine';
import { dot, gaussian, randomSae, seededRandom } from './helpers';
import type { SaeWeights } from '../../../src/core/sae/weights';

/** |cos| of two vectors in double precision; 0 when either is zero. */
function referenceAbsCosine(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const norms = Math.sqrt(dot(x, x)) * Math.sqrt(dot(y, y));
  return norms === 0 ? 0 : Math.abs(dot(x, y)) / norms;
}

/** Every entry of `values` ([nA, nB]) within 1e-5 of the double-precision |cos| of its two rows. */
function expectDoublePrecision(values: Float32Array, a: Float32Array, nA: number, b: Float32Array, nB: number, dim: number): void {
  for (let i = 0; i < nA; i++) {
    for (let j = 0; j < nB; j++) {
      const expected = referenceAbsCosine(a.subarray(i * dim, (i + 1) * dim), b.subarray(j * dim, (j + 1) * dim));
      expect(Math.abs(values[i * nB + j] - expected)).toBeLessThan(1e-5);
    }
  }
}

const decoderRow = (w: SaeWeights, j: number) => w.W_dec.subarray(j * w.d_in, (j + 1) * w.d_in);
const encoderColumn = (w: SaeWeights, j: number) => Float64Array.from({ length: w.d_in }, (_, i) => w.W_enc[i * w.d_sae + j]);

describe('absolute cosine similarity', () => {
  it('matches a double-precision loop on random rows, with nA ≠ nB', async () => {
    const random = seededRandom(11);
    const [nA, nB, dim] = [7, 5, 9];
    const a = Float32Array.from({ length: nA * dim }, () => gaussian(random));
    const b = Float32Array.from({ length: nB * dim }, () => gaussian(random));
    const s = await absCosineMatrix(a, nA, b, nB, dim);
    expect([s.rows, s.cols]).toEqual([nA, nB]);
    expectDoublePrecision(s.values, a, nA, b, nB, dim);
  });

  it('on the wasm backend, reads each block where the backend keeps it and still gives the double-precision values', async () => {
    const random = seededRandom(17);
    const [nA, nB, dim] = [300, 37, 24];
    const a = Float32Array.from({ length: nA * dim }, () => gaussian(random));
    const b = Float32Array.from({ length: nB * dim }, () => gaussian(random));
    const previous = tf.getBackend();
    await initNodeBackend('wasm');
    try {
      // Several blocks, so a view left pointing at an earlier block's memory would show.
      expectDoublePrecision((await absCosineMatrix(a, nA, b, nB, dim, { blockRows: 64 })).values, a, nA, b, nB, dim);
    } finally {
      await tf.setBackend(previous);
    }
  });

  it('keeps rows of tiny and huge float32 values exact (their squares leave float32\'s range), and zero rows at 0', async () => {
    const random = seededRandom(13);
    const dim = 8;
    const base = Float32Array.from({ length: dim }, () => gaussian(random));
    const other = Float32Array.from({ length: dim }, () => gaussian(random));
    const a = new Float32Array([...base.map((x) => x * 1e-30), ...base.map((x) => x * 1e30), ...new Float32Array(dim)]);
    const s = await absCosineMatrix(a, 3, other, 1, dim);
    const expected = referenceAbsCosine(base, other);
    expect(s.values[0]).toBeCloseTo(expected, 6);
    expect(s.values[1]).toBeCloseTo(expected, 6);
    expect(s.values[2]).toBe(0);
  });

  it('is the absolute value: a sign-flipped, rescaled copy has similarity 1', async () => {
    const random = seededRandom(12);
    const dim = 6;
    const a = Float32Array.from({ length: dim }, () => gaussian(random));
    const flipped = a.map((x) => -3.5 * x);
    const s = await absCosineMatrix(a, 1, flipped, 1, dim);
    expect(s.values[0]).toBeCloseTo(1, 6);
    expect(s.values[0]).toBeLessThanOrEqual(1);
  });

  it('gives 0, not NaN, for zero vectors, and handles vectors too small to square in float32', async () => {
    const dim = 4;
    const a = new Float32Array([0, 0, 0, 0, 1e-25, 2e-25, 0, 0]);
    const b = new Float32Array([0, 0, 0, 0, 1, 2, 0, 0, 3, 0, 0, 4]);
    const s = await absCosineMatrix(a, 2, b, 3, dim);
    expect(Array.from(s.values.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(s.values[3]).toBe(0);
    expect(s.values[4]).toBeCloseTo(1, 6);
    expect(s.values[5]).toBeCloseTo(referenceAbsCosine([1, 2, 0, 0], [3, 0, 0, 4]), 6);
  });

  it('compares decoder rows and encoder columns of two SAEs', async () => {
    const random = seededRandom(13);
    const a = randomSae(8, 6, random);
    const b = randomSae(8, 4, random);
    const decoder = await decoderCosine(a, b);
    const encoder = await encoderCosine(a, b);
    for (let i = 0; i < a.d_sae; i++) {
      for (let j = 0; j < b.d_sae; j++) {
        expect(decoder.values[i * b.d_sae + j]).toBeCloseTo(referenceAbsCosine(decoderRow(a, i), decoderRow(b, j)), 5);
        expect(encoder.values[i * b.d_sae + j]).toBeCloseTo(referenceAbsCosine(encoderColumn(a, i), encoderColumn(b, j)), 5);
      }
    }
  });

  it('builds the same matrix in row blocks as in one piece, with a block size that does not divide n', async () => {
    const random = seededRandom(15);
    const [nA, nB, dim] = [23, 17, 9];
    const a = Float32Array.from({ length: nA * dim }, () => gaussian(random));
    const b = Float32Array.from({ length: nB * dim }, () => gaussian(random));
    a.fill(0, 5 * dim, 6 * dim); // a zero row inside a block
    const whole = await absCosineMatrix(a, nA, b, nB, dim, { blockRows: nA });
    for (const blockRows of [1, 5, 7]) {
      const blocked = await absCosineMatrix(a, nA, b, nB, dim, { blockRows });
      expect([blocked.rows, blocked.cols]).toEqual([nA, nB]);
      expect(blocked.values).toEqual(whole.values);
    }
    // And the whole matrix itself against the double-precision loop, so both are right, not just equal.
    expectDoublePrecision(whole.values, a, nA, b, nB, dim);
    const sa = randomSae(6, 11, random);
    const sb = randomSae(6, 8, random);
    expect((await encoderCosine(sa, sb, { blockRows: 4 })).values).toEqual((await encoderCosine(sa, sb, { blockRows: 11 })).values);
    expect((await decoderCosine(sa, sb, { blockRows: 3 })).values).toEqual((await decoderCosine(sa, sb, { blockRows: 11 })).values);
  });

  it('writes any share of A\'s rows against prepared columns, in any order, as the whole matrix has them (the runner\'s threads each take shares)', async () => {
    const random = seededRandom(16);
    const [nA, nB, dim] = [23, 17, 9];
    const a = Float32Array.from({ length: nA * dim }, () => gaussian(random));
    const b = Float32Array.from({ length: nB * dim }, () => gaussian(random));
    const whole = await absCosineMatrix(a, nA, b, nB, dim);
    const before = tf.memory().numTensors;
    const columns = new CosineColumns(b, nB, dim);
    const out = new Float32Array(nA * nB).fill(-1);
    for (const [from, to] of [[10, 23], [0, 4], [4, 10]]) await columns.rowsInto(a, from, to, out, 3);
    columns.dispose();
    expect(out).toEqual(whole.values);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('writes into a given buffer (a pair reuses one n×n buffer) and refuses one of the wrong size', async () => {
    const random = seededRandom(41);
    const a = randomSae(12, 9, random);
    const b = randomSae(12, 9, random);
    const fresh = await encoderCosine(a, b);
    const buffer = (await decoderCosine(a, b)).values;
    const reused = await encoderCosine(a, b, { out: buffer, blockRows: 4 });
    expect(reused.values).toBe(buffer);
    expect(Array.from(reused.values)).toEqual(Array.from(fresh.values));
    await expect(decoderCosine(a, b, { out: new Float32Array(80) })).rejects.toThrow(/expected 9×9/);
  });

  it('leaves no tensors behind, including when the output buffer is refused', async () => {
    const random = seededRandom(42);
    const a = randomSae(10, 7, random);
    const b = randomSae(10, 5, random);
    await decoderCosine(a, b); // warm-up: backends may keep a few tensors of their own
    const before = tf.memory().numTensors;
    await decoderCosine(a, b, { blockRows: 3 });
    await encoderCosine(a, b);
    await expect(encoderCosine(a, b, { out: new Float32Array(3) })).rejects.toThrow(/expected 7×5/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses SAEs with different input sizes', async () => {
    const random = seededRandom(14);
    await expect(decoderCosine(randomSae(8, 4, random), randomSae(6, 4, random))).rejects.toThrow(/d_in/);
  });
});
