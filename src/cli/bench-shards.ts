/**
 * Shard streaming for `npm run bench`: writes activation shards of the paper's Pythia width to a
 * temporary folder, loads them the way the runner does (loadShardFolder → loadActivationShards, with
 * the default 256 MiB bound, so the reservoir samples), and times gathering training batches from
 * the loaded rows.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildManifest, DEFAULT_MAX_BYTES, encodeShard, MANIFEST_FILE, rowBudget, sha256Hex, shardFileName, type ShardEntry } from '../core/shards';
import { tensorSource } from '../core/train/source';
import { loadShardFolder } from '../io/shards-node';
import { median } from '../bench/step';
import { initNodeBackend } from './node-backend';

export interface ShardBenchOptions {
  shards?: number;
  rowsPerShard?: number;
  dModel?: number;
  /** Loads timed, each in a fresh process; the median is printed. */
  runs?: number;
}

const MB = 1e6;

/** Fills `out` with values of a few units, from a xorshift generator: fast, and different per shard. */
function fillActivations(out: Float32Array, seed: number): void {
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32 - 0.5) * 8;
  }
}

/** Writes the shards and their manifest (with SHA-256s, which the loader checks); returns the file bytes. */
async function writeShards(folder: string, count: number, rows: number, dModel: number): Promise<number> {
  const activations = new Float32Array(rows * dModel);
  const tokens = Int32Array.from({ length: rows }, (_, i) => (i * 7919) % 50_000);
  const positions = Int32Array.from({ length: rows }, (_, i) => i % 128);
  const entries: ShardEntry[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    fillActivations(activations, i + 1);
    const file = encodeShard({ activations, d_model: dModel, tokens, positions, dtype: 'F16', metadata: { hook: 'bench.synthetic', model: 'bench' } });
    await writeFile(join(folder, shardFileName(i)), file);
    entries.push({ file: shardFileName(i), tokens: rows, sha256: sha256Hex(file) });
    bytes += file.length;
  }
  const manifest = buildManifest({ model: 'bench', hook: 'bench.synthetic', d_model: dModel, dtype: 'F16', context: 128, shards: entries });
  await writeFile(join(folder, MANIFEST_FILE), JSON.stringify(manifest));
  return bytes + (await stat(join(folder, MANIFEST_FILE))).size;
}

/** Set in the environment of the child process that loads the shards: the folder to load. */
export const SHARD_LOAD_ENV = 'SAE_LAB_BENCH_SHARD_LOAD';

interface ChildLoad {
  seconds: number;
  /** RSS before the load, and the process's peak by the end of it (the kernel's high-water mark). */
  rssBeforeMb: number;
  peakRssMb: number;
  kept: number;
  total: number;
  gatherMs: number;
}

/**
 * The child's side: load the folder named in SHARD_LOAD_ENV, then time batches gathered from the rows,
 * and print one JSON line. A fresh process per load makes its peak RSS the load's alone (the parent
 * has written the shards and may hold other benches' memory).
 */
export async function shardLoadChild(folder: string, batch: number, batches: number): Promise<void> {
  const rssBeforeMb = process.memoryUsage.rss() / 2 ** 20;
  const t0 = performance.now();
  const loaded = await loadShardFolder(folder, { maxBytes: DEFAULT_MAX_BYTES });
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const gatherMs = await timeGather(loaded.rows, loaded.d_model, batch, batches);
  const result: ChildLoad = { seconds, rssBeforeMb, peakRssMb, kept: loaded.count, total: loaded.totalTokens, gatherMs };
  console.log(JSON.stringify(result));
}

async function loadInChild(folder: string): Promise<ChildLoad> {
  // This bundle itself (src/cli runs bundled), run as `bench` with the folder in its environment.
  const bundle = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, [bundle, 'bench'], { env: { ...process.env, [SHARD_LOAD_ENV]: folder }, maxBuffer: 1 << 20 });
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as ChildLoad;
  } catch {
    throw new Error(`the shard-loading child printed no result: ${stdout.slice(-500)}`);
  }
}

export const SHARD_BENCH = { batch: 2048, batches: 30 };

export async function benchShards({ shards = 8, rowsPerShard = 65_536, dModel = 512, runs = 3 }: ShardBenchOptions = {}): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'sae-lab-bench-shards-'));
  try {
    const fileBytes = await writeShards(folder, shards, rowsPerShard, dModel);
    const totalRows = shards * rowsPerShard;
    const budget = rowBudget(dModel, DEFAULT_MAX_BYTES);
    console.log(
      `\nShard streaming: ${shards} shards of ${rowsPerShard} × ${dModel} F16 (${(fileBytes / MB).toFixed(0)} MB of files, ${totalRows} rows), ` +
        `loaded with the default ${DEFAULT_MAX_BYTES / 2 ** 20} MiB bound (at most ${budget} rows kept${totalRows > budget ? ': a reservoir sample' : ''}). ` +
        'Each load in a fresh Node process (its peak RSS is the load\'s); the files are in the page cache after writing.',
    );
    console.log('run   seconds   MB/s (files)    rows/s   RSS before MB   peak RSS MB   gather ms/batch');
    const loads: ChildLoad[] = [];
    for (let run = 1; run <= runs; run++) {
      const load = await loadInChild(folder);
      loads.push(load);
      console.log(
        `${String(run).padStart(3)}   ${load.seconds.toFixed(2).padStart(7)}   ${(fileBytes / MB / load.seconds).toFixed(0).padStart(12)}   ${(totalRows / load.seconds).toFixed(0).padStart(7)}   ${load.rssBeforeMb.toFixed(0).padStart(13)}   ${load.peakRssMb.toFixed(0).padStart(11)}   ${load.gatherMs.toFixed(2).padStart(15)}`,
      );
    }
    const s = median(loads.map((l) => l.seconds));
    const gatherMs = median(loads.map((l) => l.gatherMs));
    const { batch } = SHARD_BENCH;
    console.log(
      `median: ${s.toFixed(2)} s, ${(fileBytes / MB / s).toFixed(0)} MB/s of files, ${(totalRows / s).toFixed(0)} rows/s; peak RSS ${median(loads.map((l) => l.peakRssMb)).toFixed(0)} MB ` +
        `(${median(loads.map((l) => l.rssBeforeMb)).toFixed(0)} MB before the load); kept ${loads[0].kept} of ${loads[0].total} rows (${((loads[0].kept * dModel * 4) / 2 ** 20).toFixed(0)} MiB)`,
    );
    console.log(
      `gather: batches of ${batch} random rows of the kept ${loads[0].kept} (wasm, as the trainer takes them: copied on the host, uploaded): ` +
        `${gatherMs.toFixed(2)} ms/batch, ${((batch / gatherMs) * 1000).toFixed(0)} rows/s, ${((batch * dModel * 4) / MB / (gatherMs / 1000)).toFixed(0)} MB/s`,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Median ms to gather a batch of `batch` random rows as the trainer does (tensorSource on wasm: rows copied on the host, then uploaded). */
async function timeGather(rows: Float32Array, dModel: number, batch: number, batches: number): Promise<number> {
  await initNodeBackend('wasm');
  const source = tensorSource(rows, dModel);
  let seed = 12345;
  const indices = new Int32Array(batch);
  const times: number[] = [];
  for (let b = 0; b <= batches; b++) {
    for (let i = 0; i < batch; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      indices[i] = seed % source.size;
    }
    const t0 = performance.now();
    source.gather(indices).dispose();
    if (b > 0) times.push(performance.now() - t0); // the first call grows the wasm heap
  }
  source.dispose();
  return median(times);
}
