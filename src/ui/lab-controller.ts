/**
 * Connects the store to the lab workers, one per configuration: starts them, forwards what they
 * stream into the store, and fetches what the selection needs (a heatmap matrix, a feature's
 * details, a steering strip) as the selection changes or new weights arrive. Requests the workers
 * answer slower than the page asks are coalesced, so they never queue up.
 */
import type { LabInitOptions, LabMetricsUpdate, LabSnapshot, RunSpec } from '../runtime/lab-api';
import type { LabClient } from '../runtime/lab-client';
import { debounce } from './lib/debounce';
import { latestOnly, type LatestOnly } from './lib/latest-only';
import { activeSides, isStartable, seedList, SIDE_NAMES, trainLimitProblem, type Side } from './store/experiment';
import type { LabStore } from './store/lab-store';
import { isActive, mergeMetricsUpdates } from './store/runtime';
import { STEERING_STRIP_ALPHAS, type Selection } from './store/selection';
import { steeringAlphas } from './steering-alphas';

export type StartWorker = (name: string, onCrash: (message: string) => void) => LabClient;

interface Worker {
  client: LabClient;
  /** What it was initialised with: a different backend or data limit needs a fresh worker. */
  options: LabInitOptions;
  ready: Promise<boolean>;
}

/** How long the α slider must rest before the steering strip is recomputed. */
const STEER_DEBOUNCE_MS = 120;

/**
 * Metrics reach the store at most this often, both configurations together: each store update
 * redraws every curve, and at the workers' 10 Hz each that would take the main thread's time
 * from the rest of the page. Four redraws a second still look live.
 */
const METRICS_RENDER_MS = 250;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export interface LabController {
  /** Starts (or restarts) the workers the experiment needs; resolves when they are ready or failed. */
  prepare(): Promise<void>;
  /** Trains every active configuration, all seeds side by side (one click). */
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Steering success rate of the selected seed, in each configuration. */
  measureSteering(): Promise<void>;
  /** One seed's SAE of one configuration, in SAELens layout. */
  exportSeed: (side: Side, seed: number) => ReturnType<LabClient['api']['exportSaeLens']>;
  dispose(): void;
}

export function createLabController(store: LabStore, startWorker: StartWorker, appBaseUrl: string): LabController {
  const workers: (Worker | null)[] = [null, null];
  const state = store.getState;

  const fail = (side: Side, e: unknown) => state().patchRuntime(side, { phase: 'error', error: message(e) });

  const runCounts = [0, 0];
  const unrendered: LabMetricsUpdate[][] = [[], []];
  let renderTimer: ReturnType<typeof setTimeout> | null = null;
  function renderMetrics() {
    if (renderTimer !== null) clearTimeout(renderTimer);
    renderTimer = null;
    for (const side of [0, 1] as Side[]) {
      const merged = mergeMetricsUpdates(unrendered[side]);
      unrendered[side] = [];
      if (merged) state().addMetrics(side, merged);
    }
  }
  function queueMetrics(side: Side, update: LabMetricsUpdate) {
    unrendered[side].push(update);
    renderTimer ??= setTimeout(renderMetrics, METRICS_RENDER_MS);
  }

  function initOptions(): LabInitOptions {
    const { backend, trainLimit } = state().experiment;
    return { backend, appBaseUrl, ...(trainLimit === null ? {} : { trainLimit }) };
  }

  function workerFor(side: Side): Worker {
    const options = initOptions();
    const current = workers[side];
    if (current && current.options.backend === options.backend && current.options.trainLimit === options.trainLimit) return current;
    current?.client.terminate();
    const client = startWorker(`lab ${SIDE_NAMES[side]}`, (text) => fail(side, text));
    state().patchRuntime(side, { phase: 'loading', ready: null, error: null });
    const ready = client.api.init(options).then(
      (report) => {
        if (workers[side]?.client !== client) return false;
        state().patchRuntime(side, { phase: 'ready', ready: report });
        return true;
      },
      (e) => {
        fail(side, e);
        return false;
      },
    );
    const worker = { client, options, ready };
    workers[side] = worker;
    return worker;
  }

  // Heatmap: the selected pair's matrix from the selected configuration's current weights.
  const pairMatrix: LatestOnly<{ side: Side; pair: [number, number] }> = latestOnly(async ({ side, pair }) => {
    const worker = workers[side];
    if (!worker || pair[0] === pair[1]) return;
    const matrix = await worker.client.api.pairMatrix(pair[0], pair[1]);
    const { selection } = state();
    if (selection.side === side && selection.pair[0] === matrix.seedA && selection.pair[1] === matrix.seedB) {
      state().patchRuntime(side, { pairMatrix: matrix });
    }
  });

  const stillSelected = (s: Selection, side: Side, seed: number, feature: number) => s.side === side && s.seed === seed && s.feature === feature;

  const inspect = latestOnly(async ({ side, seed, feature }: { side: Side; seed: number; feature: number }) => {
    const worker = workers[side];
    if (!worker) return;
    const details = await worker.client.api.inspect(seed, feature);
    if (stillSelected(state().selection, side, seed, feature)) state().setInspection({ details });
  });

  const steer = latestOnly(async ({ side, seed, feature, digit, alpha }: Selection & { feature: number }) => {
    const worker = workers[side];
    if (!worker) return;
    const steering = await worker.client.api.steer(seed, feature, digit, steeringAlphas(STEERING_STRIP_ALPHAS, alpha));
    const now = state().selection;
    if (stillSelected(now, side, seed, feature) && now.digit === digit && now.alpha === alpha) state().setInspection({ steering });
  });
  const steerSoon = debounce(steer.request, STEER_DEBOUNCE_MS);

  /** Everything shown about the selection is fetched again (new weights, or a new selection). */
  function refreshSelection(what: { matrix: boolean; feature: boolean; steering: boolean }) {
    const { selection, runtime } = state();
    const { side, feature } = selection;
    if (!runtime[side].snapshot) return;
    if (what.matrix) pairMatrix.request({ side, pair: selection.pair });
    if (feature === null) return;
    if (what.feature) inspect.request({ side, seed: selection.seed, feature });
    if (what.steering) steer.request({ ...selection, feature });
  }

  const unsubscribe = store.subscribe((now, before) => {
    const a = now.selection;
    const b = before.selection;
    if (a === b) return;
    const moved = a.side !== b.side || a.seed !== b.seed || a.feature !== b.feature;
    const pairChanged = a.side !== b.side || a.pair[0] !== b.pair[0] || a.pair[1] !== b.pair[1];
    if (moved || pairChanged) refreshSelection({ matrix: pairChanged, feature: moved, steering: moved });
    else if ((a.digit !== b.digit || a.alpha !== b.alpha) && a.feature !== null) steerSoon({ ...a, feature: a.feature });
  });

  function showSnapshot(side: Side, snapshot: LabSnapshot) {
    state().setSnapshot(side, snapshot);
    if (state().selection.side === side) refreshSelection({ matrix: true, feature: true, steering: true });
  }

  async function train(side: Side, worker: Worker) {
    const { experiment } = state();
    const spec: RunSpec = { config: experiment.configs[side], seeds: seedList(experiment.seedCount) };
    // Messages of a replaced run may still be on their way: only the newest run's reach the store.
    const run = ++runCounts[side];
    const current = () => runCounts[side] === run && workers[side] === worker;
    unrendered[side] = [];
    state().startRun(side, spec);
    try {
      const end = await worker.client.start(
        spec,
        (update) => current() && queueMetrics(side, update),
        (snapshot) => current() && showSnapshot(side, snapshot),
      );
      if (!current()) return;
      renderMetrics();
      state().patchRuntime(side, { phase: end.reason, step: end.step, elapsedMs: end.elapsedMs });
    } catch (e) {
      if (current()) fail(side, e);
    }
  }

  const activeWorkers = () => activeSides(state().experiment).flatMap((side) => (workers[side] ? [{ side, worker: workers[side] }] : []));

  return {
    async prepare() {
      if (trainLimitProblem(state().experiment.trainLimit)) return;
      await Promise.all(activeSides(state().experiment).map((side) => workerFor(side).ready));
    },

    async start() {
      if (!isStartable(state().experiment)) return;
      const sides = activeSides(state().experiment);
      const prepared = sides.map((side) => ({ side, worker: workerFor(side) }));
      // A run still going on a side is stopped first; start() on the worker also stops it, but the page must not show two runs.
      for (const { side, worker } of prepared) if (isActive(state().runtime[side].phase)) void worker.client.api.stop();
      await Promise.all(
        prepared.map(async ({ side, worker }) => {
          if (await worker.ready) await train(side, worker);
        }),
      );
    },

    pause() {
      for (const { side, worker } of activeWorkers()) {
        if (state().runtime[side].phase !== 'training') continue;
        state().patchRuntime(side, { phase: 'paused' });
        void worker.client.api.pause();
      }
    },

    resume() {
      for (const { side, worker } of activeWorkers()) {
        if (state().runtime[side].phase !== 'paused') continue;
        state().patchRuntime(side, { phase: 'training' });
        void worker.client.api.resume();
      }
    },

    stop() {
      for (const { side, worker } of activeWorkers()) if (isActive(state().runtime[side].phase)) void worker.client.api.stop();
    },

    async measureSteering() {
      const seed = state().selection.seed;
      await Promise.all(
        activeWorkers().map(async ({ side, worker }) => {
          if (!state().runtime[side].snapshot) return;
          state().patchRuntime(side, { measuringSteering: true, steeringSuccess: null });
          try {
            const steeringSuccess = await worker.client.api.steeringSuccess(seed);
            state().patchRuntime(side, { steeringSuccess, measuringSteering: false });
          } catch (e) {
            state().patchRuntime(side, { measuringSteering: false, error: `steering success: ${message(e)}` });
          }
        }),
      );
    },

    exportSeed(side, seed) {
      const worker = workers[side];
      if (!worker) return Promise.reject(new Error(`configuration ${SIDE_NAMES[side]} has no worker`));
      return worker.client.api.exportSaeLens(seed);
    },

    dispose() {
      unsubscribe();
      steerSoon.cancel();
      if (renderTimer !== null) clearTimeout(renderTimer);
      for (const worker of workers) worker?.client.terminate();
      workers.fill(null);
    },
  };
}
