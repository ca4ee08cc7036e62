/**
 * Turns the activation bytes of one file, arriving in arbitrary slices, into float32 rows: a row split
 * across two chunks is reassembled in a one-row buffer, whole rows are decoded straight from the chunk.
 * Every row is checked for NaN and ±Infinity, so a bad value is reported wherever the sample lands.
 */
import { f16BitsToF32 } from '../formats/float16';

export type RowDtype = 'F16' | 'F32' | 'F64';
export const ROW_DTYPE_BYTES: Record<RowDtype, number> = { F16: 2, F32: 4, F64: 8 };

/** All 65,536 half-precision values (256 kB, built on first use): the per-element decode becomes a lookup. */
let f16Table: Float32Array | null = null;
function halfTable(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) f16Table[bits] = f16BitsToF32(bits);
  }
  return f16Table;
}

type RowDecoder = (view: DataView, offset: number, out: Float32Array) => void;

function rowDecoder(dtype: RowDtype): RowDecoder {
  switch (dtype) {
    case 'F16': {
      const table = halfTable();
      return (view, offset, out) => {
        for (let i = 0; i < out.length; i++) out[i] = table[view.getUint16(offset + 2 * i, true)];
      };
    }
    case 'F32':
      return (view, offset, out) => {
        for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(offset + 4 * i, true);
      };
    case 'F64':
      return (view, offset, out) => {
        for (let i = 0; i < out.length; i++) {
          const value = view.getFloat64(offset + 8 * i, true);
          out[i] = value;
          if (Number.isFinite(value) && !Number.isFinite(out[i])) throw new RangeError(`${value} at column ${i}, beyond float32's range`);
        }
      };
  }
}

export class RowAssembler {
  /** The row being handed to `onRow`; overwritten by the next one. */
  private readonly row: Float32Array;
  private readonly rowBytes: number;
  private readonly partial: Uint8Array;
  private readonly partialView: DataView;
  private partialLength = 0;
  private readonly decode: RowDecoder;
  /** Rows completed so far in this file. */
  rows = 0;

  constructor(
    dModel: number,
    dtype: RowDtype,
    private readonly fileName: string,
    private readonly onRow: (rowInFile: number, row: Float32Array) => void,
  ) {
    this.row = new Float32Array(dModel);
    this.rowBytes = dModel * ROW_DTYPE_BYTES[dtype];
    this.partial = new Uint8Array(this.rowBytes);
    this.partialView = new DataView(this.partial.buffer);
    this.decode = rowDecoder(dtype);
  }

  /** The next bytes of the activation matrix, in order. */
  push(bytes: Uint8Array): void {
    let at = 0;
    if (this.partialLength > 0) {
      const take = Math.min(this.rowBytes - this.partialLength, bytes.length);
      this.partial.set(bytes.subarray(0, take), this.partialLength);
      this.partialLength += take;
      at = take;
      if (this.partialLength < this.rowBytes) return;
      this.emit(this.partialView, 0);
      this.partialLength = 0;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (; at + this.rowBytes <= bytes.length; at += this.rowBytes) this.emit(view, at);
    this.partial.set(bytes.subarray(at), 0);
    this.partialLength = bytes.length - at;
  }

  private emit(view: DataView, offset: number): void {
    try {
      this.decode(view, offset, this.row);
    } catch (error) {
      throw new Error(`${this.fileName}: row ${this.rows} has ${(error as Error).message}`);
    }
    for (let i = 0; i < this.row.length; i++) {
      const value = this.row[i];
      // value - value is NaN exactly for NaN and ±Infinity: one branch per element on the hot path.
      if (value - value !== 0) throw new Error(`${this.fileName}: row ${this.rows} has ${value} at column ${i}`);
    }
    this.onRow(this.rows++, this.row);
  }
}

/** Copies of byte slices, joined at the end: small tensors (tokens, positions) arriving in pieces. */
export class ByteCollector {
  private readonly pieces: Uint8Array[] = [];
  length = 0;

  push(bytes: Uint8Array): void {
    this.pieces.push(bytes.slice());
    this.length += bytes.length;
  }

  /** The collected bytes as little-endian int32 values. */
  int32(): Int32Array {
    const joined = new Uint8Array(this.length);
    let offset = 0;
    for (const piece of this.pieces) {
      joined.set(piece, offset);
      offset += piece.length;
    }
    const view = new DataView(joined.buffer);
    const out = new Int32Array(this.length >> 2);
    for (let i = 0; i < out.length; i++) out[i] = view.getInt32(4 * i, true);
    return out;
  }
}
