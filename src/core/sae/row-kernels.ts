// Two loops over pairs of matrix rows, the whole arithmetic of the sparse TopK path
// (src/core/sae/sparse-top-k.ts):
//   axpy: y[dst[p]] += coef[p] · x[src[p]]   (gather-decode, and the scatter-adds of the gradients)
//   dot:  out[p] = x[a[p]] · y[b[p]]          (the gradient of each selected activation)
// Plain JavaScript runs them at about 0.3 G multiply-adds/s on the development machine; a small
// WebAssembly module with 128-bit SIMD, assembled below, at 2.5–3.5 G (BENCHMARKS.md). The module
// is written out byte by byte because it is two short loops: no compiler or build step for it.
// Where WebAssembly SIMD is missing, the same loops run in JavaScript (also the tests' reference).

/** Row-pair loops over float32 matrices stored row-major with rows of length d. */
export interface RowOps {
  /** y[dst[p]·d ..] += coef[p] · x[src[p]·d ..] for p < count. */
  axpy(count: number, coef: Float32Array, src: Int32Array, dst: Int32Array, x: Float32Array, y: Float32Array, d: number): void;
  /** out[p] = Σ_i x[a[p]·d + i] · y[b[p]·d + i] for p < count. */
  dot(count: number, a: Int32Array, b: Int32Array, x: Float32Array, y: Float32Array, d: number, out: Float32Array): void;
}

export const jsRowOps: RowOps = {
  axpy(count, coef, src, dst, x, y, d) {
    for (let p = 0; p < count; p++) {
      const a = coef[p];
      const from = src[p] * d;
      const to = dst[p] * d;
      for (let i = 0; i < d; i++) y[to + i] += a * x[from + i];
    }
  },
  dot(count, a, b, x, y, d, out) {
    for (let p = 0; p < count; p++) {
      const u = a[p] * d;
      const v = b[p] * d;
      let sum = 0;
      for (let i = 0; i < d; i++) sum += x[u + i] * y[v + i];
      out[p] = sum;
    }
  },
};

let cached: RowOps | null | undefined;

/** The WebAssembly SIMD loops when this runtime has them, else the JavaScript ones. */
export function rowOps(): RowOps {
  if (cached === undefined) cached = wasmRowOps();
  return cached ?? jsRowOps;
}

/** The WebAssembly loops, or null where WebAssembly SIMD is unavailable. */
export function wasmRowOps(): RowOps | null {
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(MODULE_BYTES)) return null;
  const exports = new WebAssembly.Instance(new WebAssembly.Module(MODULE_BYTES)).exports as unknown as {
    memory: WebAssembly.Memory;
    axpy_rows: (count: number, coef: number, src: number, dst: number, x: number, y: number, d: number) => void;
    dot_rows: (count: number, a: number, b: number, x: number, y: number, d: number, out: number) => void;
  };
  const { memory } = exports;
  /** Copies the arrays into the module's memory, one after another, 16-byte aligned; returns their offsets. */
  const place = (arrays: (Float32Array | Int32Array)[]): number[] => {
    const offsets: number[] = [];
    let end = 0;
    for (const a of arrays) {
      offsets.push(end);
      end += Math.ceil(a.byteLength / 16) * 16;
    }
    // The memory grows as needed and keeps its size: the next call of the same shape reuses it.
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
    arrays.forEach((a, i) => new Uint8Array(memory.buffer, offsets[i], a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)));
    return offsets;
  };
  const copyBack = (into: Float32Array, offset: number) => into.set(new Float32Array(memory.buffer, offset, into.length));
  return {
    axpy(count, coef, src, dst, x, y, d) {
      const [c, s, t, xo, yo] = place([coef.subarray(0, count), src.subarray(0, count), dst.subarray(0, count), x, y]);
      exports.axpy_rows(count, c, s, t, xo, yo, d);
      copyBack(y, yo);
    },
    dot(count, a, b, x, y, d, out) {
      const [ao, bo, xo, yo, oo] = place([a.subarray(0, count), b.subarray(0, count), x, y, out.subarray(0, count)]);
      exports.dot_rows(count, ao, bo, xo, yo, d, oo);
      copyBack(out.subarray(0, count), oo);
    },
  };
}

// ---- The module, in the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/) ----

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const name = (s: string) => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vector = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const BLOCK = [0x02, 0x40]; // block with no result
const LOOP = [0x03, 0x40];
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const i32 = (n: number) => [0x41, ...sleb(n)];
const I32_LOAD = [0x28, 2, 0]; // align 2^2, offset 0
const F32_LOAD = [0x2a, 2, 0];
const F32_STORE = [0x38, 2, 0];
const I32_GE_U = 0x4f;
const I32_ADD = 0x6a;
const I32_MUL = 0x6c;
const I32_AND = 0x71;
const I32_SHL = 0x74;
const F32_ADD = 0x92;
const F32_MUL = 0x94;
const V128_LOAD = [0xfd, 0x00, 4, 0]; // align 2^4
const V128_STORE = [0xfd, 0x0b, 4, 0];
const F32X4_SPLAT = [0xfd, 0x13];
const f32x4ExtractLane = (lane: number) => [0xfd, 0x1f, lane];
const F32X4_ADD = [0xfd, ...uleb(0xe4)];
const F32X4_MUL = [0xfd, ...uleb(0xe6)];

/** base + (index << 2): the byte address of element `index` of a 4-byte array at `base`. */
const element = (base: number, index: number) => [...get(base), ...get(index), ...i32(2), I32_SHL, I32_ADD];
/** base + ((rows[p] · d) << 2): the byte address of row rows[p] of a matrix at `base`. */
const rowOf = (base: number, rows: number, p: number, d: number) => [...get(base), ...element(rows, p), ...I32_LOAD, ...get(d), I32_MUL, ...i32(2), I32_SHL, I32_ADD];
/** while (counter < bound) { body; counter += step } */
const countedLoop = (counter: number, bound: number, step: number, body: number[]) => [
  ...BLOCK, ...LOOP,
  ...get(counter), ...get(bound), I32_GE_U, BR_IF, 1,
  ...body,
  ...get(counter), ...i32(step), I32_ADD, ...set(counter), BR, 0,
  END, END,
];

// axpy_rows(count 0, coef 1, src 2, dst 3, x 4, y 5, d 6); locals: p 7, i 8, from 9, to 10, d4 11 (i32), a 12 (f32), av 13 (v128)
// prettier-ignore
const AXPY_BODY = [
  ...vector([[5, I32], [1, F32], [1, V128]]),
  ...get(6), ...i32(-4), I32_AND, ...set(11), // d4 = d rounded down to a multiple of 4
  ...countedLoop(7, 0, 1, [
    ...element(1, 7), ...F32_LOAD, ...set(12),
    ...rowOf(4, 2, 7, 6), ...set(9),
    ...rowOf(5, 3, 7, 6), ...set(10),
    ...get(12), ...F32X4_SPLAT, ...set(13),
    ...i32(0), ...set(8),
    ...countedLoop(8, 11, 4, [
      ...element(10, 8),
      ...element(10, 8), ...V128_LOAD, ...get(13), ...element(9, 8), ...V128_LOAD, ...F32X4_MUL, ...F32X4_ADD,
      ...V128_STORE,
    ]),
    ...countedLoop(8, 6, 1, [
      ...element(10, 8),
      ...element(10, 8), ...F32_LOAD, ...get(12), ...element(9, 8), ...F32_LOAD, F32_MUL, F32_ADD,
      ...F32_STORE,
    ]),
  ]),
  END,
];

// dot_rows(count 0, a 1, b 2, x 3, y 4, d 5, out 6); locals: p 7, i 8, u 9, v 10, d4 11 (i32), sum 12 (f32), acc 13 (v128)
// prettier-ignore
const DOT_BODY = [
  ...vector([[5, I32], [1, F32], [1, V128]]),
  ...get(5), ...i32(-4), I32_AND, ...set(11),
  ...countedLoop(7, 0, 1, [
    ...rowOf(3, 1, 7, 5), ...set(9),
    ...rowOf(4, 2, 7, 5), ...set(10),
    0x43, 0, 0, 0, 0, ...F32X4_SPLAT, ...set(13), // acc = 0
    ...i32(0), ...set(8),
    ...countedLoop(8, 11, 4, [
      ...get(13), ...element(9, 8), ...V128_LOAD, ...element(10, 8), ...V128_LOAD, ...F32X4_MUL, ...F32X4_ADD, ...set(13),
    ]),
    ...get(13), ...f32x4ExtractLane(0), ...get(13), ...f32x4ExtractLane(1), F32_ADD,
    ...get(13), ...f32x4ExtractLane(2), F32_ADD, ...get(13), ...f32x4ExtractLane(3), F32_ADD, ...set(12),
    ...countedLoop(8, 5, 1, [
      ...get(12), ...element(9, 8), ...F32_LOAD, ...element(10, 8), ...F32_LOAD, F32_MUL, F32_ADD, ...set(12),
    ]),
    ...element(6, 7), ...get(12), ...F32_STORE,
  ]),
  END,
];

const SEVEN_I32_TO_NOTHING = [0x60, ...vector(Array.from({ length: 7 }, () => [I32])), 0x00];

const MODULE_BYTES = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  ...section(1, vector([SEVEN_I32_TO_NOTHING])), // types
  ...section(3, vector([[0], [0]])), // two functions of type 0
  ...section(5, vector([[0x00, 1]])), // one memory, 1 page to start, no maximum
  ...section(7, vector([[...name('memory'), 0x02, 0], [...name('axpy_rows'), 0x00, 0], [...name('dot_rows'), 0x00, 1]])),
  ...section(10, vector([[...uleb(AXPY_BODY.length), ...AXPY_BODY], [...uleb(DOT_BODY.length), ...DOT_BODY]])),
]);
