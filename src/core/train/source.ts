import { tf } from '../tf';

/** Where the trainer gets its rows from; it knows nothing else about the data. */
export interface BatchSource {
  readonly d_in: number;
  /** Rows in one epoch. */
  readonly size: number;
  /** The rows at `indices` as a [indices.length, d_in] tensor; the caller disposes it. */
  gather(indices: Int32Array): tf.Tensor2D;
  /**
   * The same rows as plain numbers, without a device read-back: synchronous reads are broken on
   * WebGPU in workers (the device is lost), and asynchronous ones would make setup async.
   */
  rowsOnHost(indices: Int32Array): Float32Array;
  dispose(): void;
}

/**
 * A source over a dataset held in memory. On GPU backends the data is uploaded once and batches are
 * gathered on the device; on wasm and cpu, whose memory is the host's, copying the rows in
 * JavaScript is several times faster than tfjs's gather kernel (see BENCHMARKS.md).
 */
export function tensorSource(data: Float32Array, d_in: number): BatchSource {
  if (d_in <= 0 || data.length % d_in !== 0) throw new Error(`data of length ${data.length} is not a whole number of rows of width ${d_in}`);
  const size = data.length / d_in;
  const rowsOnHost = (indices: Int32Array) => {
    const out = new Float32Array(indices.length * d_in);
    indices.forEach((row, i) => out.set(data.subarray(row * d_in, (row + 1) * d_in), i * d_in));
    return out;
  };
  if (HOST_MEMORY_BACKENDS.has(tf.getBackend())) {
    return { d_in, size, rowsOnHost, gather: (indices) => tf.tensor2d(rowsOnHost(indices), [indices.length, d_in]), dispose: () => {} };
  }
  const all = tf.tensor2d(data, [size, d_in]);
  return {
    d_in,
    size,
    rowsOnHost,
    gather: (indices) => tf.tidy(() => tf.gather(all, tf.tensor1d(indices, 'int32'))) as tf.Tensor2D,
    dispose: () => all.dispose(),
  };
}

const HOST_MEMORY_BACKENDS = new Set(['wasm', 'cpu']);
