/**
 * NumPy `.npy` files holding one 2-D float matrix in C order: `np.save("acts.npy", acts)` with acts of
 * dtype float16, float32 or float64. Format versions 1.0, 2.0 and 3.0 are read:
 *
 *   "\x93NUMPY" major minor | header length (u16 LE in 1.0, u32 LE in 2.0/3.0) | header | data
 *
 * The header is a Python dict literal, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`,
 * padded with spaces and a newline (latin-1 in 1.0/2.0, UTF-8 in 3.0). Nothing here trusts it: the header
 * length, the shape and the data size are checked against the bytes (or the file size) before any use, and
 * nothing is allocated on the header's word alone.
 */
import { f16BitsToF32, f32ToF16Bits } from './float16';

/** Little-endian float dtypes; NumPy writes '<' on every little-endian machine. */
export const NPY_DTYPE_BYTES = { '<f2': 2, '<f4': 4, '<f8': 8 } as const;
export type NpyDtype = keyof typeof NPY_DTYPE_BYTES;

const MAGIC = [0x93, ...new TextEncoder().encode('NUMPY')];
/** Magic and version: the bytes needed to tell an .npy file from anything else. */
export const NPY_SIGNATURE_BYTES = 8;
/** NumPy itself refuses headers over 10,000 bytes by default; a few kB is plenty for a plain array. */
const MAX_HEADER_BYTES = 65536;

export interface NpyHeader {
  version: '1.0' | '2.0' | '3.0';
  dtype: NpyDtype;
  /** [rows, columns]. */
  shape: [number, number];
  /** Byte offset of the data: magic, version, length field and header. */
  dataStart: number;
  /** rows · columns · bytes per value. */
  dataBytes: number;
}

/** Whether `bytes` (the first bytes of a file, at least 6) start with the .npy magic string. */
export function isNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((byte, i) => bytes[i] === byte);
}

/**
 * Length of the whole preamble (magic, version, length field, header) read from the first bytes of the
 * file, or the number of bytes needed first when `bytes` is too short to say (10 or 12).
 * `fileSize`, when known, rejects a header length past the end of the file.
 */
export function npyPreambleLength(bytes: Uint8Array, fileName: string, fileSize?: number): { preamble: number } | { need: number } {
  if (bytes.length < NPY_SIGNATURE_BYTES) return { need: NPY_SIGNATURE_BYTES };
  if (!isNpy(bytes)) throw new Error(`${fileName}: not an .npy file (no \\x93NUMPY magic string)`);
  const { lengthBytes } = versionOf(bytes, fileName);
  const fieldEnd = NPY_SIGNATURE_BYTES + lengthBytes;
  if (bytes.length < fieldEnd) return { need: fieldEnd };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = lengthBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  const preamble = fieldEnd + headerLength;
  if (fileSize !== undefined && preamble > fileSize) {
    throw new Error(`${fileName}: .npy header length ${headerLength} is past the end of the file (${fileSize - fieldEnd} bytes follow the length)`);
  }
  if (headerLength > MAX_HEADER_BYTES) throw new Error(`${fileName}: .npy header length ${headerLength} is implausible (over ${MAX_HEADER_BYTES} bytes)`);
  return { preamble };
}

function versionOf(bytes: Uint8Array, fileName: string): { version: NpyHeader['version']; lengthBytes: 2 | 4; encoding: string } {
  const [major, minor] = [bytes[6], bytes[7]];
  if (minor === 0 && major === 1) return { version: '1.0', lengthBytes: 2, encoding: 'latin1' };
  if (minor === 0 && major === 2) return { version: '2.0', lengthBytes: 4, encoding: 'latin1' };
  if (minor === 0 && major === 3) return { version: '3.0', lengthBytes: 4, encoding: 'utf-8' };
  throw new Error(`${fileName}: .npy format version ${major}.${minor} is not supported (1.0, 2.0, 3.0 are)`);
}

/**
 * Parses and validates the preamble (`bytes` holds at least the whole preamble; more is ignored).
 * `fileSize`, when known, must equal the preamble plus the data exactly: short is a truncated file, long
 * means the header does not describe the file.
 */
export function parseNpyHeader(bytes: Uint8Array, fileName: string, fileSize?: number): NpyHeader {
  const fail = (problem: string): never => {
    throw new Error(`${fileName}: ${problem}`);
  };
  const length = npyPreambleLength(bytes, fileName, fileSize);
  if (!('preamble' in length) || bytes.length < length.preamble) return fail(`truncated inside the .npy header (${bytes.length} bytes)`);
  const { version, lengthBytes, encoding } = versionOf(bytes, fileName);
  const dataStart = length.preamble;
  let text = '';
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(NPY_SIGNATURE_BYTES + lengthBytes, dataStart));
  } catch {
    fail(`.npy header is not valid ${encoding}`);
  }
  const fields = parseHeaderDict(text, (problem) => fail(`.npy header ${problem}`));

  const { descr, fortran_order: fortranOrder, shape } = fields;
  if (typeof descr !== 'string') return fail(`.npy "descr" ${JSON.stringify(descr)} is not a dtype string`);
  if (!Object.hasOwn(NPY_DTYPE_BYTES, descr)) {
    const hint = descr.startsWith('>') ? ' (big-endian: convert with arr.astype("<f4"))' : '';
    fail(`.npy dtype '${descr}' is not supported; expected little-endian float16, float32 or float64 ('<f2', '<f4', '<f8')${hint}`);
  }
  if (fortranOrder !== false) fail(`.npy array is in Fortran order; save a C-ordered array (np.ascontiguousarray)`);
  if (!Array.isArray(shape) || shape.length !== 2) {
    fail(`.npy shape (${Array.isArray(shape) ? shape.join(', ') : shape}) is not 2-D [rows, d_model]`);
  }
  const [rows, columns] = shape as number[];
  const dtype = descr as NpyDtype;
  const dataBytes = rows * columns * NPY_DTYPE_BYTES[dtype];
  if (!Number.isSafeInteger(dataBytes)) fail(`.npy shape (${rows}, ${columns}) is implausibly large`);
  if (fileSize !== undefined && dataStart + dataBytes !== fileSize) {
    const what = dataStart + dataBytes > fileSize ? 'truncated' : 'longer than its header says';
    fail(`${what}: shape (${rows}, ${columns}) of '${dtype}' needs ${dataBytes} data bytes, the file has ${fileSize - dataStart}`);
  }
  return { version, dtype, shape: [rows, columns], dataStart, dataBytes };
}

type HeaderValue = string | boolean | number[];

/** The header dict: exactly the keys descr, fortran_order and shape, as np.save writes them. */
function parseHeaderDict(text: string, fail: (problem: string) => never): Record<string, HeaderValue> {
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && ' \t\r\n'.includes(text[at])) at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (text[at] !== char) fail(`expected '${char}' at character ${at}, found ${JSON.stringify(text[at] ?? 'the end')}`);
    at++;
  };
  const peek = () => {
    skipSpace();
    return text[at];
  };
  const string = (): string => {
    const quote = peek();
    if (quote !== "'" && quote !== '"') fail(`expected a quoted string at character ${at}`);
    const end = text.indexOf(quote, at + 1);
    if (end < 0) fail('has an unterminated string');
    const value = text.slice(at + 1, end);
    if (value.includes('\\')) fail('has an escaped string, which no float dtype needs');
    at = end + 1;
    return value;
  };
  const integer = (): number => {
    const match = /^\d+L?/.exec(text.slice(at, at + 24)); // Python 2 wrote longs as 3L
    if (!match) fail(`expected a dimension at character ${at}`);
    at += match![0].length;
    const value = Number(match![0].replace('L', ''));
    if (!Number.isSafeInteger(value)) fail(`dimension ${match![0]} is implausibly large`);
    return value;
  };
  const tuple = (): number[] => {
    expect('(');
    const dims: number[] = [];
    while (peek() !== ')') {
      dims.push(integer());
      if (peek() === ',') at++;
      else if (peek() !== ')') fail(`expected ',' or ')' in the shape at character ${at}`);
    }
    at++;
    return dims;
  };
  const value = (): HeaderValue => {
    const next = peek();
    if (next === '(') return tuple();
    if (next === "'" || next === '"') return string();
    for (const [word, result] of [['True', true], ['False', false]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return result;
      }
    }
    return fail(`has an unexpected value at character ${at}`);
  };

  const fields: Record<string, HeaderValue> = {};
  expect('{');
  while (peek() !== '}') {
    const key = string();
    if (!['descr', 'fortran_order', 'shape'].includes(key)) fail(`has an unexpected key '${key}'`);
    if (Object.hasOwn(fields, key)) fail(`repeats the key '${key}'`);
    expect(':');
    fields[key] = value();
    if (peek() === ',') at++;
    else if (peek() !== '}') fail(`expected ',' or '}' at character ${at}`);
  }
  at++;
  skipSpace();
  if (at !== text.length) fail(`has extra characters after the dict at character ${at}`);
  for (const key of ['descr', 'fortran_order', 'shape']) if (!Object.hasOwn(fields, key)) fail(`lacks the key '${key}'`);
  return fields;
}

export interface NpyMatrix {
  dtype: NpyDtype;
  shape: [number, number];
  /** Row-major; float64 values are rounded to float32. */
  data: Float32Array;
}

/** Reads a whole .npy file held in memory. */
export function readNpy(bytes: Uint8Array, fileName: string): NpyMatrix {
  const header = parseNpyHeader(bytes, fileName, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataStart, header.dataBytes);
  const data = new Float32Array(header.shape[0] * header.shape[1]);
  for (let i = 0; i < data.length; i++) {
    if (header.dtype === '<f2') data[i] = f16BitsToF32(view.getUint16(2 * i, true));
    else if (header.dtype === '<f4') data[i] = view.getFloat32(4 * i, true);
    else data[i] = view.getFloat64(8 * i, true);
  }
  return { dtype: header.dtype, shape: header.shape, data };
}

export interface WriteNpyOptions {
  dtype?: NpyDtype;
  /** Format version; NumPy writes 1.0 unless the header needs more than 65535 bytes. */
  version?: 1 | 2 | 3;
}

/** Writes a 2-D matrix as np.save would: header padded with spaces and a newline so the data starts at a
 *  multiple of 64 bytes. */
export function writeNpy(data: ArrayLike<number>, shape: readonly [number, number], options: WriteNpyOptions = {}): Uint8Array {
  const { dtype = '<f4', version = 1 } = options;
  const [rows, columns] = shape;
  if (rows * columns !== data.length) throw new Error(`writeNpy: shape (${rows}, ${columns}) holds ${rows * columns} values but data has ${data.length}`);
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${rows}, ${columns}), }`;
  const fieldEnd = NPY_SIGNATURE_BYTES + (version === 1 ? 2 : 4);
  const headerLength = Math.ceil((fieldEnd + dict.length + 1) / 64) * 64 - fieldEnd;
  const header = new TextEncoder().encode(dict.padEnd(headerLength - 1, ' ') + '\n');
  const itemBytes = NPY_DTYPE_BYTES[dtype];
  const out = new Uint8Array(fieldEnd + headerLength + data.length * itemBytes);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out.set([version, 0], 6);
  if (version === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  out.set(header, fieldEnd);
  const start = fieldEnd + headerLength;
  for (let i = 0; i < data.length; i++) {
    if (dtype === '<f2') view.setUint16(start + 2 * i, f32ToF16Bits(data[i]), true);
    else if (dtype === '<f4') view.setFloat32(start + 4 * i, data[i], true);
    else view.setFloat64(start + 8 * i, data[i], true);
  }
  return out;
}
