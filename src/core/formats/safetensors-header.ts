/**
 * Parsing and validation of a safetensors header: an 8-byte little-endian u64 length N, N bytes of JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}`, then the data
 * section. Offsets are relative to the data section. Nothing here trusts the header: every length is
 * checked against the actual byte count before it is used.
 */

/** Bytes per element of every dtype the format defines (so a file's layout can be validated even when
 *  one of its tensors has a dtype we cannot decode). */
export const DTYPE_BYTES = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8,
} as const;

export type SafetensorsDtype = keyof typeof DTYPE_BYTES;

export interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Byte range within the data section, end exclusive. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  metadata: Record<string, string>;
  /** In header order. */
  entries: Map<string, TensorEntry>;
  /** Absolute byte offset of the data section in the file. */
  dataStart: number;
}

export const METADATA_KEY = '__metadata__';
const LENGTH_PREFIX_BYTES = 8;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(DTYPE_BYTES, value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Parses and validates the header of `bytes`, a whole safetensors file; `fileName` is for messages. */
export function parseSafetensorsHeader(bytes: Uint8Array, fileName: string): SafetensorsHeader {
  const fail = (problem: string): never => {
    throw new Error(`${fileName}: ${problem}`);
  };
  if (bytes.length < LENGTH_PREFIX_BYTES) {
    fail(`${bytes.length} bytes is too short for a safetensors file (needs an 8-byte header length)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthLow = view.getUint32(0, true);
  const lengthHigh = view.getUint32(4, true);
  const available = bytes.length - LENGTH_PREFIX_BYTES;
  if (lengthHigh !== 0 || lengthLow > available) {
    const claimed = BigInt(lengthHigh) * 2n ** 32n + BigInt(lengthLow);
    fail(`header length ${claimed} is past the end of the file (${available} bytes follow the length)`);
  }
  const dataStart = LENGTH_PREFIX_BYTES + lengthLow;
  const parsed = parseSafetensorsHeaderJson(bytes.subarray(LENGTH_PREFIX_BYTES, dataStart), bytes.length - dataStart, fileName);
  return { ...parsed, dataStart };
}

/**
 * Parses and validates the JSON part of a header (the N bytes after the length). `dataLength` is the size
 * of the data section that follows, or Infinity when it is not known yet (a stream whose total size is
 * unknown: the caller must then check that every tensor's bytes actually arrive).
 */
export function parseSafetensorsHeaderJson(jsonBytes: Uint8Array, dataLength: number, fileName: string): Omit<SafetensorsHeader, 'dataStart'> {
  const fail = (problem: string): never => {
    throw new Error(`${fileName}: ${problem}`);
  };
  let json: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(jsonBytes);
    json = JSON.parse(text);
  } catch (error) {
    fail(`header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (!isPlainObject(json)) fail('header JSON is not an object');
  const header = json as Record<string, unknown>;

  const metadata: Record<string, string> = {};
  const entries = new Map<string, TensorEntry>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      if (!isPlainObject(raw)) fail(`${METADATA_KEY} is not an object`);
      for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value !== 'string') fail(`${METADATA_KEY}["${key}"] is not a string`);
        metadata[key] = value as string;
      }
      continue;
    }
    entries.set(name, parseEntry(name, raw, dataLength, (problem) => fail(`tensor "${name}": ${problem}`)));
  }
  checkNoOverlap([...entries.values()], fail);
  return { metadata, entries };
}

function parseEntry(name: string, raw: unknown, dataLength: number, fail: (problem: string) => never): TensorEntry {
  if (!isPlainObject(raw)) fail('entry is not an object');
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (!isDtype(dtype)) fail(`unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_BYTES).join(', ')})`);
  if (!Array.isArray(shape)) fail(`shape ${JSON.stringify(shape)} is not an array`);
  const badDim = (shape as unknown[]).find((dim) => !isCount(dim));
  if (badDim !== undefined) fail(`shape [${(shape as unknown[]).join(', ')}] has dimension ${badDim}, not a non-negative integer`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(`data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLength) fail(`data_offsets [${begin}, ${end}] run out of bounds of the ${dataLength}-byte data section`);
  const dims = shape as number[];
  // Doubles stay exact up to 2^53 and any product past that is far larger than the span anyway.
  const byteCount = dims.reduce((product, dim) => product * dim, 1) * DTYPE_BYTES[dtype as SafetensorsDtype];
  if (byteCount !== end - begin) {
    fail(`shape [${dims.join(', ')}] of ${dtype} needs ${byteCount} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: dims, begin, end };
}

function checkNoOverlap(entries: TensorEntry[], fail: (problem: string) => never): void {
  const nonEmpty = entries.filter((entry) => entry.end > entry.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < nonEmpty.length; i++) {
    const [previous, current] = [nonEmpty[i - 1], nonEmpty[i]];
    if (current.begin < previous.end) {
      fail(`tensors "${previous.name}" [${previous.begin}, ${previous.end}] and "${current.name}" [${current.begin}, ${current.end}] have overlapping data_offsets`);
    }
  }
}
