/**
 * |cos| matrices with every core: the rows of A are shared out among worker threads, each with its own
 * tfjs backend (in Node tfjs-wasm runs one thread per backend), writing straight into one
 * SharedArrayBuffer. Each thread prepares B once per matrix (CosineColumns) and then takes the next
 * chunk of A's rows from a shared counter until none are left, so a thread slowed by other load does
 * less of the work instead of holding the rest up. The entries are those of absCosineMatrix to the
 * bit: a row's |cos| depends on that row and B alone.
 *
 * The threads run the runner's own bundle (.cache/lab.mjs), which starts cosineWorker() when it sees
 * this file's workerData (see main.ts).
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { absCosineMatrix, checkCosineShapes, CosineColumns, type AbsCosine, type CosineEngine, type CosineOptions } from '../core/align/cosine';
import { initNodeBackend, type NodeBackend } from './node-backend';

const ROLE = 'cosine-thread';

interface ThreadSetup {
  role: typeof ROLE;
  backend: NodeBackend;
}

/** One matrix's work, as every thread receives it; the arrays share their memory with the caller's. */
interface MatrixJob {
  a: Float32Array;
  b: Float32Array;
  out: Float32Array;
  nA: number;
  nB: number;
  dim: number;
  /** next[0]: the first of A's rows no thread has taken yet. */
  next: Int32Array;
  chunkRows: number;
}

type ThreadReply = { ready: true } | { done: true } | { error: string };

export const isCosineThread = (workerData as Partial<ThreadSetup> | null)?.role === ROLE;

export class CosineThreads implements CosineEngine {
  private failed: Error | null = null;

  private constructor(private readonly workers: Worker[]) {}

  /** `threads` worker threads, each with `backend` started; one thread or fewer is no pool at all. */
  static async start(threads: number, backend: NodeBackend = 'wasm'): Promise<CosineThreads> {
    const setup: ThreadSetup = { role: ROLE, backend };
    const workers = Array.from({ length: Math.max(0, threads) }, () => new Worker(new URL(import.meta.url), { workerData: setup }));
    const pool = new CosineThreads(workers);
    try {
      await Promise.all(workers.map((w, i) => reply(w, i)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** A matrix buffer the threads can write. */
  newMatrix(length: number): Float32Array {
    return new Float32Array(new SharedArrayBuffer(length * 4));
  }

  /** The matrix absCosineMatrix would give, computed by all threads (by this one when the pool is empty). */
  readonly absCosine: AbsCosine = async (a, nA, b, nB, dim, options: CosineOptions = {}) => {
    if (this.workers.length === 0) return absCosineMatrix(a, nA, b, nB, dim, options);
    checkCosineShapes(a, nA, b, nB, dim, options.out);
    // A buffer the threads cannot see (not shared) is written through a shared one.
    const out = options.out && isShared(options.out) ? options.out : this.newMatrix(nA * nB);
    const job: MatrixJob = {
      a: shared(a),
      b: shared(b),
      out,
      nA,
      nB,
      dim,
      next: new Int32Array(new SharedArrayBuffer(4)),
      // Small enough that every thread gets several chunks (so a slow one is caught up), large enough
      // that the product stays a matrix-sized one.
      chunkRows: Math.max(1, Math.min(options.blockRows ?? 256, Math.ceil(nA / (4 * this.workers.length)))),
    };
    if (this.failed) throw new Error(`the |cos| threads stopped after an earlier failure: ${this.failed.message}`);
    try {
      await Promise.all(this.workers.map((w, i) => (w.postMessage(job), reply(w, i))));
    } catch (error) {
      // The other threads may still be writing and would answer the next matrix with this one's
      // replies: the pool ends here.
      this.failed = error as Error;
      await this.close();
      throw error;
    }
    if (options.out && options.out !== out) options.out.set(out);
    return { values: options.out ?? out, rows: nA, cols: nB };
  };

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

const isShared = (x: Float32Array) => x.buffer instanceof SharedArrayBuffer;

function shared(x: Float32Array): Float32Array {
  if (isShared(x)) return x;
  const copy = new Float32Array(new SharedArrayBuffer(x.byteLength));
  copy.set(x);
  return copy;
}

/** The thread's next reply: resolves on ready/done, rejects on its error or its end. */
function reply(worker: Worker, index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanUp = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: ThreadReply) => {
      cleanUp();
      if ('error' in message) reject(new Error(`cosine thread ${index + 1}: ${message.error}`));
      else resolve();
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(new Error(`cosine thread ${index + 1}: ${error.message}`));
    };
    const onExit = (code: number) => {
      cleanUp();
      reject(new Error(`cosine thread ${index + 1} ended (exit code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/** A pool thread: its backend, then one matrix share after another until the pool closes. */
export async function cosineWorker(): Promise<void> {
  const port = parentPort!;
  const post = (message: ThreadReply) => port.postMessage(message);
  try {
    await initNodeBackend((workerData as ThreadSetup).backend);
  } catch (error) {
    post({ error: (error as Error).message });
    return;
  }
  port.on('message', (job: MatrixJob) => {
    void writeShare(job).then(
      () => post({ done: true }),
      (error: unknown) => post({ error: (error as Error).message }),
    );
  });
  post({ ready: true });
}

async function writeShare({ a, b, out, nA, nB, dim, next, chunkRows }: MatrixJob): Promise<void> {
  const columns = new CosineColumns(b, nB, dim);
  try {
    for (let from = Atomics.add(next, 0, chunkRows); from < nA; from = Atomics.add(next, 0, chunkRows)) {
      await columns.rowsInto(a, from, Math.min(nA, from + chunkRows), out);
    }
  } finally {
    columns.dispose();
  }
}
