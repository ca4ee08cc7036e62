// Absolute cosine similarity between the features of two SAEs, computed with tfjs so the heavy
// [nA, d] × [d, nB] product runs on whichever backend is active (WebGPU/WebGL in the browser).
// Absolute, because a feature and its sign-flipped twin are the same feature up to the sign
// convention of the code (the paper compares |cos|).

import { tf } from '../tf';
import { transpose } from '../host-matrix';
import type { SaeWeights } from '../sae/weights';

/** A dense [rows, cols] matrix, row-major: values[i * cols + j]. */
export interface SimilarityMatrix {
  values: Float32Array;
  rows: number;
  cols: number;
}

/**
 * Something that fills [nA, nB] |cos| matrices from feature rows: `absCosineMatrix` on the active
 * backend by default; the runner passes one that splits the rows over its threads (src/cli/cosine-threads.ts).
 */
export type AbsCosine = (a: Float32Array, nA: number, b: Float32Array, nB: number, dim: number, options?: CosineOptions) => Promise<SimilarityMatrix>;

/**
 * What an alignment computes its |cos| matrices with, and the buffers it writes them into (the
 * threads' engine needs memory they share).
 */
export interface CosineEngine {
  absCosine: AbsCosine;
  newMatrix(length: number): Float32Array;
}

/** This thread's backend, into ordinary arrays. */
export const LOCAL_COSINE: CosineEngine = { absCosine: absCosineMatrix, newMatrix: (length) => new Float32Array(length) };

/** How the similarity matrix is built: in blocks of `blockRows` rows of A (default: about 16 MiB each). */
export interface CosineOptions {
  blockRows?: number;
  /**
   * A Float32Array of rows·cols values to write the matrix into instead of allocating one: the
   * previous matrix of a pair, once read, so that a pair never holds two n×n buffers (a dropped one
   * is freed only when the garbage collector gets to it).
   */
  out?: Float32Array;
}

/** Values per block when no block size is given: 2^22 float32 values, 16 MiB. */
const BLOCK_VALUES = 1 << 22;

/**
 * |cos| between every row of `a` ([nA, dim]) and every row of `b` ([nB, dim]). A zero vector has
 * cosine 0 with everything.
 */
export async function absCosineMatrix(
  a: Float32Array,
  nA: number,
  b: Float32Array,
  nB: number,
  dim: number,
  options: CosineOptions = {},
): Promise<SimilarityMatrix> {
  checkCosineShapes(a, nA, b, nB, dim, options.out);
  const values = options.out ?? new Float32Array(nA * nB);
  const columns = new CosineColumns(b, nB, dim);
  try {
    await columns.rowsInto(a, 0, nA, values, options.blockRows);
  } finally {
    columns.dispose();
  }
  return { values, rows: nA, cols: nB };
}

/** Refuses rows that are not [nA, dim] and [nB, dim], and an output buffer that is not nA·nB long. */
export function checkCosineShapes(a: Float32Array, nA: number, b: Float32Array, nB: number, dim: number, out?: Float32Array): void {
  if (a.length !== nA * dim || b.length !== nB * dim) {
    throw new Error(`cosine inputs have ${a.length} and ${b.length} values, expected [${nA}, ${dim}] and [${nB}, ${dim}]`);
  }
  if (out && out.length !== nA * nB) throw new Error(`cosine output buffer has ${out.length} values, expected ${nA}×${nB}`);
}

/**
 * B's side of a |cos| matrix, prepared once on the backend (its unit rows, transposed), against which
 * any rows of A are then written: all of them (absCosineMatrix), or a thread's share of them.
 *
 * Rows are written in blocks straight into one JavaScript array: each block is a small product on the
 * backend, read back and freed before the next. Building the matrix as one tensor instead held several
 * n×n intermediates at once (product, |·|, clamp) and, on wasm, grew the heap to hold them for good
 * (a 16,384² matrix peaked at 3.5 GB). Every entry is one row of A's unit vectors times one column of
 * B's, and a row's unit vector depends on that row alone, so neither blocks nor shares change the numbers.
 */
export class CosineColumns {
  private readonly unitBT: tf.Tensor2D;

  constructor(
    b: Float32Array,
    readonly cols: number,
    readonly dim: number,
  ) {
    // Uploaded transposed, [dim, cols], not multiplied with matMul's transposeB flag: tfjs-wasm and
    // -cpu run flagged products about 20× slower (see src/core/ops.ts).
    const unitBT = writeUnitRows(b, cols, dim, new Float32Array(cols * dim), (r, t) => t * cols + r);
    this.unitBT = tf.tensor2d(unitBT, [dim, cols]);
  }

  /**
   * Writes |cos| of A's rows [from, to) (`a` holds all of A, [·, dim]) into `out` ([·, cols]
   * row-major, at the same rows).
   */
  async rowsInto(a: Float32Array, from: number, to: number, out: Float32Array, blockRows?: number): Promise<void> {
    const { cols, dim } = this;
    const step = Math.max(1, Math.floor(blockRows ?? BLOCK_VALUES / Math.max(cols, 1)));
    const unitRows = new Float32Array(Math.min(step, Math.max(0, to - from)) * dim);
    for (let start = from; start < to; start += step) {
      const count = Math.min(step, to - start);
      const rows = a.subarray(start * dim, (start + count) * dim);
      const unitA = tf.tensor2d(writeUnitRows(rows, count, dim, unitRows.subarray(0, count * dim), (r, t) => r * dim + t), [count, dim]);
      const block = tf.tidy(() => tf.matMul(unitA, this.unitBT));
      unitA.dispose();
      try {
        // |·| and the clamp in the copy out, not as two more backend ops: on wasm those cost as much
        // as the product itself (two more block-sized tensors and passes). Rounding can push |cos|
        // of (near-)parallel vectors a hair above 1.
        absClampInto(wasmHeapView(block) ?? ((await readBlock(block)) as Float32Array), out, start * cols);
      } finally {
        block.dispose();
      }
    }
  }

  dispose(): void {
    this.unitBT.dispose();
  }
}

/**
 * A block's values. On the CPU backends (wasm, cpu) the read is synchronous underneath, and awaiting
 * it cost about 30% of the product's time at 4096 features (a turn of the event loop per block on a
 * loaded machine); GPU backends keep the asynchronous read so the thread is not blocked.
 */
async function readBlock(block: tf.Tensor): Promise<tf.TypedArray> {
  const backend = tf.getBackend();
  return backend === 'wasm' || backend === 'cpu' ? block.dataSync() : block.data();
}

/** What wasmHeapView reads of tfjs-backend-wasm 4.x's internals; absent members mean another backend or version. */
interface WasmBackendInternals {
  dataIdMap?: { get(dataId: object): { memoryOffset?: number } | undefined };
  wasm?: { HEAPF32?: Float32Array };
}

/**
 * A float32 block's values where the wasm backend keeps them: a view into its heap, valid until the
 * next backend call. dataSync copies each block into a fresh array instead, 1 GiB of short-lived
 * copies per 16,384² matrix, which the page's workers held on to until the garbage collector came
 * round. Null on other backends, or if the backend's internals are not what this expects (the copy
 * is then read).
 */
function wasmHeapView(block: tf.Tensor): Float32Array | null {
  if (tf.getBackend() !== 'wasm' || block.dtype !== 'float32') return null;
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const offset = backend.dataIdMap?.get(block.dataId)?.memoryOffset;
  // Read after the product: a heap that grew during it has a new buffer.
  const heap = backend.wasm?.HEAPF32;
  if (offset === undefined || heap === undefined || offset % 4 !== 0 || offset / 4 + block.size > heap.length) return null;
  return heap.subarray(offset / 4, offset / 4 + block.size);
}

function absClampInto(product: Float32Array, out: Float32Array, offset: number): void {
  for (let k = 0; k < product.length; k++) {
    const y = Math.abs(product[k]);
    out[offset + k] = y < 1 ? y : 1;
  }
}

/**
 * Row r of `x` ([rows, dim]) scaled to unit length, written through `place(r, t)` (the index of its
 * t-th value in the output); a zero row stays zero. On the host, in float64: the squares of float32
 * values neither overflow nor underflow there, and the backend's heap, which keeps its high-water mark
 * for good, never holds more than the unit vectors themselves (normalising on the backend held three
 * [n, d] tensors at once: about 150 MB at 16,384 × 784).
 */
function writeUnitRows(x: Float32Array, rows: number, dim: number, out: Float32Array, place: (r: number, t: number) => number): Float32Array {
  for (let r = 0; r < rows; r++) {
    const offset = r * dim;
    let squares = 0;
    for (let t = 0; t < dim; t++) squares += x[offset + t] * x[offset + t];
    const scale = squares > 0 ? 1 / Math.sqrt(squares) : 0;
    for (let t = 0; t < dim; t++) out[place(r, t)] = x[offset + t] * scale;
  }
  return out;
}

/** Options of decoderCosine and encoderCosine: where to write, and what computes the products. */
export interface SaeCosineOptions extends CosineOptions {
  engine?: AbsCosine;
}

/** |cos| between the decoder directions (rows of W_dec) of two SAEs: [a.d_sae, b.d_sae]. */
export async function decoderCosine(a: SaeWeights, b: SaeWeights, options: SaeCosineOptions = {}): Promise<SimilarityMatrix> {
  checkSameInput(a, b);
  const { engine = absCosineMatrix, ...rest } = options;
  return engine(a.W_dec, a.d_sae, b.W_dec, b.d_sae, a.d_in, rest);
}

/** |cos| between the encoder vectors (columns of W_enc) of two SAEs: [a.d_sae, b.d_sae]. */
export async function encoderCosine(a: SaeWeights, b: SaeWeights, options: SaeCosineOptions = {}): Promise<SimilarityMatrix> {
  checkSameInput(a, b);
  const { engine = absCosineMatrix, ...rest } = options;
  // W_enc is [d_in, d_sae]; the cosine wants one feature per row, i.e. W_encᵀ (on the host: a thread's
  // share of the rows is a slice of it).
  return engine(transpose(a.W_enc, a.d_in, a.d_sae), a.d_sae, transpose(b.W_enc, b.d_in, b.d_sae), b.d_sae, a.d_in, rest);
}

function checkSameInput(a: SaeWeights, b: SaeWeights): void {
  if (a.d_in !== b.d_in) throw new Error(`cannot compare SAEs with d_in ${a.d_in} and ${b.d_in}`);
}
