/**
 * Connects the store to the lab workers, one per configuration: starts them, forwards what they
 * stream into the store, and fetches what the selection needs (a heatmap matrix, a feature's
 * details, a steering strip) as the selection changes or new weights arrive. Requests the workers
 * answer slower than the page asks are coalesced, so they never queue up.
 *
 * A facade over parts that each own one thing (src/ui/controller/): a side runner per configuration
 * (its worker, watchdog and recovery), the data sources, the run library and the selection fetchers.
 */
import type { JudgeSettings } from '../runtime/protocol/lab-api';
import type { LabClient } from '../runtime/page/lab-client';
import type { RunStore } from '../runtime/storage/run-store';
import { newRunId } from '../runtime/storage/run-store';
import { createDataSources, type DataChoice } from './controller/data-sources';
import { createMetricsThrottle } from './controller/metrics-throttle';
import { createRunLibrary, persistSpec } from './controller/run-library';
import { createSelectionFetchers } from './controller/selection-fetchers';
import { createSideRunner, sameOptions, type SideRunner, type StartWorker, type Worker } from './controller/side-runner';
import { errorMessage } from './lib/error-message';
import { activeSides, isStartable, SIDE_NAMES, trainLimitProblem, type Experiment, type Side } from './store/experiment';
import type { LabStore } from './store/lab-store';
import { isActive } from './store/runtime';

export { sampleModelPath, sampleShardsPath, type DataChoice } from './controller/data-sources';
export type { StartWorker } from './controller/side-runner';

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
  /** Labelled shards: every feature's most common document label among its top contexts, for the selected side and seed. */
  findFeatureLabels(): Promise<void>;
  /**
   * Loads activation shards into fresh workers: the synthetic sample, a manifest URL or picked files.
   * Only once every worker has loaded them do they replace the current ones, so a bad file costs
   * nothing already loaded or trained. Resolves to whether the load succeeded.
   */
  chooseShards(choice: DataChoice): Promise<boolean>;
  /** Loads a GPT-NeoX model into every worker (replacing a previous one only once loaded). */
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
  /** SAE folders (any layout of the registry) as the seeds of configuration `side`, aligned with progress. */
  importSaes(side: Side, files: File[]): Promise<void>;
  /** Ends that import between two folders or two seed pairs; what was shown before stays. */
  cancelImport(side: Side): void;
  /** One seed's SAE of one configuration, in SAELens layout. */
  exportSeed: (side: Side, seed: number) => ReturnType<LabClient['api']['exportSaeLens']>;
  dispose(): void;
}

/**
 * `openRuns` opens the run store on the page (the library); the workers open their own to save runs.
 * Without one (null), nothing is saved or listed.
 */
export function createLabController(store: LabStore, startWorker: StartWorker, appBaseUrl: string, openRuns: () => Promise<RunStore | null> = async () => null): LabController {
  const state = store.getState;
  const runStore = openRuns().catch(() => null);
  const metrics = createMetricsThrottle(store);
  const runners: SideRunner[] = ([0, 1] as Side[]).map((side) =>
    createSideRunner(side, {
      store,
      startWorker,
      runStore,
      metrics,
      dataArrived: (d_model) => data.dataArrived(d_model),
      showSnapshot: (side, snapshot) => fetchers.showSnapshot(side, snapshot),
      refreshLibrary: () => library.refresh(),
    }),
  );
  const activeWorkers = () => activeSides(state().experiment).flatMap((side) => (runners[side].worker ? [{ side, worker: runners[side].worker }] : []));
  const data = createDataSources({ store, startWorker, appBaseUrl, runners, activeWorkers });
  const fetchers = createSelectionFetchers(store, (side) => runners[side].worker);
  const library = createRunLibrary({ store, runStore, runners, pickedShards: () => data.pickedShards, prepare, start });

  /** The judge's endpoint when the person turned it on (language-model data only). */
  function judgeSettings(): JudgeSettings | undefined {
    const { judge, experiment } = state();
    if (!judge.enabled || experiment.dataset !== 'lm') return undefined;
    return { baseUrl: judge.baseUrl.trim(), model: judge.model.trim(), ...(judge.apiKey ? { apiKey: judge.apiKey } : {}) };
  }

  /** Whether every active side has a worker started with these options. */
  const allServe = (sides: Side[], options: NonNullable<ReturnType<typeof data.initOptions>>) =>
    sides.every((side) => {
      const worker = runners[side].worker;
      return worker !== null && sameOptions(worker.options, options);
    });

  async function prepare() {
    const { experiment } = state();
    if (trainLimitProblem(experiment.trainLimit)) return;
    const options = data.initOptions();
    if (!options) return;
    const sides = activeSides(experiment);
    if (experiment.dataset === 'lm') {
      if (allServe(sides, options)) return;
      await data.loadShardWorkers(experiment, data.pickedShards);
      return;
    }
    await Promise.all(sides.map((side) => runners[side].workerFor(options).ready));
  }

  async function start() {
    if (!isStartable(state().experiment)) return;
    state().setLibrary({ arrival: null });
    await prepare();
    const options = data.initOptions();
    if (!options) return;
    const sides = activeSides(state().experiment);
    if (state().experiment.dataset === 'lm' && !allServe(sides, options)) return;
    const prepared: { runner: SideRunner; worker: Worker }[] = sides.map((side) => ({ runner: runners[side], worker: runners[side].workerFor(options) }));
    // A run still going on a side is stopped first; start() on the worker also stops it, but the page must not show two runs.
    for (const { runner, worker } of prepared) if (isActive(state().runtime[runner.side].phase)) void worker.client.api.stop();
    const saving = (await runStore) !== null;
    const comparisonId = newRunId();
    await Promise.all(
      prepared.map(async ({ runner, worker }) => {
        if (await worker.ready) await runner.train(worker, saving ? persistSpec(state(), runner.side, comparisonId) : undefined);
      }),
    );
  }

  return {
    arrive: library.arrive,
    prepare,
    start,
    refreshLibrary: library.refresh,
    renameComparison: library.rename,
    deleteComparison: library.delete,
    openSaved: library.openSaved,
    resumeComparison: library.resumeComparison,
    chooseShards: data.chooseShards,
    chooseModel: data.chooseModel,
    generate: fetchers.generate,

    async importSaes(side, files) {
      await prepare();
      const runner = runners[side];
      const worker = runner.worker;
      if (!worker || !(await worker.ready)) return state().setLibrary({ problem: `configuration ${SIDE_NAMES[side]} has no worker: load the data first` });
      try {
        state().patchRuntime(side, { importing: { phase: 'reading', done: 0, total: 0, name: '' } });
        const imported = await worker.client.importSaes(files, (importing) => state().patchRuntime(side, { importing }));
        const seeds = imported.snapshot.seeds;
        const configs: Experiment['configs'] = [...state().experiment.configs];
        configs[side] = imported.config;
        state().setExperiment({ configs, seedCount: seeds.length, autostart: false });
        state().setLibrary({ problem: null });
        await runner.follow(worker, { config: imported.config, seeds, runId: null, training: false, imported: true }, async (_onMetrics, onSnapshot) => {
          onSnapshot(imported.snapshot);
          return { reason: 'done', step: 0, elapsedMs: 0 };
        });
        state().patchRuntime(side, { notice: `Imported ${imported.names.join(', ')} as ${seeds.length === 1 ? 'seed' : 'seeds'} ${seeds.join(', ')}.${imported.note ? ` ${imported.note}` : ''}` });
      } catch (e) {
        state().setLibrary({ problem: `import into ${SIDE_NAMES[side]} failed: ${errorMessage(e)}` });
      } finally {
        state().patchRuntime(side, { importing: null });
      }
    },

    cancelImport(side) {
      void runners[side].worker?.client.api.cancelImport();
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
            const lm = state().experiment.dataset === 'lm';
            const steeringSuccess = await worker.client.api.steeringSuccess(seed, lm ? { alpha: state().lmSteer.alpha, judge: judgeSettings() } : undefined);
            state().patchRuntime(side, { steeringSuccess, measuringSteering: false });
          } catch (e) {
            state().patchRuntime(side, { measuringSteering: false, error: `steering success: ${errorMessage(e)}` });
          }
        }),
      );
    },

    async findFeatureLabels() {
      const { side, seed } = state().selection;
      const worker = runners[side].worker;
      if (!worker || !state().runtime[side].snapshot) return;
      state().patchRuntime(side, { findingLabels: true });
      try {
        const featureLabels = await worker.client.api.lmFeatureLabels(seed);
        state().patchRuntime(side, { featureLabels, findingLabels: false });
      } catch (e) {
        state().patchRuntime(side, { findingLabels: false, error: `feature labels: ${errorMessage(e)}` });
      }
    },

    exportSeed(side, seed) {
      const worker = runners[side].worker;
      if (!worker) return Promise.reject(new Error(`configuration ${SIDE_NAMES[side]} has no worker`));
      return worker.client.api.exportSaeLens(seed);
    },

    dispose() {
      fetchers.dispose();
      metrics.dispose();
      for (const runner of runners) runner.terminate();
    },
  };
}
