import type { tf } from '../tf';
import type { BatchSource } from '../train/source';

/** The indices start, start + 1, …, end − 1. */
export function indexRange(start: number, end: number): Int32Array {
  const out = new Int32Array(end - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}

/**
 * Visits every row of `source` in order, `batchSize` rows at a time, so analysis over a whole split
 * holds only one batch of activations at once. The batch tensor is disposed after `visit` returns
 * (or its promise settles).
 */
export async function forEachBatch(
  source: BatchSource,
  batchSize: number,
  visit: (x: tf.Tensor2D, start: number) => void | Promise<void>,
): Promise<void> {
  for (let start = 0; start < source.size; start += batchSize) {
    const x = source.gather(indexRange(start, Math.min(source.size, start + batchSize)));
    try {
      await visit(x, start);
    } finally {
      x.dispose();
    }
  }
}
