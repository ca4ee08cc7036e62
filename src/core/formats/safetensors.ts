/**
 * safetensors reader and writer on plain bytes, so the same code runs in browsers, workers and Node.
 * Reading is lazy: `openSafetensors` validates the header only; each tensor is decoded when asked for.
 *
 * Decoded types: F32, F16 and BF16 become Float32Array; I32 and I64 become Int32Array (I64 values outside
 * the int32 range are an error: the lab only stores counts and indices, and a BigInt64Array would push
 * BigInt handling onto every caller); U8 stays Uint8Array. Written dtypes: F32, F16, I32.
 */
import { bf16BitsToF32, f16BitsToF32, f32ToF16Bits } from './float16';
import { DTYPE_BYTES, METADATA_KEY, parseSafetensorsHeader, type SafetensorsDtype, type TensorEntry } from './safetensors-header';

export { DTYPE_BYTES, type SafetensorsDtype, type TensorEntry } from './safetensors-header';

export type TensorData = Float32Array | Int32Array | Uint8Array;

export interface Tensor<Data extends TensorData = TensorData> {
  dtype: SafetensorsDtype;
  shape: number[];
  data: Data;
}

export const FLOAT_DTYPES = ['F32', 'F16', 'BF16'] as const satisfies readonly SafetensorsDtype[];

export interface SafetensorsReader {
  fileName: string;
  metadata: Record<string, string>;
  /** Every tensor's dtype, shape and byte range, in header order. Nothing is decoded yet. */
  entries: ReadonlyMap<string, TensorEntry>;
  /** Decodes one tensor. Throws naming the file and tensor if it is missing or has an undecodable dtype. */
  read(tensorName: string): Tensor;
  /** Decodes one float tensor (F32, F16 or BF16) to float32; any other dtype is an error. */
  readFloat32(tensorName: string): Tensor<Float32Array>;
}

export function openSafetensors(file: ArrayBuffer | Uint8Array, fileName: string): SafetensorsReader {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file);
  const { metadata, entries, dataStart } = parseSafetensorsHeader(bytes, fileName);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  const entryFor = (tensorName: string): TensorEntry => {
    const entry = entries.get(tensorName);
    if (!entry) throw new Error(`${fileName}: no tensor "${tensorName}" (has: ${[...entries.keys()].join(', ') || 'none'})`);
    return entry;
  };
  const read = (tensorName: string): Tensor => {
    const entry = entryFor(tensorName);
    const data = decode(view, dataStart + entry.begin, entry, `${fileName}: tensor "${tensorName}"`);
    return { dtype: entry.dtype, shape: [...entry.shape], data };
  };
  const readFloat32 = (tensorName: string): Tensor<Float32Array> => {
    const { dtype } = entryFor(tensorName);
    if (!(FLOAT_DTYPES as readonly string[]).includes(dtype)) {
      throw new Error(`${fileName}: tensor "${tensorName}" has dtype ${dtype}, expected a float dtype (${FLOAT_DTYPES.join(', ')})`);
    }
    return read(tensorName) as Tensor<Float32Array>;
  };
  return { fileName, metadata, entries, read, readFloat32 };
}

function decode(view: DataView, start: number, entry: TensorEntry, what: string): TensorData {
  const count = (entry.end - entry.begin) / DTYPE_BYTES[entry.dtype];
  // Per-element DataView reads: correct on any host byte order and for unaligned offsets.
  switch (entry.dtype) {
    case 'F32':
      return fill(new Float32Array(count), (i) => view.getFloat32(start + 4 * i, true));
    case 'F16':
      return fill(new Float32Array(count), (i) => f16BitsToF32(view.getUint16(start + 2 * i, true)));
    case 'BF16':
      return fill(new Float32Array(count), (i) => bf16BitsToF32(view.getUint16(start + 2 * i, true)));
    case 'I32':
      return fill(new Int32Array(count), (i) => view.getInt32(start + 4 * i, true));
    case 'I64':
      return fill(new Int32Array(count), (i) => {
        const low = view.getInt32(start + 8 * i, true);
        const high = view.getInt32(start + 8 * i + 4, true);
        // In int32 range exactly when the high word is the sign extension of the low word.
        if (high !== (low < 0 ? -1 : 0)) {
          const value = view.getBigInt64(start + 8 * i, true);
          throw new Error(`${what}: I64 value ${value} at index ${i} is outside the int32 range this reader supports`);
        }
        return low;
      });
    case 'U8':
      return new Uint8Array(view.buffer.slice(view.byteOffset + start, view.byteOffset + start + count));
    default:
      throw new Error(`${what}: dtype ${entry.dtype} cannot be decoded (supported: F32, F16, BF16, I32, I64, U8)`);
  }
}

function fill<Data extends Float32Array | Int32Array>(out: Data, valueAt: (i: number) => number): Data {
  for (let i = 0; i < out.length; i++) out[i] = valueAt(i);
  return out;
}

export type WritableDtype = 'F32' | 'F16' | 'I32';

export type TensorToWrite =
  | { dtype: 'F32' | 'F16'; shape: readonly number[]; data: Float32Array }
  | { dtype: 'I32'; shape: readonly number[]; data: Int32Array };

export interface WriteOptions {
  metadata?: Record<string, string>;
  /** For error messages. */
  fileName?: string;
}

/** Builds a safetensors file. Tensors are laid out in the given order; the header is padded with spaces
 *  to a multiple of 8 bytes so the data section stays 8-byte aligned. */
export function writeSafetensors(tensors: Record<string, TensorToWrite>, options: WriteOptions = {}): Uint8Array {
  const fileName = options.fileName ?? 'safetensors';
  const header: Record<string, unknown> = {};
  if (options.metadata) header[METADATA_KEY] = options.metadata;
  let dataLength = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    checkTensorToWrite(name, tensor, `${fileName}: tensor "${name}"`);
    const byteCount = tensor.data.length * DTYPE_BYTES[tensor.dtype];
    header[name] = { dtype: tensor.dtype, shape: [...tensor.shape], data_offsets: [dataLength, dataLength + byteCount] };
    dataLength += byteCount;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + dataLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // the high word of the u64 stays 0
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);

  let offset = 8 + headerLength;
  for (const tensor of Object.values(tensors)) {
    const { data } = tensor;
    for (let i = 0; i < data.length; i++) {
      if (tensor.dtype === 'F32') view.setFloat32(offset + 4 * i, data[i], true);
      else if (tensor.dtype === 'F16') view.setUint16(offset + 2 * i, f32ToF16Bits(data[i]), true);
      else view.setInt32(offset + 4 * i, data[i], true);
    }
    offset += data.length * DTYPE_BYTES[tensor.dtype];
  }
  return out;
}

function checkTensorToWrite(name: string, tensor: TensorToWrite, what: string): void {
  if (name === '' || name === METADATA_KEY) throw new Error(`${what}: name is reserved or empty`);
  const expectedArray = tensor.dtype === 'I32' ? Int32Array : Float32Array;
  if (!(tensor.data instanceof expectedArray)) throw new Error(`${what}: ${tensor.dtype} data must be a ${expectedArray.name}`);
  if (!tensor.shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
    throw new Error(`${what}: shape [${tensor.shape.join(', ')}] must hold non-negative integers`);
  }
  const count = tensor.shape.reduce((product, dim) => product * dim, 1);
  if (count !== tensor.data.length) {
    throw new Error(`${what}: shape [${tensor.shape.join(', ')}] holds ${count} values but data has ${tensor.data.length}`);
  }
}
