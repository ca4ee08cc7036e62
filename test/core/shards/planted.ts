/**
 * Planted activation streams for the shard tests: contexts of random tokens (bos at position 0, which is
 * not exported), one random row per exported token, and each row's expected context window computed from
 * the contexts directly, independently of the loader's position bookkeeping.
 */
import { buildManifest, encodeShard, sha256Hex, type ShardDtype, type ShardInput, type ShardManifest } from '../../../src/core/shards';
import { bytesShardInput } from '../../../src/core/shards';
import { Rng } from '../../../src/core/rng';

export const WINDOW = 16;

export interface PlantedStream {
  d: number;
  n: number;
  /** [n · d]; row i's first value is i, so a row identifies itself. */
  rows: Float32Array;
  tokens: Int32Array;
  positions: Int32Array;
  /** [n · WINDOW], oldest first, -1 padded. */
  contexts: Int32Array;
}

/** Contexts of the given lengths (bos included), e.g. [20, 20, 5] gives 19 + 19 + 4 rows. */
export function plantedStream(contextLengths: number[], d: number, seed = 1): PlantedStream {
  const rng = new Rng(seed);
  const rowsOut: number[] = [];
  const tokens: number[] = [];
  const positions: number[] = [];
  const contexts: number[] = [];
  for (const length of contextLengths) {
    const context = [0, ...Array.from({ length: length - 1 }, () => 2 + Math.floor(rng.next() * 1000))];
    for (let p = 1; p < length; p++) {
      const row = rng.fillNormal(new Float32Array(d), 3);
      row[0] = tokens.length;
      rowsOut.push(...row);
      tokens.push(context[p]);
      positions.push(p);
      // The exported tokens before p in this context (bos is never exported), newest last.
      for (let k = WINDOW; k >= 1; k--) contexts.push(p - k >= 1 ? context[p - k] : -1);
    }
  }
  return { d, n: tokens.length, rows: Float32Array.from(rowsOut), tokens: Int32Array.from(tokens), positions: Int32Array.from(positions), contexts: Int32Array.from(contexts) };
}

export interface PlantedShards {
  files: { name: string; bytes: Uint8Array }[];
  manifest: ShardManifest;
}

/** Cuts the stream into shards of the given row counts (anywhere, contexts included) plus a manifest. */
export function plantedShards(stream: PlantedStream, sizes: number[], dtype: ShardDtype = 'F32', hook = 'blocks.3.hook_resid_post'): PlantedShards {
  const files: { name: string; bytes: Uint8Array }[] = [];
  let start = 0;
  sizes.forEach((size, i) => {
    const end = start + size;
    const bytes = encodeShard({
      activations: stream.rows.slice(start * stream.d, end * stream.d),
      d_model: stream.d,
      tokens: stream.tokens.slice(start, end),
      positions: stream.positions.slice(start, end),
      dtype,
      metadata: { hook, model: 'planted' },
    });
    files.push({ name: `shard-${i}.safetensors`, bytes });
    start = end;
  });
  if (start !== stream.n) throw new Error(`plantedShards: sizes cover ${start} of ${stream.n} rows`);
  const manifest = buildManifest({
    model: 'planted',
    hook,
    d_model: stream.d,
    dtype,
    context: 1024,
    shards: files.map((file, i) => ({ file: file.name, tokens: sizes[i], sha256: sha256Hex(file.bytes) })),
  });
  return { files, manifest };
}

export function inputs(files: { name: string; bytes: Uint8Array }[], chunkSize?: number): ShardInput[] {
  return files.map((file) => bytesShardInput(file.bytes, file.name, chunkSize));
}

/** An input whose size is unknown up front (a download without Content-Length). */
export function unsizedInput(bytes: Uint8Array, name: string, chunkSize = 64): ShardInput {
  const { stream } = bytesShardInput(bytes, name, chunkSize);
  return { name, stream };
}

/** IEEE half-precision rounding (to nearest, ties to even) computed in float64 arithmetic, independently
 *  of src/core/formats/float16. Normal and subnormal range only: the tests stay far from overflow. */
export function roundToHalf(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const exponent = Math.max(Math.floor(Math.log2(Math.abs(x))), -14);
  const ulp = 2 ** (exponent - 10);
  const scaled = x / ulp;
  let rounded = Math.round(scaled);
  if (Math.abs(scaled - Math.trunc(scaled)) === 0.5) rounded = 2 * Math.round(scaled / 2); // tie: to even
  return rounded * ulp;
}
