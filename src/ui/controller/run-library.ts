/**
 * The saved runs, as the page sees them: the list (with the storage it uses), renaming and deleting a
 * comparison, opening saved runs without training them, resuming an interrupted comparison, and what
 * a first visit does with what it finds saved (see ../arrival.ts).
 */
import type { PersistSpec, RunData } from '../../runtime/protocol/run-records';
import { groupComparisons, markInterrupted, newRunId, storageUsage, type RunStore } from '../../runtime/storage/run-store';
import { finishedTwin, interruptedComparison } from '../arrival';
import { comparisonName } from '../labels';
import { errorMessage } from '../lib/error-message';
import { activeSides, isStartable, PICKED_FILES, type Experiment, type Side } from '../store/experiment';
import { urlStateOf, type LabState, type LabStore } from '../store/lab-store';
import { matchingPreset } from '../store/presets';
import { isActive } from '../store/runtime';
import { parseUrlState, serializeUrlState } from '../store/url-state';
import type { SideRunner } from './side-runner';

export interface RunLibrary {
  /** Reads the saved runs (and the storage they use) into the store, marking those left behind as interrupted. */
  refresh(): Promise<void>;
  rename(comparisonId: string, name: string): Promise<void>;
  delete(comparisonId: string): Promise<void>;
  /** Shows saved runs without training them: one as A, and optionally another as B. */
  openSaved(runA: string, runB: string | null): Promise<void>;
  /** Sets the page up as the saved comparison was, loads its data, and continues each run from its checkpoint. */
  resumeComparison(comparisonId: string): Promise<void>;
  /**
   * A visit to the page: prepares the workers, then trains unless the link says auto=0, an interrupted
   * newest run is offered for Resume instead, or this experiment's finished twin is opened instead.
   */
  arrive(): Promise<void>;
}

export interface RunLibraryDeps {
  store: LabStore;
  /** The run store on the page; null where nothing is saved. */
  runStore: Promise<RunStore | null>;
  runners: readonly SideRunner[];
  /** Shard files the person picked (a run trained on picked files needs them picked again). */
  pickedShards(): File[] | null;
  prepare(): Promise<void>;
  start(): Promise<void>;
}

/** What a side's run is saved as: its comparison, name, the link that sets the page up again, and its data. */
export function persistSpec(s: LabState, side: Side, comparisonId: string): PersistSpec {
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

export function createRunLibrary({ store, runStore, runners, pickedShards, prepare, start }: RunLibraryDeps): RunLibrary {
  const state = store.getState;

  async function refresh() {
    const runs = await runStore;
    if (!runs) return state().setLibrary({ available: false });
    const live = new Set(state().runtime.flatMap((r) => (r.runId && isActive(r.phase) ? [r.runId] : [])));
    const [records, usage] = await Promise.all([runs.list(), storageUsage().catch(() => null)]);
    state().setLibrary({ available: true, comparisons: groupComparisons(markInterrupted(records, live)), usage });
  }

  async function openSaved(runA: string, runB: string | null) {
    const runs = await runStore;
    if (!runs) return;
    const records = await Promise.all([runs.get(runA), runB ? runs.get(runB) : Promise.resolve(undefined)]);
    const [a, b] = records;
    if (!a || (runB && !b)) return state().setLibrary({ problem: 'that saved run is gone: refresh the list' });
    if (b && (JSON.stringify(a.data) !== JSON.stringify(b.data) || a.config.d_in !== b.config.d_in)) {
      return state().setLibrary({ problem: `"${a.name}" and "${b.name}" trained on different data: only runs on the same data can be compared` });
    }
    if (a.data.kind === 'shards' && a.data.location === PICKED_FILES && !pickedShards()) {
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
        const runner = runners[side];
        const worker = runner.worker;
        if (!record || !worker || !(await worker.ready)) return;
        const history = await runs.metrics(record.id);
        await runner.follow(worker, { config: record.config, seeds: record.seeds, runId: record.id, training: false, checkpointStep: record.checkpointStep }, (_onMetrics, onSnapshot) => {
          state().addMetrics(side as Side, { perSeed: history, step: record.step, totalSteps: record.totalSteps, elapsedMs: record.elapsedMs });
          return worker.client.openRun(record.id, onSnapshot);
        });
      }),
    );
  }

  return {
    refresh,
    openSaved,

    async rename(comparisonId, name) {
      const runs = await runStore;
      const comparison = state().library.comparisons.find((c) => c.id === comparisonId);
      if (!runs || !comparison) return;
      try {
        // A run a worker trains is renamed by that worker, the only writer of its record: a name
        // written here would be undone at its next checkpoint. The others are the page's to write.
        for (const run of comparison.runs) {
          const holder = runners[run.side].worker;
          const renamed = holder !== null && state().runtime[run.side].runId === run.id && (await holder.client.api.renameRun(run.id, name));
          if (!renamed) await runs.rename(run.id, name);
        }
        state().setLibrary({ problem: null });
      } catch (e) {
        state().setLibrary({ problem: errorMessage(e) });
      }
      await refresh();
    },

    async delete(comparisonId) {
      const runs = await runStore;
      const comparison = state().library.comparisons.find((c) => c.id === comparisonId);
      if (!runs || !comparison) return;
      // A worker would write a live run back at its next checkpoint: it must end first.
      const live = comparison.runs.find((run) => state().runtime[run.side].runId === run.id && isActive(state().runtime[run.side].phase));
      if (live) return state().setLibrary({ problem: `"${live.name}" is still training: stop it before deleting it` });
      for (const run of comparison.runs) await runs.delete(run.id);
      await refresh();
    },

    async resumeComparison(comparisonId) {
      const comparison = state().library.comparisons.find((c) => c.id === comparisonId);
      if (!comparison) return;
      state().setLibrary({ arrival: null });
      const first = comparison.runs[0];
      if (first.data.kind === 'shards' && first.data.location === PICKED_FILES && !pickedShards()) {
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
          const runner = runners[run.side];
          const worker = runner.worker;
          // A Resume by hand gets a fresh set of recoveries, whatever the run went through before.
          runner.resetRecoveries();
          if (worker && (await worker.ready)) await runner.resumeOn(worker, run.id);
        }),
      );
    },

    async arrive() {
      await refresh();
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
      if (!twin) return start();
      const runs = library.comparisons.find((c) => c.id === twin.comparisonId)!.runs;
      await openSaved(runs[0].id, runs[1]?.id ?? null);
      state().setLibrary({ arrival: twin });
    },
  };
}
