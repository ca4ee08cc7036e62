/** The page's side of the matching worker: started on first use and kept, since a person may switch configurations often. */
import * as Comlink from 'comlink';
import type { DirectionMatching, MatchWorkerApi } from '../protocol/match-api';

let worker: { api: Comlink.Remote<MatchWorkerApi>; crashed: Promise<never> } | null = null;

function start() {
  const w = new Worker(new URL('../../../workers/match.worker.ts', import.meta.url), { type: 'module', name: 'matching' });
  const crashed = new Promise<never>((_, reject) =>
    w.addEventListener('error', (event) => {
      // A worker that failed to start is dropped, so the next call starts a fresh one.
      worker = null;
      w.terminate();
      reject(new Error(event.message || 'the matching worker failed to start'));
    }),
  );
  crashed.catch(() => undefined);
  return { api: Comlink.wrap<MatchWorkerApi>(w), crashed };
}

/** Optimal |cos| matching of the rows of `a` ([nA, dim]) with those of `b` ([nB, dim]), in the matching worker. */
export async function matchDirectionsInWorker(a: Float32Array, nA: number, b: Float32Array, nB: number, dim: number): Promise<DirectionMatching> {
  worker ??= start();
  return Promise.race([worker.api.matchDirections(a, nA, b, nB, dim), worker.crashed]);
}
