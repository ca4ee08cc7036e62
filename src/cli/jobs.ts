/**
 * `--jobs N`: a task's (configuration, seed) pairs trained in N worker threads, each with its own tfjs
 * backend. A seed's training does not depend on the seeds beside it (MultiSeedTrainer keeps one trainer
 * per seed on one read-only source), so each SAE's bytes are those of `--jobs 1`. The threads run the
 * runner's own bundle (.cache/lab.mjs): it starts jobWorker() instead of the command line when it is
 * not the main thread. In Node tfjs-wasm runs one thread per backend (it turns its thread pool off
 * there), so N jobs use N cores.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { tensorSource } from '../core/train/source';
import { initNodeBackend } from './node-backend';
import type { LoadedData, RunPlan } from './run-plan';
import type { EntrySeeds } from './tasks';
import { trainEntry, type EntryResult } from './train-entry';

interface JobInput {
  plan: RunPlan;
  out: string;
  /** The training rows in a SharedArrayBuffer: one copy for every job. */
  data: LoadedData;
  work: EntrySeeds[];
}

type JobReply = { results: EntryResult[] } | { error: string };

/** Trains each job's share in its own thread; the results of every job, in job order. */
export async function runJobs(plan: RunPlan, out: string, data: LoadedData, jobs: EntrySeeds[][]): Promise<EntryResult[]> {
  const rows = new Float32Array(new SharedArrayBuffer(data.rows.byteLength));
  rows.set(data.rows);
  const workers = jobs.map((work) => new Worker(new URL(import.meta.url), { workerData: { plan, out, data: { ...data, rows }, work } satisfies JobInput }));
  try {
    const replies = await Promise.all(workers.map((worker, j) => jobResult(worker, j)));
    return replies.flat();
  } finally {
    // A failed job ends the others: their results would be a run with holes.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function jobResult(worker: Worker, job: number): Promise<EntryResult[]> {
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: JobReply) => ('error' in reply ? reject(new Error(`job ${job + 1}: ${reply.error}`)) : resolve(reply.results)));
    worker.once('error', (error) => reject(new Error(`job ${job + 1}: ${error.message}`)));
    worker.once('exit', (code) => reject(new Error(`job ${job + 1} ended (exit code ${code}) before its results`)));
  });
}

/** True in a job's thread: the bundle then runs jobWorker() and not the command line. */
export const isJobThread = !isMainThread;

/** A job's thread: its own backend and source over the shared rows, then its configurations' seeds one after another. */
export async function jobWorker(): Promise<void> {
  const { plan, out, data, work } = workerData as JobInput;
  try {
    await initNodeBackend(plan.backend);
    const source = tensorSource(data.rows, data.d_in);
    const results: EntryResult[] = [];
    for (const { entry, seeds } of work) results.push(await trainEntry(entry, seeds, source, out, data.on, { partial: seeds.length < plan.seeds.length }));
    source.dispose();
    const buffers = results.flatMap((r) => (r.weights ?? []).flatMap((w) => [w.W_enc.buffer, w.b_enc.buffer, w.W_dec.buffer, w.b_dec.buffer]));
    parentPort!.postMessage({ results } satisfies JobReply, [...new Set(buffers)] as ArrayBuffer[]);
  } catch (error) {
    parentPort!.postMessage({ error: (error as Error).message } satisfies JobReply);
  }
}
