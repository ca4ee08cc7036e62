/**
 * How much memory one worker needs to train a configuration (all its seeds), estimated before it
 * starts: a configuration past its backend's limit is refused with the numbers, instead of failing
 * seconds into the run (a wasm heap that cannot grow further ends in "memory access out of bounds").
 * Plain arithmetic, no tfjs: the page uses it as well as the runner.
 *
 * What tfjs holds, in float32 values (4 bytes), with P = 2·d_in·d_sae + d_sae + d_in the parameters
 * of one SAE (W_enc [d_in, d_sae], W_dec [d_sae, d_in], b_enc, b_dec):
 * - for the whole run, per seed: the parameters and Adam's two moments (3·P), and the dead-latent
 *   and firing counters ([d_sae] each);
 * - during a step (the seeds step in turn, so one seed's at a time): the gradients, the weight
 *   penalty's and clipping's copies, and Adam's update terms, which live together in one tidy
 *   (about 13·P; 16·P on the sparse TopK path), plus the activations: [batch, d_sae] tensors (z, f
 *   and their gradients, TopK's masks: about 14 of them on the dense path, 2 on the sparse one)
 *   and up to 40 [batch, d_in] ones (x − b_dec, x̂, residuals, AuxK's, the metrics report);
 * - while a snapshot aligns the seeds (it overlaps training): two seeds' unit decoder rows (P) and
 *   one row block of their cosine matrix (16 MiB, src/core/align/cosine.ts);
 * - on GPU backends, the training data, uploaded once (wasm and cpu gather batches from host memory).
 * The step's counts are upper bounds fitted to tf.profile's peak bytes of one step on 32 shapes (d_in
 * 64 and 512, d_sae 1024–8192, batch 256 and 1024; ReLU with and without the unit-norm decoder,
 * dense and sparse TopK with AuxK, clipping and a penalty). At the Pythia paper's shape (3 seeds,
 * wasm) a step peaked at 1.68 GB of tensors and a 1.77 GB heap; the estimate is 2.2 GB of tensors,
 * 3.1 GB with the slack, under wasm's 4 GiB.
 * Allocators keep freed memory for reuse: on those shapes the wasm heap grew to 1.0–1.43× the live
 * tensors at the peak (1.8× for one small one), hence ALLOCATOR_SLACK on top; with it, every
 * measured heap was within the estimate.
 *
 * Outside the backend, in the worker's JavaScript memory, a snapshot with two or more seeds builds
 * each [d_sae, d_sae] similarity matrix as one Float32Array (the previous one may not be collected
 * yet): `hostBytes`. On the cpu backend that is the same memory as the tensors'.
 */
import { takesSparsePath } from '../sae/sparse-path';
import type { TrainConfig } from './config';

/** The tfjs backends the lab trains on (src/runtime/protocol/backend-types.ts, without its import). */
export type MemoryBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

const FLOAT = 4;
const GiB = 2 ** 30;

/** Transient copies during one step, per path (see the module comment). */
const STEP = {
  dense: { params: 13, latents: 14, inputs: 40 },
  sparse: { params: 16, latents: 2, inputs: 40 },
};

/** Values in one row block of the cosine matrix (src/core/align/cosine.ts: 2^22 values, 16 MiB). */
const COSINE_BLOCK_VALUES = 1 << 22;

/** Live tensors × this is what the allocator holds at the peak (see the module comment). */
export const ALLOCATOR_SLACK = 1.4;

/**
 * The most a worker's backend may hold. wasm's is a hard limit: tfjs-backend-wasm's heap is 32-bit
 * memory and grows to 4 GiB − 64 KiB at most (its Emscripten build's getHeapMax). The others are
 * budgets. Browsers do not tell a page how much GPU memory there is: 8 GiB is a common discrete
 * GPU's, and what an integrated one sharing a 16 GB machine's memory can usually have (a GPU that
 * runs out loses its device, and the run resumes on the next backend). The cpu backend's arrays are
 * the tab's own memory, with no cap of their own in a 64-bit browser: the same 8 GiB.
 */
export const BACKEND_MEMORY_LIMIT: Record<MemoryBackend, number> = {
  webgpu: 8 * GiB,
  webgl: 8 * GiB,
  wasm: 4 * GiB - 64 * 1024,
  cpu: 8 * GiB,
};

export interface MemoryEstimateOptions {
  seeds: number;
  backend: MemoryBackend;
  /** Bytes of training data the backend holds (GPU backends upload it; ignored on wasm and cpu). */
  dataBytes?: number;
}

export interface MemoryEstimate {
  /** Bytes the backend holds at the peak of training, allocator slack included. */
  bytes: number;
  /** The live tensors' bytes at that peak (what tf.memory().numBytes counts), by part. */
  parts: { state: number; step: number; snapshot: number; data: number };
  /** Bytes of JavaScript memory a snapshot needs for its similarity matrices (0 with one seed). */
  hostBytes: number;
  /** Whether TopK takes the sparse path on this backend (far fewer [batch, d_sae] tensors). */
  sparse: boolean;
}

export function estimateTrainingMemory(config: Pick<TrainConfig, 'd_in' | 'd_sae' | 'batchSize' | 'activation'>, options: MemoryEstimateOptions): MemoryEstimate {
  const { d_in, d_sae, batchSize } = config;
  const { seeds, backend } = options;
  const params = 2 * d_in * d_sae + d_sae + d_in;
  const sparse = takesSparsePath(config, backend);
  const step = sparse ? STEP.sparse : STEP.dense;
  const parts = {
    state: seeds * (3 * params + 2 * d_sae) * FLOAT,
    step: (step.params * params + step.latents * batchSize * d_sae + step.inputs * batchSize * d_in) * FLOAT,
    snapshot: seeds >= 2 ? (2 * d_sae * d_in + Math.min(COSINE_BLOCK_VALUES, d_sae * d_sae)) * FLOAT : 0,
    data: backend === 'webgl' || backend === 'webgpu' ? (options.dataBytes ?? 0) : 0,
  };
  const live = parts.state + parts.step + parts.snapshot + parts.data;
  return { bytes: live * ALLOCATOR_SLACK, parts, hostBytes: seeds >= 2 ? 2 * d_sae * d_sae * FLOAT : 0, sparse };
}

/** What an estimate must fit: on cpu the tensors and the snapshot's matrices share the same memory. */
export function bytesAgainstLimit(estimate: MemoryEstimate, backend: MemoryBackend): number {
  return backend === 'cpu' ? estimate.bytes + estimate.hostBytes : estimate.bytes;
}
