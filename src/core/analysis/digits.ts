import type { MnistSplit } from '../data/mnist';
import { tensorSource, type BatchSource } from '../train/source';

/**
 * Labelled digits for analysis: the split's CPU arrays (pictures, labels) and the same rows
 * uploaded once (`rows`), so repeated analyses do not upload the split again. Any row width works
 * (tests use tiny ones); MNIST's is 784.
 */
export interface DigitSet {
  split: MnistSplit;
  rows: BatchSource;
}

export function uploadDigits(split: MnistSplit): DigitSet {
  if (split.count <= 0) throw new Error('a digit set needs at least one digit');
  return { split, rows: tensorSource(split.images, split.images.length / split.count) };
}

/** Row `index` of the split's pictures, copied (safe to transfer to another thread). */
export function digitImage(split: MnistSplit, index: number): Float32Array {
  const width = split.images.length / split.count;
  return split.images.slice(index * width, (index + 1) * width);
}
