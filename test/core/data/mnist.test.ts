import { describe, expect, it } from 'vitest';
import { mnistSplitFromIdx } from '../../../src/core/data/mnist';

function idxU8(dims: number[], data: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out.set([0, 0, 0x08, dims.length]);
  dims.forEach((dim, i) => new DataView(out.buffer).setUint32(4 + 4 * i, dim, false));
  out.set(Array.from(data), 4 + 4 * dims.length);
  return out;
}

const PIXELS = 28 * 28;

describe('mnistSplitFromIdx', () => {
  it('flattens images to 784 pixels scaled to [0, 1] and keeps the labels', () => {
    const raw = Uint8Array.from({ length: 2 * PIXELS }, (_, i) => (i * 7) % 256);
    const split = mnistSplitFromIdx(idxU8([2, 28, 28], raw), idxU8([2], [3, 9]), 'imgs', 'lbls');
    expect(split.count).toBe(2);
    expect(split.labels).toEqual(Uint8Array.from([3, 9]));
    expect(split.images.length).toBe(2 * PIXELS);
    expect(split.images).toEqual(Float32Array.from(raw, (byte) => byte / 255));
  });

  it.each([
    ['count mismatch', idxU8([2, 28, 28], new Uint8Array(2 * PIXELS)), idxU8([3], [1, 2, 3]), /lbls: has 3 labels but imgs has 2 images/],
    ['images that are not 28×28', idxU8([1, 27, 28], new Uint8Array(27 * 28)), idxU8([1], [0]), /imgs: images are 27×28, expected 28×28/],
    ['2-D images file', idxU8([1, PIXELS], new Uint8Array(PIXELS)), idxU8([1], [0]), /imgs: expected 3-D u8 IDX, got 2-D u8/],
    ['label above 9', idxU8([1, 28, 28], new Uint8Array(PIXELS)), idxU8([1], [10]), /lbls: label 10 at index 0 is not a digit/],
  ])('rejects %s', (_, images, labels, message) => {
    expect(() => mnistSplitFromIdx(images, labels, 'imgs', 'lbls')).toThrow(message);
  });
});
