/**
 * The page's one store: the experiment (serialised to the URL), each configuration's runtime
 * (what its worker reported) and the selection with what was fetched for it. Actions only record;
 * the controller (src/ui/lab-controller.ts) talks to the workers and calls them.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TrainConfig } from '../../core/train/config';
import type { FeatureDetails, LabMetricsUpdate, LabSnapshot, SteeringResult } from '../../runtime/lab-api';
import { configField } from './config-fields';
import type { Experiment, Side } from './experiment';
import { presetById, type PresetId } from './presets';
import { initialRuntime, metricsArrived, runStarted, type RunInfo, type SideRuntime } from './runtime';
import { clampSelection, defaultSelection, type Selection } from './selection';
import { defaultUrlState, type UrlState } from './url-state';

/** What was fetched from a worker for the selection; cleared when the selection moves on. */
export interface Inspection {
  details: FeatureDetails | null;
  steering: SteeringResult | null;
}

export interface LabState {
  experiment: Experiment;
  /** Why parts of the URL were ignored (shown under the controls until dismissed). */
  urlNotes: string[];
  runtime: [SideRuntime, SideRuntime];
  selection: Selection;
  inspection: Inspection;

  // The experiment.
  setExperiment(patch: Partial<Experiment>): void;
  setConfig(side: Side, config: TrainConfig): void;
  /** Sets one field (config-fields.ts) of the given sides from text; returns why the text was refused, or null. */
  setConfigField(sides: readonly Side[], key: string, raw: string): string | null;
  applyPreset(id: PresetId): void;
  dismissUrlNotes(): void;

  // Runtime, fed by the controller.
  patchRuntime(side: Side, patch: Partial<SideRuntime>): void;
  startRun(side: Side, run: RunInfo): void;
  addMetrics(side: Side, update: LabMetricsUpdate): void;
  setSnapshot(side: Side, snapshot: LabSnapshot): void;

  // Selection and what was fetched for it.
  select(patch: Partial<Selection>): void;
  /** A feature of a given configuration and seed (a grid tile, a heatmap cell, a partner). */
  selectFeature(side: Side, seed: number, feature: number | null): void;
  setInspection(patch: Partial<Inspection>): void;
}

export type LabStore = StoreApi<LabState>;

const EMPTY_INSPECTION: Inspection = { details: null, steering: null };

/** A fresh store; `initial` is usually what the URL said (default: the default experiment). */
export function createLabStore(initial: UrlState = defaultUrlState(), urlNotes: string[] = []): LabStore {
  return createStore<LabState>()((set, get) => {
    const updateRuntime = (side: Side, update: (r: SideRuntime) => SideRuntime) =>
      set((s) => {
        const runtime: [SideRuntime, SideRuntime] = [...s.runtime];
        runtime[side] = update(runtime[side]);
        return { runtime };
      });
    // A selection that no longer fits the experiment (fewer seeds, a narrower width) is pulled back.
    const setExperimentAndClamp = (experiment: Experiment) =>
      set((s) => ({ experiment, selection: clampSelection(s.selection, experiment.seedCount) }));

    return {
      experiment: initial.experiment,
      urlNotes,
      runtime: [initialRuntime(), initialRuntime()],
      selection: clampSelection({ ...defaultSelection(), ...initial.link }, initial.experiment.seedCount),
      inspection: EMPTY_INSPECTION,

      setExperiment: (patch) => setExperimentAndClamp({ ...get().experiment, ...patch }),

      setConfig(side, config) {
        const configs: Experiment['configs'] = [...get().experiment.configs];
        configs[side] = config;
        setExperimentAndClamp({ ...get().experiment, configs });
      },

      setConfigField(sides, key, raw) {
        const field = configField(key);
        const configs: Experiment['configs'] = [...get().experiment.configs];
        for (const side of sides) {
          const next = field.set(configs[side], raw);
          if (typeof next === 'string') return next;
          configs[side] = next;
        }
        setExperimentAndClamp({ ...get().experiment, configs });
        return null;
      },

      applyPreset: (id) => setExperimentAndClamp({ ...get().experiment, ...presetById(id).experiment() }),
      dismissUrlNotes: () => set({ urlNotes: [] }),

      patchRuntime: (side, patch) => updateRuntime(side, (r) => ({ ...r, ...patch })),

      startRun(side, run) {
        updateRuntime(side, (r) => runStarted(r, run));
        // The selected feature may not exist in the new run; what was fetched belongs to the old one.
        const { selection } = get();
        if (selection.side === side && selection.feature !== null && selection.feature >= run.config.d_sae) {
          set({ selection: { ...selection, feature: null } });
        }
        if (selection.side === side) set({ inspection: EMPTY_INSPECTION });
      },

      addMetrics: (side, update) => updateRuntime(side, (r) => metricsArrived(r, update)),
      setSnapshot: (side, snapshot) => updateRuntime(side, (r) => ({ ...r, snapshot })),

      select: (patch) => set((s) => ({ selection: clampSelection({ ...s.selection, ...patch }, s.experiment.seedCount) })),

      selectFeature(side, seed, feature) {
        const { selection } = get();
        const sameView = selection.side === side && selection.seed === seed && selection.feature === feature;
        if (sameView) return;
        const samePlace = selection.side === side && selection.seed === seed;
        set({
          selection: { ...selection, side, seed, feature },
          // Steering belongs to the feature; details of a feature elsewhere are stale at once.
          inspection: samePlace ? { ...get().inspection, steering: null } : EMPTY_INSPECTION,
        });
      },

      setInspection: (patch) => set((s) => ({ inspection: { ...s.inspection, ...patch } })),
    };
  });
}

/** The state the URL encodes, taken from the store. */
export function urlStateOf(state: Pick<LabState, 'experiment' | 'selection'>): UrlState {
  const { side, seed, feature, digit } = state.selection;
  return { experiment: state.experiment, link: { side, seed, feature, digit } };
}
