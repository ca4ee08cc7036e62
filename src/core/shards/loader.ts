/**
 * Loads activation shards by streaming them one after another, keeping at most `rowBudget(d_model,
 * maxBytes)` rows: a seeded uniform sample when the shards hold more. Peak memory is the kept rows and
 * their labels, one stream chunk, and one shard's tokens, positions and document labels (12 bytes a row).
 *
 * Every file is checked against the manifest (or, without one, against the first file): layout, token
 * count, SHA-256, finite values. Any fault throws one Error naming the file and the fault; nothing partial
 * is returned, so a caller keeps whatever it had loaded before.
 */
import type { StreamingHash } from './hash';
import { readShardFile, type FileLayout } from './shard-file';
import type { ShardInput } from './input';
import { MANIFEST_FILE, type ShardManifest } from './manifest';
import { RowReservoir } from './reservoir';
import type { RowDtype } from './rows';

export { CONTEXT_WINDOW } from './reservoir';

/** Default memory for kept rows: 256 MiB, e.g. 131,072 rows of Pythia-70M's 512-wide residual stream. */
export const DEFAULT_MAX_BYTES = 256 * 2 ** 20;

/** How many float32 rows of width d_model fit in `maxBytes` (labels come on top: token, position, document label, context window and sample bookkeeping, 84 bytes a row). */
export function rowBudget(dModel: number, maxBytes: number = DEFAULT_MAX_BYTES): number {
  return Math.floor(maxBytes / (4 * dModel));
}

export interface LoadProgress {
  file: string;
  fileIndex: number;
  files: number;
  /** Bytes read of this file. */
  bytesDone: number;
  /** This file's size, when known. */
  bytesTotal?: number;
  rowsSeen: number;
  rowsKept: number;
}

export interface LoadShardsOptions {
  maxBytes?: number;
  /** Seed of the reservoir sample (used only when the shards hold more rows than fit). */
  seed?: number;
  /** Called once per stream chunk. */
  onProgress?: (progress: LoadProgress) => void;
  signal?: AbortSignal;
  /**
   * The SHA-256 behind the manifest's checksums. The pure-JavaScript default is most of a load's time
   * (BENCHMARKS.md): Node passes its native one.
   */
  createHash?: () => StreamingHash;
}

export interface LoadedActivations {
  d_model: number;
  count: number;
  /** [count · d_model] row-major float32. In stream order unless sampled. */
  rows: Float32Array;
  /** [count] token ids; -1 where the file stored none (.npy). */
  tokens: Int32Array;
  /** [count] position of each row's token in its context; -1 where unknown. */
  positions: Int32Array;
  /** [count · CONTEXT_WINDOW] the tokens before each row in its context, oldest first, -1 padded. */
  contexts: Int32Array;
  /** [count] each row's label (its document's), an index into `labelNames`; -1 where none. */
  labels: Int32Array;
  /** The labels' names: the manifest's list, else every shard's names in order of first appearance; empty without labels. */
  labelNames: string[];
  /** Rows in all the shards (the sample's population). */
  totalTokens: number;
  /** Whether `rows` is a sample of more rows than fit in maxBytes. */
  sampled: boolean;
  model: string | null;
  hook: string | null;
  dtype: RowDtype;
  synthetic: boolean;
  note: string | null;
  /** Names of the files read, in order. */
  files: string[];
}

/** What every file must agree with: the manifest's values, or the first file's. */
interface Expected {
  source: string;
  dModel: number;
  dtype: RowDtype;
  hook: string | null;
  model: string | null;
}

export async function loadActivationShards(source: { manifest?: ShardManifest; inputs: readonly ShardInput[] }, options: LoadShardsOptions = {}): Promise<LoadedActivations> {
  const { manifest } = source;
  const { maxBytes = DEFAULT_MAX_BYTES, seed = 0, onProgress, signal } = options;
  if (!(maxBytes > 0)) throw new Error(`loadActivationShards: maxBytes must be positive (got ${maxBytes})`);
  const inputs = orderInputs(source.inputs, manifest);
  // Set by the manifest, or by the first file's header; the reservoir once d_model is known.
  const state: { expected: Expected | null; reservoir: RowReservoir | null } = {
    expected: manifest ? { source: MANIFEST_FILE, dModel: manifest.d_model, dtype: manifest.dtype, hook: manifest.hook, model: manifest.model } : null,
    reservoir: null,
  };
  const labelNames = new LabelNames(manifest?.labels);

  for (const [fileIndex, input] of inputs.entries()) {
    signal?.throwIfAborted();
    const firstRow = state.reservoir?.seen ?? 0;
    let bytesDone = 0;
    const checkLayout = (layout: FileLayout) => {
      if (!state.expected) {
        state.expected = { source: input.name, dModel: layout.dModel, dtype: layout.dtype, hook: layout.metadata.hook ?? null, model: layout.metadata.model ?? null };
      }
      checkAgainst(state.expected, layout, input.name);
      const listed = manifest?.shards[fileIndex].tokens;
      if (listed !== undefined && listed !== layout.rows) throw new Error(`${input.name}: holds ${layout.rows} tokens, ${MANIFEST_FILE} says ${listed}`);
      state.reservoir ??= new RowReservoir(layout.dModel, checkedBudget(layout.dModel, maxBytes), seed);
    };
    try {
      const file = await readShardFile(input, {
        ...(options.createHash ? { createHash: options.createHash } : {}),
        checkLayout,
        onRow: (row) => state.reservoir!.offer(row),
        onChunk: (chunk) => {
          signal?.throwIfAborted();
          bytesDone += chunk.length;
          onProgress?.({ file: input.name, fileIndex, files: inputs.length, bytesDone, bytesTotal: input.size, rowsSeen: state.reservoir?.seen ?? firstRow, rowsKept: state.reservoir?.count ?? 0 });
        },
      });
      if (manifest) checkAgainstManifest(manifest, fileIndex, file.sha256, file.positions, input.name);
      const labels = file.labels && labelNames.toShared(file.labels, file.layout.labelNames!, input.name);
      state.reservoir!.finishFile(firstRow, file.tokens, file.positions, labels);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw named(error, input.name);
    }
  }

  // Every file was read, so the first one set `expected` and created the reservoir.
  const expected = state.expected!;
  const sample = state.reservoir!.contents();
  return {
    d_model: expected.dModel,
    count: sample.count,
    rows: sample.rows,
    tokens: sample.tokens,
    positions: sample.positions,
    contexts: sample.contexts,
    labels: sample.labels,
    labelNames: labelNames.names,
    totalTokens: sample.seen,
    sampled: sample.seen > sample.count,
    model: expected.model,
    hook: expected.hook,
    dtype: expected.dtype,
    synthetic: manifest?.synthetic ?? false,
    note: manifest?.note ?? null,
    files: inputs.map((input) => input.name),
  };
}

/** The inputs in stream order: the manifest's order, every listed shard present and nothing else. */
function orderInputs(inputs: readonly ShardInput[], manifest: ShardManifest | undefined): ShardInput[] {
  const byName = new Map<string, ShardInput>();
  for (const input of inputs) {
    const name = baseName(input.name);
    if (byName.has(name)) throw new Error(`${input.name}: supplied twice`);
    byName.set(name, input);
  }
  if (!manifest) {
    if (inputs.length === 0) throw new Error('loadActivationShards: no shard files were supplied');
    return [...inputs];
  }
  const listed = new Set(manifest.shards.map((shard) => shard.file));
  const unlisted = [...byName.keys()].find((name) => !listed.has(name));
  if (unlisted !== undefined) throw new Error(`${unlisted}: not listed in ${MANIFEST_FILE} (it lists ${manifest.shards.length} shards)`);
  return manifest.shards.map((shard) => {
    const input = byName.get(shard.file);
    if (!input) throw new Error(`${MANIFEST_FILE} lists shard "${shard.file}", which was not supplied`);
    return input;
  });
}

function checkAgainst(expected: Expected, layout: FileLayout, name: string): void {
  const against = expected.source === MANIFEST_FILE ? `${MANIFEST_FILE} says` : `the first file, ${expected.source}, has`;
  const format = layout.format === 'npy' ? ' (.npy)' : '';
  if (layout.dModel !== expected.dModel) throw new Error(`${name}${format}: d_model ${layout.dModel}, but ${against} ${expected.dModel}`);
  if (layout.dtype !== expected.dtype) throw new Error(`${name}${format}: dtype ${layout.dtype}, but ${against} ${expected.dtype}`);
  // Shards of different hooks or models mixed up would train one SAE on two different streams.
  const { hook, model } = layout.metadata;
  if (hook !== undefined && expected.hook !== null && hook !== expected.hook) throw new Error(`${name}: activations of ${hook}, but ${against} ${expected.hook}`);
  if (model !== undefined && expected.model !== null && model !== expected.model) throw new Error(`${name}: activations of model ${model}, but ${against} ${expected.model}`);
}

function checkAgainstManifest(manifest: ShardManifest, fileIndex: number, sha256: string, positions: Int32Array | null, name: string): void {
  const listed = manifest.shards[fileIndex].sha256;
  if (sha256 !== listed) throw new Error(`${name}: SHA-256 ${sha256} does not match ${MANIFEST_FILE}'s ${listed} (corrupt, or from another export)`);
  const bad = positions?.findIndex((position) => position >= manifest.context) ?? -1;
  if (bad >= 0) throw new Error(`${name}: position ${positions![bad]} at row ${bad} is outside the context of ${manifest.context} tokens`);
}

/** One list of label names for all the shards: each shard's own indices are mapped into it. */
class LabelNames {
  readonly names: string[];
  private readonly index = new Map<string, number>();

  /** `fixed`: the manifest's list, which every shard's names must come from. */
  constructor(private readonly fixed: readonly string[] | undefined) {
    this.names = [...(fixed ?? [])];
    this.names.forEach((name, i) => this.index.set(name, i));
  }

  /** The file's labels as indices into `names` (-1 stays -1); a new array. */
  toShared(labels: Int32Array, fileNames: readonly string[], file: string): Int32Array {
    const map = fileNames.map((name) => {
      let shared = this.index.get(name);
      if (shared === undefined) {
        if (this.fixed) throw new Error(`${file}: __metadata__ "labels" names "${name}", which ${MANIFEST_FILE}'s "labels" does not list`);
        shared = this.names.push(name) - 1;
        this.index.set(name, shared);
      }
      return shared;
    });
    return labels.map((label) => (label < 0 ? -1 : map[label]));
  }
}

function checkedBudget(dModel: number, maxBytes: number): number {
  const rows = rowBudget(dModel, maxBytes);
  if (rows < 1) throw new Error(`maxBytes ${maxBytes} cannot hold one row of d_model ${dModel} (${4 * dModel} bytes)`);
  return rows;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** The error as is when it names the file already, else with the file name in front. */
function named(error: unknown, name: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith(name)) return error as Error;
  return new Error(`${name}: ${message}`, { cause: error });
}
