import { describe, expect, it } from 'vitest';
import { parseIdx } from '../../../src/core/formats/idx';

/** An IDX file built by hand: magic (two zero bytes, dtype code, ndim), big-endian dims, then the data. */
function idxFile(code: number, dims: number[], data: Uint8Array, magicPrefix = [0, 0]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out.set([...magicPrefix, code, dims.length]);
  dims.forEach((dim, i) => view.setUint32(4 + 4 * i, dim, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

function bigEndian(bytesPerValue: number, values: number[], set: (view: DataView, offset: number, value: number) => void): Uint8Array {
  const out = new Uint8Array(bytesPerValue * values.length);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => set(view, bytesPerValue * i, value));
  return out;
}

describe('parseIdx', () => {
  it('parses MNIST-style u8 images (0x00000803) and labels (0x00000801)', () => {
    const pixels = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 10);
    const images = parseIdx(idxFile(0x08, [2, 3, 4], pixels), 'images');
    expect(images.dtype).toBe('u8');
    expect(images.dims).toEqual([2, 3, 4]);
    expect(images.data).toEqual(pixels);
    expect([...idxFile(0x08, [2, 3, 4], pixels).subarray(0, 4)]).toEqual([0, 0, 8, 3]);

    const labels = parseIdx(idxFile(0x08, [3], Uint8Array.from([7, 2, 1])).buffer as ArrayBuffer, 'labels');
    expect(labels.dims).toEqual([3]);
    expect(labels.data).toEqual(Uint8Array.from([7, 2, 1]));
  });

  it('decodes wider types big-endian, from a view that does not start at its buffer start', () => {
    const cases = [
      { code: 0x09, dtype: 'i8', data: Int8Array.from([-128, 5]), bytes: Uint8Array.from([0x80, 5]) },
      { code: 0x0b, dtype: 'i16', data: Int16Array.from([-2, 300]), bytes: bigEndian(2, [-2, 300], (v, o, x) => v.setInt16(o, x)) },
      { code: 0x0c, dtype: 'i32', data: Int32Array.from([-70000, 1]), bytes: bigEndian(4, [-70000, 1], (v, o, x) => v.setInt32(o, x)) },
      { code: 0x0d, dtype: 'f32', data: Float32Array.from([1.5, -0.125]), bytes: bigEndian(4, [1.5, -0.125], (v, o, x) => v.setFloat32(o, x)) },
      { code: 0x0e, dtype: 'f64', data: Float64Array.from([Math.PI, -1e300]), bytes: bigEndian(8, [Math.PI, -1e300], (v, o, x) => v.setFloat64(o, x)) },
    ];
    for (const { code, dtype, data, bytes } of cases) {
      const file = idxFile(code, [1, 2], bytes);
      const shifted = new Uint8Array(file.length + 3);
      shifted.set(file, 1);
      const parsed = parseIdx(shifted.subarray(1, 1 + file.length), dtype);
      expect([parsed.dtype, parsed.dims]).toEqual([dtype, [1, 2]]);
      expect(parsed.data).toEqual(data);
    }
  });

  it.each([
    ['too short for the magic', new Uint8Array([0, 0, 8]), /train-images: 3 bytes is too short for an IDX file/],
    ['gzip-compressed input', Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]), /train-images: is gzip-compressed; decompress it/],
    ['nonzero leading magic bytes', idxFile(0x08, [1], new Uint8Array(1), [0, 1]), /train-images: bad IDX magic number 0x00010801/],
    ['unknown dtype code', idxFile(0x0a, [1], new Uint8Array(1)), /train-images: bad IDX magic number 0x00000a01/],
    ['truncated header', idxFile(0x08, [2, 3, 4], new Uint8Array(24)).subarray(0, 10), /train-images: truncated: 3 dimensions need a 16-byte header, file has 10 bytes/],
    ['truncated data', idxFile(0x08, [2, 3, 4], new Uint8Array(23)), /train-images: truncated: dims 2×3×4 of u8 need 24 data bytes, file has 23/],
    ['trailing bytes', idxFile(0x0c, [2], new Uint8Array(9)), /train-images: has trailing bytes: dims 2 of i32 need 8 data bytes, file has 9/],
    ['dims whose product is far past the length', idxFile(0x08, [0xffffffff, 0xffffffff], new Uint8Array(4)), /train-images: truncated: dims 4294967295×4294967295 of u8/],
  ])('rejects %s with a clear message', (_, bytes, message) => {
    expect(() => parseIdx(bytes, 'train-images')).toThrow(message);
  });
});
