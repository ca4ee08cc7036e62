/** Messages between the browser bench page, its worker and the Node side (src/cli/bench-browser.ts). Plain data. */
import type { BackendReport, BackendRequest } from '../runtime/protocol/backend-types';

/** Page → worker: time the MNIST paper step on `backend`, `steps` timed steps after one warm-up step. */
export interface BenchRequest {
  backend: BackendRequest;
  steps: number;
  /** wasm only: XNNPACK's thread count (tfjs's setThreadsCount, past tfjs's cap of half the logical cores); tfjs's own choice when left out. */
  threads?: number;
}

/** Worker → page → Node, in this order: backend, then a step per step, then done (or error at any point). */
export type BenchMessage =
  | { kind: 'backend'; report: BackendReport; crossOriginIsolated: boolean; hardwareConcurrency: number }
  | { kind: 'step'; index: number; ms: number; warmUp: boolean }
  | { kind: 'done'; msPerStep: number; flops: number }
  | { kind: 'error'; message: string };
