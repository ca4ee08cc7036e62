/**
 * Minimal safetensors writing and parsing done by hand with DataView and TextDecoder, independent of the
 * code under test, so tests can check the real reader and writer against the format itself.
 */

/** Length prefix + header text + data, exactly as given (no padding, no validation). */
export function handWritten(headerText: string, data: Uint8Array = new Uint8Array(), declaredLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

export function bytesOf(length: number, write: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(length);
  write(new DataView(bytes.buffer));
  return bytes;
}

export interface HandTensor {
  dtype: 'F32' | 'BF16';
  shape: number[];
  values: ArrayLike<number>;
}

/** A well-formed file from F32 or BF16 tensors (BF16 values must be exactly representable: top 16 bits). */
export function handFile(tensors: Record<string, HandTensor>): Uint8Array {
  const header: Record<string, unknown> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, { dtype, shape, values }] of Object.entries(tensors)) {
    const size = dtype === 'F32' ? 4 : 2;
    const chunk = bytesOf(values.length * size, (view) => {
      for (let i = 0; i < values.length; i++) {
        if (dtype === 'F32') view.setFloat32(4 * i, values[i], true);
        else view.setUint16(2 * i, f32Bits(values[i]) >>> 16, true);
      }
    });
    header[name] = { dtype, shape, data_offsets: [offset, offset + chunk.length] };
    chunks.push(chunk);
    offset += chunk.length;
  }
  const data = new Uint8Array(offset);
  chunks.reduce((at, chunk) => (data.set(chunk, at), at + chunk.length), 0);
  return handWritten(JSON.stringify(header), data);
}

function f32Bits(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return view.getUint32(0);
}

export interface HandParsed {
  header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  metadata: unknown;
  /** The raw bytes of one tensor. */
  bytes(name: string): DataView;
}

export function handParse(file: Uint8Array): HandParsed {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const { __metadata__: metadata, ...header } = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength)));
  const dataStart = 8 + headerLength;
  return {
    header,
    metadata,
    bytes: (name) => {
      const [begin, end] = header[name].data_offsets;
      return new DataView(file.buffer, file.byteOffset + dataStart + begin, end - begin);
    },
  };
}
