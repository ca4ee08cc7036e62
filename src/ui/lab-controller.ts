/**
 * Connects the store to the lab workers, one per configuration: starts them, forwards what they
 * stream into the store, and fetches what the selection needs (a heatmap matrix, a feature's
 * details, a steering strip) as the selection changes or new weights arrive. Requests the workers
 * answer slower than the page asks are coalesced, so they never queue up.
 */
import type { JudgeSettings, LabInitOptions, LabMetricsUpdate, LabSnapshot, ModelSource, RunSpec, ShardSource } from '../runtime/lab-api';
import type { PersistSpec } from '../runtime/run-recorder';
import { groupComparisons, markInterrupted, newRunId, storageUsage, type RunData, type RunStore } from '../runtime/run-store';
import type { RunEnd } from '../runtime/trainer-api';
import { BACKEND_ORDER } from '../runtime/backend-types';
import { comparisonName } from './labels';
import type { LabClient } from '../runtime/lab-client';
import { debounce } from './lib/debounce';
import { latestOnly, type LatestOnly } from './lib/latest-only';
import { activeSides, isStartable, PICKED_FILES, SAMPLE, seedList, SIDE_NAMES, trainLimitProblem, type Experiment, type Side } from './store/experiment';
import type { LabStore } from './store/lab-store';
import { initialRuntime, isActive, mergeMetricsUpdates, stepsPerSecond, type RunInfo } from './store/runtime';
import { matchingPreset } from './store/presets';
import { parseUrlState, serializeUrlState } from './store/url-state';
import { urlStateOf } from './store/lab-store';
import { STEERING_STRIP_ALPHAS, type Selection } from './store/selection';
import { steeringAlphas } from './steering-alphas';
import { finishedTwin, interruptedComparison } from './arrival';
import { RecoveryBudget, watchWorker } from './worker-watchdog';

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
  /**
   * A visit to the page: prepares the workers, then, unless the link says auto=0, trains — except
   * where a reload interrupted the newest saved run (it is offered for Resume, never trained over)
   * or this very experiment is already saved and finished (it is opened instead of trained again).
   */
  arrive(): Promise<void>;
  /** Starts (or restarts) the workers the experiment needs; resolves when they are ready or failed. */
  prepare(): Promise<void>;
  /** Trains every active configuration, all seeds side by side (one click). */
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Steering success rate of the selected seed, in each configuration. */
  measureSteering(): Promise<void>;
  /**
   * Loads activation shards into fresh workers: the synthetic sample, a manifest URL or picked files.
   * Only once every worker has loaded them do they replace the current ones, so a bad file costs
   * nothing already loaded or trained. Resolves to whether the load succeeded.
   */
  chooseShards(choice: DataChoice): Promise<boolean>;
  /** Loads a GPT-NeoX checkpoint into every worker (replacing a previous one only once loaded). */
  chooseModel(choice: DataChoice): Promise<boolean>;
  /** Steered and unsteered continuations for the selected feature (language-model data). */
  generate(): Promise<void>;
  /** Reads the saved runs (and the storage they use) into the store, marking those left behind as interrupted. */
  refreshLibrary(): Promise<void>;
  renameComparison(comparisonId: string, name: string): Promise<void>;
  deleteComparison(comparisonId: string): Promise<void>;
  /** Sets the page up as the saved comparison was, loads its data, and continues each run from its checkpoint. */
  resumeComparison(comparisonId: string): Promise<void>;
  /**
   * Shows saved runs without training them: one as A, and optionally another as B (any two runs
   * trained on the same data, so their curves, alignment and features can be compared).
   */
  openSaved(runA: string, runB: string | null): Promise<void>;
  /** SAEs trained elsewhere (one folder each, SAELens or sparsify layout) shown as configuration `side`'s seeds. */
  importSaes(side: Side, files: File[]): Promise<void>;
  /** One seed's SAE of one configuration, in SAELens layout. */
  exportSeed: (side: Side, seed: number) => ReturnType<LabClient['api']['exportSaeLens']>;
  dispose(): void;
}

/** Where shards or a model come from: the shipped sample, a URL, or files the person picked or dropped. */
export type DataChoice = { kind: 'sample' } | { kind: 'url'; url: string } | { kind: 'files'; files: File[] };

/** The synthetic sample under the app's root: its shards' manifest and its model folder. */
export const SAMPLE_SHARDS_PATH = 'samples/synthetic/manifest.json';
export const SAMPLE_MODEL_PATH = 'samples/synthetic/model/';

/**
 * `openRuns` opens the run store on the page (the library); the workers open their own to save runs.
 * Without one (null), nothing is saved or listed.
 */
export function createLabController(store: LabStore, startWorker: StartWorker, appBaseUrl: string, openRuns: () => Promise<RunStore | null> = async () => null): LabController {
  const workers: (Worker | null)[] = [null, null];
  const state = store.getState;
  /** Picked files cannot live in the URL or the experiment: the experiment says PICKED_FILES, they are here. */
  let pickedShards: File[] | null = null;
  let pickedModel: File[] | null = null;

  const fail = (side: Side, e: unknown) => state().patchRuntime(side, { phase: 'error', error: message(e) });
  const runStore = openRuns().catch(() => null);

  const runCounts = [0, 0];
  /** Crashes recovered from in the current run of each side: a run that keeps failing is given up. */
  const recoveries = [new RecoveryBudget(), new RecoveryBudget()];
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

  const absolute = (path: string) => new URL(path, appBaseUrl).href;

  function shardSource(location: string | null, files: File[] | null): ShardSource | null {
    if (location === SAMPLE) return { kind: 'url', manifestUrl: absolute(SAMPLE_SHARDS_PATH) };
    if (location === PICKED_FILES) return files ? { kind: 'files', files } : null;
    return location ? { kind: 'url', manifestUrl: location } : null;
  }

  function modelSource(location: string | null, files: File[] | null): ModelSource | null {
    if (location === SAMPLE) return { kind: 'url', baseUrl: absolute(SAMPLE_MODEL_PATH) };
    if (location === PICKED_FILES) return files ? { kind: 'files', files } : null;
    return location ? { kind: 'url', baseUrl: location } : null;
  }

  /** What a worker for this experiment is started with; null while shards are still to be chosen. */
  function initOptions(experiment: Experiment = state().experiment, files = pickedShards): LabInitOptions | null {
    const { backend, trainLimit, dataset } = experiment;
    if (dataset === 'mnist') return { backend, appBaseUrl, ...(trainLimit === null ? {} : { trainLimit }) };
    const shards = shardSource(experiment.shards, files);
    return shards ? { backend, appBaseUrl, shards } : null;
  }

  function sameOptions(a: LabInitOptions, b: LabInitOptions): boolean {
    const sameShards =
      a.shards === b.shards ||
      (a.shards?.kind === 'url' && b.shards?.kind === 'url' && a.shards.manifestUrl === b.shards.manifestUrl) ||
      (a.shards?.kind === 'files' && b.shards?.kind === 'files' && a.shards.files === b.shards.files);
    return a.backend === b.backend && a.trainLimit === b.trainLimit && sameShards;
  }

  function workerFor(side: Side, options: LabInitOptions): Worker {
    const current = workers[side];
    if (current && sameOptions(current.options, options)) return current;
    current?.client.terminate();
    const client = startWorker(`lab ${SIDE_NAMES[side]}`, (text) => void recover(side, client, text));
    state().patchRuntime(side, { phase: 'loading', ready: null, error: null });
    const ready = client.init(options, (progress) => workers[side]?.client === client && state().patchDataLoad({ progress })).then(
      (report) => {
        if (workers[side]?.client !== client) return false;
        state().patchRuntime(side, { phase: 'ready', ready: report });
        if (report.shards) dataArrived(report.shards.d_model);
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

  /** Data loaded: the configurations take its width, and the chosen model (if any) follows into the workers. */
  function dataArrived(d_model: number) {
    state().fitDataWidth(d_model);
    state().patchDataLoad({ phase: 'ready', error: null });
    const source = modelSource(state().experiment.model, pickedModel);
    if (source) void loadModelInto(source);
  }

  /**
   * Shards for `experiment` in fresh workers, installed only once all of them loaded: a failure
   * terminates the candidates and leaves the current workers, their data and their runs alone.
   */
  async function loadShardWorkers(experiment: Experiment, files: File[] | null): Promise<boolean> {
    const options = initOptions(experiment, files);
    if (!options) return false;
    const sides = activeSides(experiment);
    state().patchDataLoad({ phase: 'loading', progress: null, error: null });
    let crashed: string | null = null;
    const candidates = sides.map((side) => {
      const client = startWorker(`lab ${SIDE_NAMES[side]}`, (text) => (workers[side]?.client === client ? void recover(side, client, text) : (crashed ??= text)));
      return { side, client };
    });
    const results = await Promise.allSettled(candidates.map(({ client }) => client.init(options, (progress) => state().patchDataLoad({ progress }))));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure || crashed) {
      for (const { client } of candidates) client.terminate();
      state().patchDataLoad({ phase: 'error', progress: null, error: message(failure ? failure.reason : crashed) });
      return false;
    }
    store.setState({ experiment: { ...state().experiment, shards: experiment.shards } });
    candidates.forEach(({ side, client }, i) => {
      workers[side]?.client.terminate();
      runCounts[side]++;
      workers[side] = { client, options, ready: Promise.resolve(true) };
      const report = (results[i] as PromiseFulfilledResult<Awaited<ReturnType<LabClient['init']>>>).value;
      state().patchRuntime(side, { ...initialRuntime(), phase: 'ready', ready: report });
    });
    const first = (results[0] as PromiseFulfilledResult<Awaited<ReturnType<LabClient['init']>>>).value;
    if (first.shards) dataArrived(first.shards.d_model);
    return true;
  }

  /** Loads a model into every shard worker; each replaces its model only once the new one loaded. */
  async function loadModelInto(source: ModelSource): Promise<boolean> {
    const shardWorkers = activeWorkers().filter(({ side }) => state().runtime[side].ready?.shards);
    if (shardWorkers.length === 0) return false;
    state().patchModelLoad({ phase: 'loading', error: null });
    try {
      const infos = await Promise.all(shardWorkers.map(({ worker }) => worker.client.api.loadModel(source)));
      state().patchModelLoad({ phase: 'ready', info: infos[0], error: null });
      return true;
    } catch (e) {
      state().patchModelLoad({ phase: state().modelLoad.info ? 'ready' : 'error', error: message(e) });
      return false;
    }
  }

  /** The judge's endpoint when the person turned it on (language-model data only). */
  function judgeSettings(): JudgeSettings | undefined {
    const { judge, experiment } = state();
    if (!judge.enabled || experiment.dataset !== 'shards') return undefined;
    return { baseUrl: judge.baseUrl.trim(), model: judge.model.trim(), ...(judge.apiKey ? { apiKey: judge.apiKey } : {}) };
  }

  const locationOf = (choice: DataChoice) => (choice.kind === 'sample' ? SAMPLE : choice.kind === 'url' ? choice.url : PICKED_FILES);

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
    if (state().experiment.dataset === 'shards') {
      const text = await worker.client.api.inspectText(seed, feature);
      if (stillSelected(state().selection, side, seed, feature)) state().setInspection({ text });
      return;
    }
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
    if (what.steering && state().experiment.dataset === 'mnist') steer.request({ ...selection, feature });
  }

  const unsubscribe = store.subscribe((now, before) => {
    const a = now.selection;
    const b = before.selection;
    if (a === b) return;
    const moved = a.side !== b.side || a.seed !== b.seed || a.feature !== b.feature;
    const pairChanged = a.side !== b.side || a.pair[0] !== b.pair[0] || a.pair[1] !== b.pair[1];
    if (moved || pairChanged) refreshSelection({ matrix: pairChanged, feature: moved, steering: moved });
    else if ((a.digit !== b.digit || a.alpha !== b.alpha) && a.feature !== null && now.experiment.dataset === 'mnist') steerSoon({ ...a, feature: a.feature });
  });

  function showSnapshot(side: Side, snapshot: LabSnapshot) {
    state().setSnapshot(side, snapshot);
    if (state().selection.side === side) refreshSelection({ matrix: true, feature: true, steering: true });
  }

  /** Follows one run on a worker (fresh or resumed): its messages go to the store, its end sets the phase. */
  async function follow(side: Side, worker: Worker, info: RunInfo & { runId: string | null; notice?: string; training?: boolean; checkpointStep?: number | null }, begin: (onMetrics: (u: LabMetricsUpdate) => void, onSnapshot: (s: LabSnapshot) => void) => Promise<RunEnd>) {
    // Messages of a replaced run may still be on their way: only the newest run's reach the store.
    const run = ++runCounts[side];
    const current = () => runCounts[side] === run && workers[side] === worker;
    unrendered[side] = [];
    // A worker can die without a word (closed, out of memory): a silent one is pinged, and one that
    // does not answer either is recovered.
    const watchdog = watchWorker({
      ping: () => worker.client.api.ping(),
      current,
      training: () => state().runtime[side].phase === 'training',
      msPerStep: () => {
        const pace = stepsPerSecond(state().runtime[side]);
        return pace ? 1000 / pace : 0;
      },
      onSilent: () => void recover(side, worker.client, 'it stopped responding'),
    });
    state().startRun(side, info);
    state().patchRuntime(side, { runId: info.runId, notice: info.notice ?? null, checkpointStep: info.checkpointStep ?? null });
    try {
      const end = await begin(
        (update) => {
          if (!current()) return;
          watchdog.heard();
          queueMetrics(side, update);
          if (update.saved) {
            const firstCheckpoint = state().runtime[side].checkpointStep === null && update.saved.checkpointStep !== null;
            state().patchRuntime(side, { storageProblem: update.saved.problem, checkpointStep: update.saved.checkpointStep });
            // The run is now in the store: list it, so it can be renamed while it trains.
            if (firstCheckpoint) void refreshLibrary();
          }
        },
        (snapshot) => {
          watchdog.heard();
          if (current()) showSnapshot(side, snapshot);
        },
      );
      if (!current()) return;
      renderMetrics();
      state().patchRuntime(side, { phase: end.reason, step: end.step, elapsedMs: end.elapsedMs, ...(end.message ? { error: end.message } : {}) });
    } catch (e) {
      // A run that fails while training (a lost WebGPU device, an exception) is a crash like any other.
      if (current()) void (info.training === false ? fail(side, e) : recover(side, worker.client, message(e)));
    } finally {
      watchdog.stop();
      if (current()) void refreshLibrary();
    }
  }

  async function train(side: Side, worker: Worker, persist: PersistSpec | undefined) {
    recoveries[side].reset();
    const { experiment } = state();
    const spec: RunSpec = { config: experiment.configs[side], seeds: seedList(experiment.seedCount), ...(persist ? { persist } : {}) };
    await follow(side, worker, { ...spec, runId: persist?.runId ?? null }, (onMetrics, onSnapshot) => worker.client.start(spec, onMetrics, onSnapshot));
  }

  /** A saved run continued on `worker`, its metrics history shown first. */
  async function resumeOn(side: Side, worker: Worker, runId: string, notice?: string) {
    const runs = await runStore;
    const record = await runs?.get(runId);
    if (!runs || !record) return fail(side, `the saved run ${runId} is gone`);
    const history = await runs.metrics(runId);
    const upTo = record.checkpointStep ?? 0;
    await follow(side, worker, { config: record.config, seeds: record.seeds, runId, notice, checkpointStep: record.checkpointStep }, (onMetrics, onSnapshot) => {
      const perSeed = history.map(({ seed, metrics }) => ({ seed, metrics: metrics.filter((m) => m.step <= upTo) }));
      // The worker's clock starts again at 0: the pace shown counts only the resumed stretch.
      state().addMetrics(side, { perSeed, step: upTo, totalSteps: record.totalSteps, elapsedMs: 0 });
      state().patchRuntime(side, { resumedFrom: { step: upTo, elapsedMs: record.elapsedMs } });
      return worker.client.resumeRun(runId, onMetrics, onSnapshot);
    });
  }

  /**
   * A worker that threw or died: reported in plain words; a saved run it was training starts again
   * on a fresh worker (same backend and data) from its last checkpoint.
   */
  async function recover(side: Side, client: LabClient, why: string) {
    const worker = workers[side];
    if (!worker || worker.client !== client) return;
    const { runId, phase } = state().runtime[side];
    const record = runId ? await (await runStore)?.get(runId) : undefined;
    if (!runId || !isActive(phase) || record?.checkpointStep == null) {
      fail(side, `the ${SIDE_NAMES[side]} worker failed: ${why}`);
      return;
    }
    if (!recoveries[side].take()) {
      fail(side, recoveries[side].givingUp(SIDE_NAMES[side], why));
      // The run is left as its last checkpoint: the list shows it interrupted, to be resumed.
      void refreshLibrary();
      return;
    }
    // A lost GPU device is likely to be lost again: the fresh worker starts on the next backend.
    const from = state().runtime[side].ready?.backend.name;
    const next = /device (was |is )?lost|lost device/i.test(why) && from ? BACKEND_ORDER[BACKEND_ORDER.indexOf(from) + 1] : undefined;
    const options = next ? { ...worker.options, backend: next } : worker.options;
    const notice = `The ${SIDE_NAMES[side]} worker failed (${why}). A fresh worker${next ? ` on ${next}` : ''} resumed the run from its checkpoint at step ${record.checkpointStep}.`;
    state().patchRuntime(side, { notice });
    client.terminate();
    workers[side] = null;
    const fresh = workerFor(side, options);
    if (await fresh.ready) await resumeOn(side, fresh, runId, notice);
  }

  /** What a side's run is saved as: its comparison, name, the link that sets the page up again, and its data. */
  function persistSpec(side: Side, comparisonId: string): PersistSpec {
    const s = state();
    const { experiment } = s;
    const data: RunData =
      experiment.dataset === 'mnist'
        ? { kind: 'mnist', trainLimit: experiment.trainLimit }
        : { kind: 'shards', location: experiment.shards ?? PICKED_FILES, name: s.runtime[side].ready?.data.name ?? 'activation shards' };
    return {
      runId: newRunId(),
      comparisonId,
      side,
      link: serializeUrlState(urlStateOf(s)),
      name: comparisonName(matchingPreset(experiment)?.title ?? 'Custom experiment', experiment.configs, experiment.compare),
      data,
      checkpointEveryMs: experiment.checkpointSeconds * 1000,
    };
  }

  async function refreshLibrary() {
    const runs = await runStore;
    if (!runs) return state().setLibrary({ available: false });
    const live = new Set(state().runtime.flatMap((r) => (r.runId && isActive(r.phase) ? [r.runId] : [])));
    const [records, usage] = await Promise.all([runs.list(), storageUsage().catch(() => null)]);
    state().setLibrary({ available: true, comparisons: groupComparisons(markInterrupted(records, live)), usage });
  }

  const activeWorkers = () => activeSides(state().experiment).flatMap((side) => (workers[side] ? [{ side, worker: workers[side] }] : []));

  async function prepare() {
    const { experiment } = state();
    if (trainLimitProblem(experiment.trainLimit)) return;
    const options = initOptions();
    if (!options) return;
    const sides = activeSides(experiment);
    if (experiment.dataset === 'shards') {
      if (sides.every((side) => workers[side] && sameOptions(workers[side].options, options))) return;
      await loadShardWorkers(experiment, pickedShards);
      return;
    }
    await Promise.all(sides.map((side) => workerFor(side, options).ready));
  }

  async function arrive() {
    await refreshLibrary();
    const { library } = state();
    const interrupted = interruptedComparison(library.comparisons);
    if (interrupted) {
      state().setLibrary({ arrival: interrupted });
      await prepare();
      return;
    }
    await prepare();
    const { experiment } = state();
    if (!experiment.autostart || !isStartable(experiment)) return;
    const twin = finishedTwin(library.comparisons, serializeUrlState(urlStateOf(state())), activeSides(experiment).length);
    if (!twin) return controller.start();
    const runs = library.comparisons.find((c) => c.id === twin.comparisonId)!.runs;
    await controller.openSaved(runs[0].id, runs[1]?.id ?? null);
    state().setLibrary({ arrival: twin });
  }

  const controller: LabController = {
    arrive,

    prepare,

    async start() {
      if (!isStartable(state().experiment)) return;
      state().setLibrary({ arrival: null });
      await prepare();
      const options = initOptions();
      if (!options) return;
      const sides = activeSides(state().experiment);
      if (state().experiment.dataset === 'shards' && sides.some((side) => !workers[side] || !sameOptions(workers[side].options, options))) return;
      const prepared = sides.map((side) => ({ side, worker: workerFor(side, options) }));
      // A run still going on a side is stopped first; start() on the worker also stops it, but the page must not show two runs.
      for (const { side, worker } of prepared) if (isActive(state().runtime[side].phase)) void worker.client.api.stop();
      const saving = (await runStore) !== null;
      const comparisonId = newRunId();
      await Promise.all(
        prepared.map(async ({ side, worker }) => {
          if (await worker.ready) await train(side, worker, saving ? persistSpec(side, comparisonId) : undefined);
        }),
      );
    },

    refreshLibrary,

    async renameComparison(comparisonId, name) {
      const runs = await runStore;
      const comparison = state().library.comparisons.find((c) => c.id === comparisonId);
      if (!runs || !comparison) return;
      try {
        // A run a worker trains is renamed by that worker, the only writer of its record: a name
        // written here would be undone at its next checkpoint. The others are the page's to write.
        for (const run of comparison.runs) {
          const holder = workers[run.side];
          const renamed = holder !== null && state().runtime[run.side].runId === run.id && (await holder.client.api.renameRun(run.id, name));
          if (!renamed) await runs.rename(run.id, name);
        }
        state().setLibrary({ problem: null });
      } catch (e) {
        state().setLibrary({ problem: message(e) });
      }
      await refreshLibrary();
    },

    async deleteComparison(comparisonId) {
      const runs = await runStore;
      const comparison = state().library.comparisons.find((c) => c.id === comparisonId);
      if (!runs || !comparison) return;
      // A worker would write a live run back at its next checkpoint: it must end first.
      const live = comparison.runs.find((run) => state().runtime[run.side].runId === run.id && isActive(state().runtime[run.side].phase));
      if (live) return state().setLibrary({ problem: `"${live.name}" is still training: stop it before deleting it` });
      for (const run of comparison.runs) await runs.delete(run.id);
      await refreshLibrary();
    },

    async openSaved(runA, runB) {
      const runs = await runStore;
      if (!runs) return;
      const records = await Promise.all([runs.get(runA), runB ? runs.get(runB) : Promise.resolve(undefined)]);
      const [a, b] = records;
      if (!a || (runB && !b)) return state().setLibrary({ problem: 'that saved run is gone: refresh the list' });
      if (b && (JSON.stringify(a.data) !== JSON.stringify(b.data) || a.config.d_in !== b.config.d_in)) {
        return state().setLibrary({ problem: `"${a.name}" and "${b.name}" trained on different data: only runs on the same data can be compared` });
      }
      if (a.data.kind === 'shards' && a.data.location === PICKED_FILES && !pickedShards) {
        return state().setLibrary({ problem: `"${a.name}" trained on shards picked from this computer: pick the same files again (Data panel), then open it.` });
      }
      const { state: linked } = parseUrlState(a.link);
      const configs: Experiment['configs'] = [a.config, b ? b.config : a.config];
      const seedCount = Math.min(a.seeds.length, b?.seeds.length ?? Infinity);
      state().setExperiment({ ...linked.experiment, autostart: false, compare: b !== undefined, configs, seedCount });
      state().setLibrary({ problem: null });
      await prepare();
      await Promise.all(
        ([a, b] as const).map(async (record, side) => {
          const worker = workers[side];
          if (!record || !worker || !(await worker.ready)) return;
          const history = await runs.metrics(record.id);
          await follow(side as Side, worker, { config: record.config, seeds: record.seeds, runId: record.id, training: false, checkpointStep: record.checkpointStep }, (_onMetrics, onSnapshot) => {
            state().addMetrics(side as Side, { perSeed: history, step: record.step, totalSteps: record.totalSteps, elapsedMs: record.elapsedMs });
            return worker.client.openRun(record.id, onSnapshot);
          });
        }),
      );
    },

    async importSaes(side, files) {
      await prepare();
      const worker = workers[side];
      if (!worker || !(await worker.ready)) return state().setLibrary({ problem: `configuration ${SIDE_NAMES[side]} has no worker: load the data first` });
      try {
        const imported = await worker.client.api.importSaes(files);
        const seeds = imported.snapshot.seeds;
        const configs: Experiment['configs'] = [...state().experiment.configs];
        configs[side] = imported.config;
        state().setExperiment({ configs, seedCount: seeds.length, autostart: false });
        state().setLibrary({ problem: null });
        await follow(side, worker, { config: imported.config, seeds, runId: null, training: false }, async (_onMetrics, onSnapshot) => {
          onSnapshot(imported.snapshot);
          return { reason: 'done', step: 0, elapsedMs: 0 };
        });
        state().patchRuntime(side, { notice: `Imported ${imported.names.join(', ')} as ${seeds.length === 1 ? 'seed' : 'seeds'} ${seeds.join(', ')}.` });
      } catch (e) {
        state().setLibrary({ problem: `import failed: ${message(e)}` });
      }
    },

    async resumeComparison(comparisonId) {
      const comparison = state().library.comparisons.find((c) => c.id === comparisonId);
      if (!comparison) return;
      state().setLibrary({ arrival: null });
      const first = comparison.runs[0];
      if (first.data.kind === 'shards' && first.data.location === PICKED_FILES && !pickedShards) {
        state().setLibrary({ problem: `"${first.name}" trained on shards picked from this computer: pick the same files again (Data panel), then Resume.` });
        return;
      }
      const { state: linked } = parseUrlState(first.link);
      // The saved configurations, not the link's: a record of an older version reads as it trained.
      const configs: Experiment['configs'] = [comparison.runs[0].config, (comparison.runs[1] ?? comparison.runs[0]).config];
      state().setExperiment({ ...linked.experiment, autostart: false, compare: comparison.runs.length > 1, configs });
      state().setLibrary({ problem: null });
      await prepare();
      await Promise.all(
        comparison.runs.map(async (run) => {
          const worker = workers[run.side];
          // A Resume by hand gets a fresh set of recoveries, whatever the run went through before.
          recoveries[run.side].reset();
          if (worker && (await worker.ready)) await resumeOn(run.side, worker, run.id);
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
            const text = state().experiment.dataset === 'shards';
            const steeringSuccess = await worker.client.api.steeringSuccess(seed, text ? { alpha: state().textSteer.alpha, judge: judgeSettings() } : undefined);
            state().patchRuntime(side, { steeringSuccess, measuringSteering: false });
          } catch (e) {
            state().patchRuntime(side, { measuringSteering: false, error: `steering success: ${message(e)}` });
          }
        }),
      );
    },

    async chooseShards(choice) {
      const files = choice.kind === 'files' ? choice.files : pickedShards;
      const loaded = await loadShardWorkers({ ...state().experiment, shards: locationOf(choice) }, files);
      if (loaded && choice.kind === 'files') pickedShards = choice.files;
      return loaded;
    },

    async chooseModel(choice) {
      const source = modelSource(locationOf(choice), choice.kind === 'files' ? choice.files : pickedModel);
      if (!source) return false;
      const loaded = await loadModelInto(source);
      if (loaded) {
        if (choice.kind === 'files') pickedModel = choice.files;
        state().setExperiment({ model: locationOf(choice) });
      }
      return loaded;
    },

    async generate() {
      const { selection, textSteer } = state();
      const worker = workers[selection.side];
      if (!worker || selection.feature === null) return;
      const { side, seed, feature } = selection;
      state().setInspection({ generating: true });
      try {
        const textSteering = await worker.client.api.steerText(seed, feature, textSteer);
        if (stillSelected(state().selection, side, seed, feature)) state().setInspection({ textSteering });
      } catch (e) {
        state().patchRuntime(side, { error: `steering: ${message(e)}` });
      } finally {
        state().setInspection({ generating: false });
      }
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
  return controller;
}
