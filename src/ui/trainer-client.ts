/** Starts the trainer worker and wraps it with comlink; the page never trains on its own thread. */
import * as Comlink from 'comlink';
import type { TrainerApi } from '../runtime/trainer-api';

export interface TrainerClient {
  api: Comlink.Remote<TrainerApi>;
  worker: Worker;
}

export function startTrainerWorker(onCrash: (message: string) => void): TrainerClient {
  const worker = new Worker(new URL('../../workers/trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
  // Errors outside comlink calls (a failing module import, an uncaught throw) surface only here.
  worker.addEventListener('error', (event) => onCrash(event.message || 'the trainer worker failed to start'));
  return { api: Comlink.wrap<TrainerApi>(worker), worker };
}
