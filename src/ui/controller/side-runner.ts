/**
 * One configuration's worker and the runs on it: starts the worker, follows a run's messages into the
 * store, watches a training worker that may have died without a word, and resumes a saved run on a
 * fresh worker when the old one fails.
 */
import type { LabInitOptions, LabMetricsUpdate, LabSnapshot, RunSpec } from '../../runtime/protocol/lab-api';
import type { LabClient } from '../../runtime/page/lab-client';
import type { PersistSpec } from '../../runtime/protocol/run-records';
import type { RunStore } from '../../runtime/storage/run-store';
import type { RunEnd } from '../../runtime/protocol/trainer-api';
import { BACKEND_ORDER } from '../../runtime/protocol/backend-types';
import { errorMessage } from '../lib/error-message';
import { seedList, SIDE_NAMES, type Side } from '../store/experiment';
import type { LabStore } from '../store/lab-store';
import { initialRuntime, isActive, stepsPerSecond, type RunInfo } from '../store/runtime';
import { RecoveryBudget, watchWorker } from '../worker-watchdog';
import type { MetricsThrottle } from './metrics-throttle';

/** Whether a worker started with `a` can serve an experiment that needs `b`. */
export function sameOptions(a: LabInitOptions, b: LabInitOptions): boolean {
  const sameShards =
    a.shards === b.shards ||
    (a.shards?.kind === 'url' && b.shards?.kind === 'url' && a.shards.manifestUrl === b.shards.manifestUrl) ||
    (a.shards?.kind === 'files' && b.shards?.kind === 'files' && a.shards.files === b.shards.files);
  return a.backend === b.backend && a.trainLimit === b.trainLimit && sameShards;
}

export type StartWorker = (name: string, onCrash: (message: string) => void) => LabClient;

/** What a worker reports once its backend is chosen and its data loaded. */
export type InitReport = Awaited<ReturnType<LabClient['init']>>;

export interface Worker {
  client: LabClient;
  /** What it was initialised with: a different backend or data limit needs a fresh worker. */
  options: LabInitOptions;
  ready: Promise<boolean>;
}

/** What the page shows about a run it follows, beyond its configuration and seeds. */
export type FollowInfo = RunInfo & { runId: string | null; notice?: string; training?: boolean; checkpointStep?: number | null };

/** Sets a run going on the worker with the given message handlers; resolves when it ends. */
export type BeginRun = (onMetrics: (u: LabMetricsUpdate) => void, onSnapshot: (s: LabSnapshot) => void) => Promise<RunEnd>;

export interface SideRunnerDeps {
  store: LabStore;
  startWorker: StartWorker;
  runStore: Promise<RunStore | null>;
  metrics: MetricsThrottle;
  /** A worker loaded shards of this width. */
  dataArrived(d_model: number): void;
  /** New weights from the side's current run. */
  showSnapshot(side: Side, snapshot: LabSnapshot): void;
  /** The saved runs changed (a run's first checkpoint, its end, a run given up): the library is read again. */
  refreshLibrary(): Promise<void>;
}

export interface SideRunner {
  readonly side: Side;
  /** The side's current worker; null before the first one and after terminate(). */
  readonly worker: Worker | null;
  /** Whether `client` is the side's current worker (a replaced one's crash is no longer this side's concern). */
  owns(client: LabClient): boolean;
  /** The current worker if it was started with the same options, otherwise a fresh one (the old one ends). */
  workerFor(options: LabInitOptions): Worker;
  /** A worker that was started and loaded elsewhere replaces the current one; a run on the old one is forgotten. */
  install(client: LabClient, options: LabInitOptions, report: InitReport): void;
  /** Trains the experiment's configuration for this side on `worker`, saved when `persist` says how. */
  train(worker: Worker, persist: PersistSpec | undefined): Promise<void>;
  /** Follows one run on a worker (fresh or resumed): its messages go to the store, its end sets the phase. */
  follow(worker: Worker, info: FollowInfo, begin: BeginRun): Promise<void>;
  /** A saved run continued on `worker`, its metrics history shown first. */
  resumeOn(worker: Worker, runId: string, notice?: string): Promise<void>;
  /**
   * A worker that threw or died: reported in plain words; a saved run it was training starts again
   * on a fresh worker (same backend and data) from its last checkpoint.
   */
  recover(client: LabClient, why: string): Promise<void>;
  /** A Resume by hand gets a fresh set of recoveries, whatever the run went through before. */
  resetRecoveries(): void;
  /** Ends the worker for good (the page is going away). */
  terminate(): void;
}

export function createSideRunner(side: Side, deps: SideRunnerDeps): SideRunner {
  const { store, startWorker, runStore, metrics } = deps;
  const state = store.getState;
  const name = SIDE_NAMES[side];
  let worker: Worker | null = null;
  let runCount = 0;
  /** Crashes recovered from in the current run: a run that keeps failing is given up. */
  const recoveries = new RecoveryBudget();

  const fail = (e: unknown) => state().patchRuntime(side, { phase: 'error', error: errorMessage(e) });

  function workerFor(options: LabInitOptions): Worker {
    const current = worker;
    if (current && sameOptions(current.options, options)) return current;
    current?.client.terminate();
    const client = startWorker(`lab ${name}`, (text) => void recover(client, text));
    state().patchRuntime(side, { phase: 'loading', ready: null, error: null });
    const ready = client.init(options, (progress) => worker?.client === client && state().patchDataLoad({ progress })).then(
      (report) => {
        if (worker?.client !== client) return false;
        state().patchRuntime(side, { phase: 'ready', ready: report });
        if (report.shards) deps.dataArrived(report.shards.d_model);
        return true;
      },
      (e) => {
        fail(e);
        return false;
      },
    );
    const fresh = { client, options, ready };
    worker = fresh;
    return fresh;
  }

  function install(client: LabClient, options: LabInitOptions, report: InitReport) {
    worker?.client.terminate();
    runCount++;
    worker = { client, options, ready: Promise.resolve(true) };
    state().patchRuntime(side, { ...initialRuntime(), phase: 'ready', ready: report });
  }

  async function follow(on: Worker, info: FollowInfo, begin: BeginRun) {
    // Messages of a replaced run may still be on their way: only the newest run's reach the store.
    const run = ++runCount;
    const current = () => runCount === run && worker === on;
    metrics.drop(side);
    // A worker can die without a word (closed, out of memory): a silent one is pinged, and one that
    // does not answer either is recovered.
    const watchdog = watchWorker({
      ping: () => on.client.api.ping(),
      current,
      training: () => state().runtime[side].phase === 'training',
      msPerStep: () => {
        const pace = stepsPerSecond(state().runtime[side]);
        return pace ? 1000 / pace : 0;
      },
      onSilent: () => void recover(on.client, 'it stopped responding'),
    });
    state().startRun(side, info);
    state().patchRuntime(side, { runId: info.runId, notice: info.notice ?? null, checkpointStep: info.checkpointStep ?? null });
    try {
      const end = await begin(
        (update) => {
          if (!current()) return;
          watchdog.heard();
          metrics.queue(side, update);
          if (update.saved) {
            const firstCheckpoint = state().runtime[side].checkpointStep === null && update.saved.checkpointStep !== null;
            state().patchRuntime(side, { storageProblem: update.saved.problem, checkpointStep: update.saved.checkpointStep });
            // The run is now in the store: list it, so it can be renamed while it trains.
            if (firstCheckpoint) void deps.refreshLibrary();
          }
        },
        (snapshot) => {
          watchdog.heard();
          if (current()) deps.showSnapshot(side, snapshot);
        },
      );
      if (!current()) return;
      metrics.flush();
      state().patchRuntime(side, { phase: end.reason, step: end.step, elapsedMs: end.elapsedMs, ...(end.message ? { error: end.message } : {}) });
    } catch (e) {
      // A run that fails while training (a lost WebGPU device, an exception) is a crash like any other.
      if (current()) void (info.training === false ? fail(e) : recover(on.client, errorMessage(e)));
    } finally {
      watchdog.stop();
      if (current()) void deps.refreshLibrary();
    }
  }

  async function train(on: Worker, persist: PersistSpec | undefined) {
    recoveries.reset();
    const { experiment } = state();
    const spec: RunSpec = { config: experiment.configs[side], seeds: seedList(experiment.seedCount), ...(persist ? { persist } : {}) };
    await follow(on, { ...spec, runId: persist?.runId ?? null }, (onMetrics, onSnapshot) => on.client.start(spec, onMetrics, onSnapshot));
  }

  async function resumeOn(on: Worker, runId: string, notice?: string) {
    const runs = await runStore;
    const record = await runs?.get(runId);
    if (!runs || !record) return fail(`the saved run ${runId} is gone`);
    const history = await runs.metrics(runId);
    const upTo = record.checkpointStep ?? 0;
    await follow(on, { config: record.config, seeds: record.seeds, runId, notice, checkpointStep: record.checkpointStep }, (onMetrics, onSnapshot) => {
      const perSeed = history.map(({ seed, metrics }) => ({ seed, metrics: metrics.filter((m) => m.step <= upTo) }));
      // The worker's clock starts again at 0: the pace shown counts only the resumed stretch.
      state().addMetrics(side, { perSeed, step: upTo, totalSteps: record.totalSteps, elapsedMs: 0 });
      state().patchRuntime(side, { resumedFrom: { step: upTo, elapsedMs: record.elapsedMs } });
      return on.client.resumeRun(runId, onMetrics, onSnapshot);
    });
  }

  async function recover(client: LabClient, why: string) {
    const failed = worker;
    if (!failed || failed.client !== client) return;
    const { runId, phase } = state().runtime[side];
    // A record the store refuses (its configuration does not parse) cannot be resumed: the run just fails.
    const record = runId ? await (await runStore)?.get(runId).catch(() => undefined) : undefined;
    if (!runId || !isActive(phase) || record?.checkpointStep == null) {
      fail(`the ${name} worker failed: ${why}`);
      return;
    }
    if (!recoveries.take()) {
      fail(recoveries.givingUp(name, why));
      // The run is left as its last checkpoint: the list shows it interrupted, to be resumed.
      void deps.refreshLibrary();
      return;
    }
    // A lost GPU device is likely to be lost again: the fresh worker starts on the next backend.
    const from = state().runtime[side].ready?.backend.name;
    const next = /device (was |is )?lost|lost device/i.test(why) && from ? BACKEND_ORDER[BACKEND_ORDER.indexOf(from) + 1] : undefined;
    const options = next ? { ...failed.options, backend: next } : failed.options;
    const notice = `The ${name} worker failed (${why}). A fresh worker${next ? ` on ${next}` : ''} resumed the run from its checkpoint at step ${record.checkpointStep}.`;
    state().patchRuntime(side, { notice });
    client.terminate();
    worker = null;
    const fresh = workerFor(options);
    if (await fresh.ready) await resumeOn(fresh, runId, notice);
  }

  return {
    side,
    get worker() {
      return worker;
    },
    owns: (client) => worker?.client === client,
    workerFor,
    install,
    train,
    follow,
    resumeOn,
    recover,
    resetRecoveries: () => recoveries.reset(),
    terminate() {
      worker?.client.terminate();
      worker = null;
    },
  };
}
