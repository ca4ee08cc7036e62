import { describe, expect, it } from 'vitest';
import { jsRowOps, rowOps, wasmRowOps, type RowOps } from '../../../src/core/sae/row-kernels';
import { lcg } from '../../helpers/configs';

function randomCase(seed: number, rowsX: number, rowsY: number, d: number, count: number) {
  const r = lcg(seed);
  return {
    x: Float32Array.from({ length: rowsX * d }, () => r() * 2 - 1),
    y: Float32Array.from({ length: rowsY * d }, () => r() * 2 - 1),
    coef: Float32Array.from({ length: count }, () => r() * 2 - 1),
    // Repeated rows on both sides: scatter-adds into the same row must accumulate.
    src: Int32Array.from({ length: count }, () => Math.floor(r() * rowsX)),
    dst: Int32Array.from({ length: count }, () => Math.floor(r() * rowsY)),
  };
}

/** The loops written from their definitions in double precision. */
function bruteAxpy(c: ReturnType<typeof randomCase>, count: number, d: number): Float64Array {
  const y = Float64Array.from(c.y);
  for (let p = 0; p < count; p++) for (let i = 0; i < d; i++) y[c.dst[p] * d + i] += c.coef[p] * c.x[c.src[p] * d + i];
  return y;
}
function bruteDot(c: ReturnType<typeof randomCase>, count: number, d: number): Float64Array {
  return Float64Array.from({ length: count }, (_, p) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += c.x[c.src[p] * d + i] * c.y[c.dst[p] * d + i];
    return s;
  });
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i]), `[${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected[i])));
}

const wasm = wasmRowOps();
const implementations: [string, RowOps][] = [['JavaScript', jsRowOps], ...(wasm ? [['WebAssembly SIMD', wasm] as [string, RowOps]] : [])];

describe.each(implementations)('row-pair loops in %s', (_name, ops) => {
  // Widths below, at and off the SIMD width of 4, and a realistic one.
  it.each([1, 3, 4, 7, 64, 130])('axpy and dot match a double-precision loop at d = %i', (d) => {
    const count = 300;
    const c = randomCase(d, 23, 17, d, count + 5);
    const y = c.y.slice();
    ops.axpy(count, c.coef, c.src, c.dst, c.x, y, d);
    expectClose(y, bruteAxpy(c, count, d)); // only the first `count` pairs are used
    const out = new Float32Array(count + 5).fill(7);
    ops.dot(count, c.src, c.dst, c.x, c.y, d, out);
    expectClose(out.subarray(0, count), bruteDot(c, count, d));
    expect(Array.from(out.subarray(count))).toEqual([7, 7, 7, 7, 7]);
  });

  it('does nothing for zero pairs and leaves its inputs alone', () => {
    const c = randomCase(5, 4, 4, 8, 10);
    const [x, y] = [c.x.slice(), c.y.slice()];
    ops.axpy(0, c.coef, c.src, c.dst, c.x, y, 8);
    expect(y).toEqual(c.y);
    ops.axpy(10, c.coef, c.src, c.dst, c.x, y, 8);
    expect(c.x).toEqual(x);
  });
});

describe('row-pair loops', () => {
  it('use WebAssembly SIMD in Node 20, whose memory grows to take large matrices', () => {
    expect(wasm).not.toBeNull();
    expect(rowOps()).not.toBe(jsRowOps);
    // 8192 × 512 floats (16 MiB) on each side: far beyond the module's first page of memory.
    const [rows, d] = [8192, 512];
    const x = new Float32Array(rows * d).fill(0.5);
    const y = new Float32Array(rows * d);
    wasm!.axpy(3, Float32Array.from([1, 2, 3]), Int32Array.from([0, rows - 1, rows - 1]), Int32Array.from([rows - 1, 0, rows - 1]), x, y, d);
    expect(y[0]).toBe(1);
    expect(y[d]).toBe(0);
    expect(y[(rows - 1) * d + d - 1]).toBe(0.5 + 1.5);
  });
});
