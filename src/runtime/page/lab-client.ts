/**
 * The page's side of a lab worker: starts one worker (one per configuration) and wraps it with
 * comlink, so the page calls it like an object and never computes on its own thread.
 */
import * as Comlink from 'comlink';
import type { ImportProgress, LabInitOptions, LabMetricsUpdate, LabReady, LabSnapshot, LabWorkerApi, RunSpec, ShardProgress } from '../protocol/lab-api';
import type { RunEnd } from '../protocol/trainer-api';

export interface LabClient {
  /** Every call of the worker's API, as promises. */
  readonly api: Comlink.Remote<LabWorkerApi>;
  /** Picks the backend and loads the data; progress of a shard load arrives through `onShardProgress`. */
  init(options: LabInitOptions, onShardProgress?: (progress: ShardProgress) => void): Promise<LabReady>;
  /** Trains `spec`; the callbacks are passed as proxies, so the worker's calls arrive as messages. */
  start(spec: RunSpec, onMetrics: (update: LabMetricsUpdate) => void, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd>;
  /** Continues a saved run from its checkpoint; the callbacks as for start. */
  resumeRun(runId: string, onMetrics: (update: LabMetricsUpdate) => void, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd>;
  /** Shows a saved run's checkpoint without training it. */
  openRun(runId: string, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd>;
  /** Imports SAE folders as this configuration's seeds; progress arrives through `onProgress`. */
  importSaes(files: File[], onProgress: (progress: ImportProgress) => void): ReturnType<LabWorkerApi['importSaes']>;
  /** Ends the worker at once, run and all (a new backend or data set needs a fresh one). */
  terminate(): void;
}

/** `name` shows in the browser's devtools and in test logs (e.g. "lab A"). */
export function startLabWorker(name: string, onCrash: (message: string) => void): LabClient {
  const worker = new Worker(new URL('../../../workers/lab.worker.ts', import.meta.url), { type: 'module', name });
  // Errors outside comlink calls (a failing module import, an uncaught throw) surface only here.
  worker.addEventListener('error', (event) => onCrash(event.message || `the ${name} worker failed to start`));
  const api = Comlink.wrap<LabWorkerApi>(worker);
  return {
    api,
    init: (options, onShardProgress) => api.init(options, onShardProgress && Comlink.proxy(onShardProgress)),
    openRun: (runId, onSnapshot) => api.openRun(runId, Comlink.proxy(onSnapshot)),
    resumeRun: (runId, onMetrics, onSnapshot) => api.resumeRun(runId, Comlink.proxy(onMetrics), Comlink.proxy(onSnapshot)),
    start: (spec, onMetrics, onSnapshot) => api.start(spec, Comlink.proxy(onMetrics), Comlink.proxy(onSnapshot)),
    importSaes: (files, onProgress) => api.importSaes(files, Comlink.proxy(onProgress)),
    terminate() {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
