/**
 * Streams one shard file — safetensors (`activations` [n, d_model] F16/F32, optional `tokens` and
 * `positions` [n] I32, optional `labels` [n] I32 indexing the JSON string list in `__metadata__.labels`
 * (-1: none), any order in the data section) or a 2-D float `.npy` — parsing its header from the
 * first bytes and handing every activation row on as it is decoded. The whole file is hashed on the way.
 */
import { isNpy, npyPreambleLength, NPY_SIGNATURE_BYTES, parseNpyHeader, type NpyDtype } from '../formats/npy';
import { parseSafetensorsHeaderJson } from '../formats/safetensors-header';
import { ByteCursor } from './byte-cursor';
import { createSha256, type StreamingHash } from './hash';
import type { ShardInput } from './input';
import { MAX_D_MODEL } from './manifest';
import { ByteCollector, RowAssembler, type RowDtype } from './rows';

export const SHARD_TENSORS = { activations: 'activations', tokens: 'tokens', positions: 'positions', labels: 'labels' } as const;
/** The `__metadata__` key holding a labelled shard's label names, a JSON list of strings (metadata values are strings). */
export const LABELS_METADATA_KEY = 'labels';
/** Row label meaning "no label". */
export const NO_LABEL = -1;
const SHARD_TENSOR_NAMES = Object.fromEntries(Object.values(SHARD_TENSORS).map((name) => [name, true]));
/** The safetensors format caps its JSON header at 100 MB. */
const MAX_SAFETENSORS_HEADER = 100_000_000;

export interface FileLayout {
  format: 'safetensors' | 'npy';
  rows: number;
  dModel: number;
  dtype: RowDtype;
  /** Whether the file stores tokens and positions (safetensors shards do; .npy files cannot). */
  hasTokens: boolean;
  /** The safetensors `__metadata__` (e.g. hook, model); empty for .npy. */
  metadata: Record<string, string>;
  /** The names the `labels` tensor indexes (from `__metadata__.labels`); null when the file has no labels. */
  labelNames: string[] | null;
}

export interface ShardFileHandlers {
  /** Sees the layout before any data is read; throws to refuse the file. */
  checkLayout(layout: FileLayout): void;
  /** Each activation row in file order; the array is reused for the next row. */
  onRow(row: Float32Array): void;
  /** Each raw chunk as it arrives (progress, cancellation). */
  onChunk(chunk: Uint8Array): void;
  /** The SHA-256 to check the file with (default: the pure-JavaScript one). */
  createHash?: () => StreamingHash;
}

export interface ShardFileResult {
  layout: FileLayout;
  /** One entry per row, or null when the file has none. */
  tokens: Int32Array | null;
  positions: Int32Array | null;
  /** One entry per row, an index into `layout.labelNames` or -1; null when the file has no labels. */
  labels: Int32Array | null;
  sha256: string;
}

/** Byte range within the data section, end exclusive. */
interface Range {
  begin: number;
  end: number;
}

interface ParsedHeader {
  layout: FileLayout;
  /** Data bytes the header accounts for; the file must hold exactly these after the header. */
  needed: number;
  ranges: { activations: Range; tokens?: Range; positions?: Range; labels?: Range };
}

export async function readShardFile(input: ShardInput, handlers: ShardFileHandlers): Promise<ShardFileResult> {
  const { name } = input;
  const fail = (problem: string): never => {
    throw new Error(`${name}: ${problem}`);
  };
  const reader = input.stream().getReader();
  const hash = (handlers.createHash ?? createSha256)();
  const cursor = new ByteCursor(reader, (chunk) => {
    hash.update(chunk);
    handlers.onChunk(chunk);
  });
  try {
    const first = await cursor.read(NPY_SIGNATURE_BYTES);
    if (first.length < NPY_SIGNATURE_BYTES) fail(`${first.length} bytes is too short for a safetensors or .npy file (truncated?)`);
    const header = isNpy(first) ? await npyHeader(first, cursor, input) : await safetensorsHeader(first, cursor, input);
    const { layout } = header;
    handlers.checkLayout(layout);

    const assembler = new RowAssembler(layout.dModel, layout.dtype, name, (_, row) => handlers.onRow(row));
    const tokens = new ByteCollector();
    const positions = new ByteCollector();
    const labels = new ByteCollector();
    const { ranges } = header;
    const targets: (Range & { push(bytes: Uint8Array): void })[] = [{ ...ranges.activations, push: (bytes) => assembler.push(bytes) }];
    if (ranges.tokens && ranges.positions) targets.push({ ...ranges.tokens, push: (bytes) => tokens.push(bytes) }, { ...ranges.positions, push: (bytes) => positions.push(bytes) });
    if (ranges.labels) targets.push({ ...ranges.labels, push: (bytes) => labels.push(bytes) });

    let received = 0;
    for await (const chunk of cursor.rest()) {
      const start = received;
      received += chunk.length;
      for (const target of targets) {
        const from = Math.max(start, target.begin);
        const to = Math.min(received, target.end);
        if (from < to) target.push(chunk.subarray(from - start, to - start));
      }
    }
    if (received < header.needed) fail(`truncated: its data section has ${received} bytes, the header describes ${header.needed}`);
    if (received > header.needed) fail(`longer than its header says: its data section has ${received} bytes, the header describes ${header.needed}`);
    return {
      layout,
      tokens: layout.hasTokens ? nonNegative(tokens.int32(), 'tokens', fail) : null,
      positions: layout.hasTokens ? nonNegative(positions.int32(), 'positions', fail) : null,
      labels: layout.labelNames ? labelIndices(labels.int32(), layout.labelNames.length, fail) : null,
      sha256: hash.hex(),
    };
  } catch (error) {
    // Stop the source (an HTTP download, a file read) rather than let it run on unread.
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    reader.releaseLock();
  }
}

async function safetensorsHeader(first: Uint8Array, cursor: ByteCursor, input: ShardInput): Promise<ParsedHeader> {
  const { name, size } = input;
  const fail = (problem: string): never => {
    throw new Error(`${name}: ${problem}`);
  };
  const view = new DataView(first.buffer, first.byteOffset, first.byteLength);
  const [low, high] = [view.getUint32(0, true), view.getUint32(4, true)];
  const length = high * 2 ** 32 + low;
  if (length > MAX_SAFETENSORS_HEADER) fail(`not a safetensors or .npy file (no .npy magic, and its first 8 bytes give a safetensors header length of ${length})`);
  if (size !== undefined && 8 + length > size) fail(`header length ${length} is past the end of the file (${size - 8} bytes follow the length)`);
  const json = await cursor.read(length);
  if (json.length < length) fail(`truncated: header length ${length} is past the end of the file (only ${json.length} bytes follow the length)`);
  if (json[0] !== 0x7b) fail('not a safetensors or .npy file (no .npy magic, and no JSON header after the 8-byte length)'); // '{'

  const { metadata, entries } = parseSafetensorsHeaderJson(json, Infinity, name);
  // Only the shard's own tensors: a misspelt "tokens" would otherwise pass as a shard without tokens.
  const unknown = [...entries.keys()].find((tensor) => !Object.hasOwn(SHARD_TENSOR_NAMES, tensor));
  if (unknown !== undefined) fail(`has a tensor "${unknown}"; a shard holds only ${Object.keys(SHARD_TENSOR_NAMES).join(', ')}`);
  const activations = entries.get(SHARD_TENSORS.activations);
  if (!activations) return fail(`no "${SHARD_TENSORS.activations}" tensor (has: ${[...entries.keys()].join(', ') || 'none'})`);
  const { dtype } = activations;
  if (dtype !== 'F16' && dtype !== 'F32') return fail(`tensor "activations" has dtype ${dtype}; expected F16 or F32`);
  if (activations.shape.length !== 2) fail(`tensor "activations" has shape [${activations.shape.join(', ')}]; expected [n_tokens, d_model]`);
  const [rows, dModel] = activations.shape;
  checkDModel(dModel, fail);

  const tokens = entries.get(SHARD_TENSORS.tokens);
  const positions = entries.get(SHARD_TENSORS.positions);
  if (!tokens !== !positions) fail('has one of "tokens" and "positions" without the other; a shard stores both or neither');
  const labels = entries.get(SHARD_TENSORS.labels);
  for (const entry of [tokens, positions, labels]) {
    if (!entry) continue;
    if (entry.dtype !== 'I32' || entry.shape.length !== 1 || entry.shape[0] !== rows) {
      fail(`tensor "${entry.name}" is ${entry.dtype} [${entry.shape.join(', ')}]; expected I32 [${rows}], one per row of "activations"`);
    }
  }
  // As the safetensors specification demands (and its reference implementation checks), the tensors
  // cover the data section exactly: no holes, nothing after. A header length off by a few bytes of
  // padding would otherwise still parse, and shift every value.
  const needed = Math.max(...[...entries.values()].map((entry) => entry.end));
  const covered = [...entries.values()].reduce((sum, entry) => sum + entry.end - entry.begin, 0);
  if (covered !== needed) fail(`the tensors' data_offsets leave ${needed - covered} of the first ${needed} data bytes uncovered`);
  const dataStart = 8 + length;
  if (size !== undefined && dataStart + needed !== size) {
    fail(`${dataStart + needed > size ? 'truncated' : 'longer than its header says'}: its data section has ${size - dataStart} bytes, the header describes ${needed}`);
  }
  const labelNames = metadataLabels(metadata, fail);
  if (labels && !labelNames) fail(`has a "labels" tensor but no "${LABELS_METADATA_KEY}" list in __metadata__ to name them`);
  return {
    layout: { format: 'safetensors', rows, dModel, dtype, hasTokens: tokens !== undefined, metadata, labelNames: labels ? labelNames : null },
    needed,
    ranges: { activations, tokens, positions, labels },
  };
}

const NPY_ROW_DTYPES: Record<NpyDtype, RowDtype> = { '<f2': 'F16', '<f4': 'F32', '<f8': 'F64' };

async function npyHeader(first: Uint8Array, cursor: ByteCursor, input: ShardInput): Promise<ParsedHeader> {
  const { name, size } = input;
  let preamble = first;
  const readTo = async (target: number) => {
    const more = await cursor.read(target - preamble.length);
    const joined = new Uint8Array(preamble.length + more.length);
    joined.set(preamble);
    joined.set(more, preamble.length);
    preamble = joined;
    if (preamble.length < target) throw new Error(`${name}: truncated inside the .npy header (${preamble.length} of ${target} bytes)`);
  };
  let length = npyPreambleLength(preamble, name, size);
  while ('need' in length) {
    await readTo(length.need); // the length field
    length = npyPreambleLength(preamble, name, size);
  }
  await readTo(length.preamble);
  const header = parseNpyHeader(preamble, name, size);
  const [rows, dModel] = header.shape;
  checkDModel(dModel, (problem) => {
    throw new Error(`${name}: ${problem}`);
  });
  return {
    layout: { format: 'npy', rows, dModel, dtype: NPY_ROW_DTYPES[header.dtype], hasTokens: false, metadata: {}, labelNames: null },
    needed: header.dataBytes,
    ranges: { activations: { begin: 0, end: header.dataBytes } },
  };
}

function checkDModel(dModel: number, fail: (problem: string) => never): void {
  if (dModel < 1 || dModel > MAX_D_MODEL) fail(`d_model ${dModel} is outside 1..${MAX_D_MODEL}`);
}

function nonNegative(values: Int32Array, tensor: string, fail: (problem: string) => never): Int32Array {
  const bad = values.findIndex((value) => value < 0);
  if (bad >= 0) fail(`tensor "${tensor}" has ${values[bad]} at index ${bad}; expected non-negative values`);
  return values;
}

/** `__metadata__.labels`: a JSON list of distinct strings, or absent (null). */
function metadataLabels(metadata: Record<string, string>, fail: (problem: string) => never): string[] | null {
  const raw = metadata[LABELS_METADATA_KEY];
  if (raw === undefined) return null;
  const problem = `__metadata__ "${LABELS_METADATA_KEY}" must be a JSON list of distinct strings`;
  let names: unknown;
  try {
    names = JSON.parse(raw);
  } catch {
    return fail(`${problem} (got ${raw.slice(0, 80)})`);
  }
  if (!Array.isArray(names)) return fail(`${problem} (got ${raw.slice(0, 80)})`);
  const bad = names.findIndex((name) => typeof name !== 'string');
  if (bad >= 0) fail(`${problem}: entry ${bad} is ${JSON.stringify(names[bad])}`);
  if (new Set(names).size !== names.length) fail(`${problem}: it repeats a name`);
  return names as string[];
}

function labelIndices(values: Int32Array, names: number, fail: (problem: string) => never): Int32Array {
  const bad = values.findIndex((value) => value < NO_LABEL || value >= names);
  if (bad >= 0) fail(`tensor "labels" has ${values[bad]} at index ${bad}; expected -1 (none) or an index into the ${names} names of __metadata__ "${LABELS_METADATA_KEY}"`);
  return values;
}
