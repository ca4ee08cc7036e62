// Absolute cosine similarity between the features of two SAEs, computed with tfjs so the heavy
// [nA, d] × [d, nB] product runs on whichever backend is active (WebGPU/WebGL in the browser).
// Absolute, because a feature and its sign-flipped twin are the same feature up to the sign
// convention of the code (the paper compares |cos|).

import { tf } from '../tf';
import type { SaeWeights } from '../sae/weights';

/** A dense [rows, cols] matrix, row-major: values[i * cols + j]. */
export interface SimilarityMatrix {
  values: Float32Array;
  rows: number;
  cols: number;
}

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
  if (a.length !== nA * dim || b.length !== nB * dim) {
    throw new Error(`cosine inputs have ${a.length} and ${b.length} values, expected [${nA}, ${dim}] and [${nB}, ${dim}]`);
  }
  return absCosineOfRows(
    () => tf.tensor2d(a, [nA, dim]),
    () => tf.tensor2d(b, [nB, dim]),
    options,
  );
}

/**
 * Builds the [nA, nB] matrix in row blocks written straight into one JavaScript array: each block is
 * a small product on the backend, read back and freed before the next. Building it as one tensor
 * instead held several n×n intermediates at once (product, |·|, clamp) and, on wasm, grew the heap
 * to hold them for good (a 16,384² matrix peaked at 3.5 GB). Now the peak is the result plus one block.
 * Every entry is still one row of A's unit vectors times one column of B's, so blocking does not
 * change the numbers.
 */
async function absCosineOfRows(
  makeA: () => tf.Tensor2D,
  makeB: () => tf.Tensor2D,
  options: CosineOptions,
): Promise<SimilarityMatrix> {
  // An explicit transpose, not matMul's transposeB flag: tfjs-wasm and -cpu run flagged products
  // about 20× slower (see src/core/ops.ts).
  const unitA = unitRows(makeA);
  const unitBT = tf.tidy(() => tf.transpose(unitRows(makeB)));
  const [rows, dim] = unitA.shape;
  const cols = unitBT.shape[1];
  const blockRows = Math.max(1, Math.floor(options.blockRows ?? BLOCK_VALUES / Math.max(cols, 1)));
  if (options.out && options.out.length !== rows * cols) {
    tf.dispose([unitA, unitBT]);
    throw new Error(`cosine output buffer has ${options.out.length} values, expected ${rows}×${cols}`);
  }
  const values = options.out ?? new Float32Array(rows * cols);
  try {
    for (let start = 0; start < rows; start += blockRows) {
      const count = Math.min(blockRows, rows - start);
      const block = tf.tidy(() => tf.matMul(tf.slice(unitA, [start, 0], [count, dim]), unitBT));
      try {
        // |·| and the clamp in the copy out, not as two more backend ops: on wasm those cost as much
        // as the product itself (two more block-sized tensors and passes). Rounding can push |cos|
        // of (near-)parallel vectors a hair above 1.
        absClampInto((await readBlock(block)) as Float32Array, values, start * cols);
      } finally {
        block.dispose();
      }
    }
  } finally {
    tf.dispose([unitA, unitBT]);
  }
  return { values, rows, cols };
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

function absClampInto(product: Float32Array, out: Float32Array, offset: number): void {
  for (let k = 0; k < product.length; k++) {
    const y = Math.abs(product[k]);
    out[offset + k] = y < 1 ? y : 1;
  }
}

/**
 * Scales every row to unit length; zero rows stay zero. Dividing by the row's largest |entry|
 * first keeps the squared norm away from float32 underflow (tiny rows would otherwise get norm 0
 * and divide to Inf/NaN) and away from overflow for huge ones. Each step frees its [n, d]
 * temporaries before the next: the wasm heap keeps its high-water mark for good, and one tidy
 * around both sides' steps grew it to 384 MB at 16,384 × 512 (461 MB with the encoder's transposes),
 * a third of a pair's memory.
 */
function unitRows(make: () => tf.Tensor2D): tf.Tensor2D {
  const x = tf.tidy(make);
  const [largest, isZero] = tf.tidy(() => {
    const l = tf.max(tf.abs(x), 1, true);
    return [l, tf.equal(l, 0)];
  });
  const scaled = tf.tidy(() => tf.div(x, tf.where(isZero, tf.onesLike(largest), largest)));
  x.dispose();
  const norm = tf.tidy(() => tf.sqrt(tf.sum(tf.square(scaled), 1, true)));
  // A zero row has norm 0; dividing it by 1 instead keeps it zero.
  const unit = tf.tidy(() => tf.div(scaled, tf.where(isZero, tf.onesLike(norm), norm))) as tf.Tensor2D;
  tf.dispose([largest, isZero, scaled, norm]);
  return unit;
}

/** |cos| between the decoder directions (rows of W_dec) of two SAEs: [a.d_sae, b.d_sae]. */
export async function decoderCosine(a: SaeWeights, b: SaeWeights, options: CosineOptions = {}): Promise<SimilarityMatrix> {
  checkSameInput(a, b);
  return absCosineMatrix(a.W_dec, a.d_sae, b.W_dec, b.d_sae, a.d_in, options);
}

/** |cos| between the encoder vectors (columns of W_enc) of two SAEs: [a.d_sae, b.d_sae]. */
export async function encoderCosine(a: SaeWeights, b: SaeWeights, options: CosineOptions = {}): Promise<SimilarityMatrix> {
  checkSameInput(a, b);
  // W_enc is [d_in, d_sae]; the cosine wants one feature per row, i.e. W_encᵀ.
  const encoderRows = (w: SaeWeights) => tf.transpose(tf.tensor2d(w.W_enc, [w.d_in, w.d_sae]));
  return absCosineOfRows(
    () => encoderRows(a),
    () => encoderRows(b),
    options,
  );
}

function checkSameInput(a: SaeWeights, b: SaeWeights): void {
  if (a.d_in !== b.d_in) throw new Error(`cannot compare SAEs with d_in ${a.d_in} and ${b.d_in}`);
}
