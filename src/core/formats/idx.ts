/**
 * IDX files (the MNIST format): two zero bytes, a dtype code, the number of dimensions, one big-endian
 * u32 per dimension, then the values in row-major order, big-endian.
 */

const IDX_DTYPES = {
  0x08: { name: 'u8', bytes: 1 },
  0x09: { name: 'i8', bytes: 1 },
  0x0b: { name: 'i16', bytes: 2 },
  0x0c: { name: 'i32', bytes: 4 },
  0x0d: { name: 'f32', bytes: 4 },
  0x0e: { name: 'f64', bytes: 8 },
} as const;

type IdxCode = keyof typeof IDX_DTYPES;
export type IdxDtype = (typeof IDX_DTYPES)[IdxCode]['name'];
export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDtype;
  dims: number[];
  /** u8 data is a view into the input bytes (no copy); wider types are decoded into a new array. */
  data: IdxValues;
}

const GZIP_MAGIC = [0x1f, 0x8b];

export function parseIdx(file: ArrayBuffer | Uint8Array, fileName: string): IdxArray {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const fail = (problem: string): never => {
    throw new Error(`${fileName}: ${problem}`);
  };
  if (bytes.length < 4) fail(`${bytes.length} bytes is too short for an IDX file (needs a 4-byte magic number)`);
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) fail('is gzip-compressed; decompress it before parsing as IDX');
  const code = bytes[2];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !Object.hasOwn(IDX_DTYPES, code)) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
    fail(`bad IDX magic number 0x${magic} (expected 0x0000, a dtype code 08/09/0b/0c/0d/0e, and the number of dimensions)`);
  }
  const dtype = IDX_DTYPES[code as IdxCode];
  const ndim = bytes[3];
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) fail(`truncated: ${ndim} dimensions need a ${headerBytes}-byte header, file has ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndim }, (_, i) => view.getUint32(4 + 4 * i, false));
  // Each dim is below 2^32, so the product stays exact until it is far past any real file size.
  const expectedBytes = dims.reduce((product, dim) => product * dim, 1) * dtype.bytes;
  const dataBytes = bytes.length - headerBytes;
  if (dataBytes !== expectedBytes) {
    const problem = dataBytes < expectedBytes ? 'truncated' : 'has trailing bytes';
    fail(`${problem}: dims ${dims.join('×')} of ${dtype.name} need ${expectedBytes} data bytes, file has ${dataBytes}`);
  }
  return { dtype: dtype.name, dims, data: decodeValues(view, headerBytes, expectedBytes / dtype.bytes, dtype.name) };
}

function decodeValues(view: DataView, start: number, count: number, dtype: IdxDtype): IdxValues {
  const at = (bytesPerValue: number, i: number) => start + bytesPerValue * i;
  switch (dtype) {
    case 'u8':
      return new Uint8Array(view.buffer, view.byteOffset + start, count);
    case 'i8':
      return new Int8Array(view.buffer.slice(view.byteOffset + start, view.byteOffset + start + count));
    case 'i16':
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(at(2, i), false));
    case 'i32':
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(at(4, i), false));
    case 'f32':
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(at(4, i), false));
    case 'f64':
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(at(8, i), false));
  }
}
