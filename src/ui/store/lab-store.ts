/**
 * The page's one store: the experiment (serialised to the URL), each configuration's runtime
 * (what its worker reported) and the selection with what was fetched for it. Actions only record;
 * the controller (src/ui/lab-controller.ts) talks to the workers and calls them.
 */
import type { Arrival } from '../arrival';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { TrainConfig } from '../../core/train/config';
import type { FeatureDetails, LabMetricsUpdate, LabSnapshot, ModelInfo, ShardProgress, SteeringResult, LmFeatureDetails, LmSteeringResult } from '../../runtime/protocol/lab-api';
import { configField } from './config-fields';
import { SAMPLE, type Dataset, type Experiment, type Side } from './experiment';
import type { ComparisonRecord } from '../../runtime/protocol/run-records';
import { DATASET_DEFAULT_PRESET, presetById, type PresetId } from './presets';
import { initialRuntime, metricsArrived, runStarted, snapshotArrived, type RunInfo, type SideRuntime } from './runtime';
import { clampSelection, defaultSelection, movedOn, unzoomedOnNewPair, type CrossPartner, type FeatureRef, type Selection } from './selection';
import { defaultUrlState, type UrlState } from './url-state';

/** What was fetched from a worker for the selection; cleared when the selection moves on. */
export interface Inspection {
  details: FeatureDetails | null;
  steering: SteeringResult | null;
  /** Language-model data: the feature's dashboard, and the latest steered generation. */
  lm: LmFeatureDetails | null;
  lmSteering: LmSteeringResult | null;
  generating: boolean;
}

/** Loading the training data into the workers (shards report progress). A failed load keeps the data before it. */
export interface DataLoad {
  phase: 'idle' | 'loading' | 'ready' | 'error';
  progress: ShardProgress | null;
  error: string | null;
}

/** The GPT-NeoX model in the workers, for contexts, the logit lens and steering. */
export interface ModelLoad {
  phase: 'none' | 'loading' | 'ready' | 'error';
  info: ModelInfo | null;
  error: string | null;
}

/**
 * The optional LLM judge of steering: off by default. Held in the page's memory only — never in the
 * URL or storage — so the key goes nowhere but to the endpoint it was given for.
 */
export interface JudgeForm {
  enabled: boolean;
  baseUrl: string;
  model: string;
  apiKey: string;
}

/** Saved runs (IndexedDB), grouped by comparison, and how much of the site's storage they use. */
export interface Library {
  /** false where the browser offers no IndexedDB (private modes): runs then live only in memory. */
  available: boolean;
  comparisons: ComparisonRecord[];
  usage: { usage: number; quota: number } | null;
  problem: string | null;
  /** What this visit found on arrival (an interrupted run, or this experiment already saved); null once acted on. */
  arrival: Arrival | null;
}

/** The steering playground's settings (language-model data). */
export interface LmSteerSettings {
  prompt: string;
  alpha: number;
  samplingSeed: number;
}

export interface LabState {
  experiment: Experiment;
  /** Why parts of the URL were ignored (shown under the controls until dismissed). */
  urlNotes: string[];
  runtime: [SideRuntime, SideRuntime];
  selection: Selection;
  inspection: Inspection;
  dataLoad: DataLoad;
  modelLoad: ModelLoad;
  lmSteer: LmSteerSettings;
  judge: JudgeForm;
  library: Library;

  // The experiment.
  setExperiment(patch: Partial<Experiment>): void;
  setConfig(side: Side, config: TrainConfig): void;
  /** Sets one field (config-fields.ts) of the given sides from text; returns why the text was refused, or null. */
  setConfigField(sides: readonly Side[], key: string, raw: string): string | null;
  applyPreset(id: PresetId): void;
  /** Switches the data, and the configurations to that data's default preset. */
  setDataset(dataset: Dataset): void;
  /** Sets d_in of both configurations to the loaded data's width (it is the data's, not a choice). */
  fitDataWidth(d_in: number): void;
  patchDataLoad(patch: Partial<DataLoad>): void;
  patchModelLoad(patch: Partial<ModelLoad>): void;
  setLmSteer(patch: Partial<LmSteerSettings>): void;
  setJudge(patch: Partial<JudgeForm>): void;
  setLibrary(patch: Partial<Library>): void;
  dismissUrlNotes(): void;

  // Runtime, fed by the controller.
  patchRuntime(side: Side, patch: Partial<SideRuntime>): void;
  startRun(side: Side, run: RunInfo): void;
  addMetrics(side: Side, update: LabMetricsUpdate): void;
  setSnapshot(side: Side, snapshot: LabSnapshot): void;

  // Selection and what was fetched for it.
  select(patch: Partial<Selection>): void;
  /**
   * A feature of a given configuration and seed (a grid tile, a heatmap cell, a partner), with what
   * is shown beside it: a heatmap cell's column feature, or the feature of the other configuration
   * it was reached from. Both are cleared unless given.
   */
  selectFeature(side: Side, seed: number, feature: number | null, context?: { companion?: FeatureRef | null; arrivedFrom?: CrossPartner | null }): void;
  setInspection(patch: Partial<Inspection>): void;
}

export type LabStore = StoreApi<LabState>;

const EMPTY_INSPECTION: Inspection = { details: null, steering: null, lm: null, lmSteering: null, generating: false };

export const DEFAULT_LM_STEER: LmSteerSettings = { prompt: 'The most important thing is', alpha: 5, samplingSeed: 0 };

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
      set((s) => ({ experiment, selection: unzoomedOnNewPair(s.selection, clampSelection(s.selection, experiment.seedCount)) }));

    return {
      experiment: initial.experiment,
      urlNotes,
      runtime: [initialRuntime(), initialRuntime()],
      selection: clampSelection({ ...defaultSelection(), ...initial.link }, initial.experiment.seedCount),
      inspection: EMPTY_INSPECTION,
      dataLoad: { phase: 'idle', progress: null, error: null },
      modelLoad: { phase: 'none', info: null, error: null },
      lmSteer: DEFAULT_LM_STEER,
      judge: { enabled: false, baseUrl: '', model: '', apiKey: '' },
      library: { available: true, comparisons: [], usage: null, problem: null, arrival: null },

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

      setDataset(dataset) {
        if (dataset === get().experiment.dataset) return;
        // The language-model track opens on the gloss sample (and its model) until other shards are chosen.
        const shards = dataset === 'lm' ? (get().experiment.shards ?? SAMPLE) : get().experiment.shards;
        setExperimentAndClamp({ ...get().experiment, ...presetById(DATASET_DEFAULT_PRESET[dataset]).experiment(), dataset, shards });
        set({ dataLoad: { phase: 'idle', progress: null, error: null }, inspection: EMPTY_INSPECTION, selection: { ...get().selection, feature: null } });
      },

      fitDataWidth(d_in) {
        const { configs } = get().experiment;
        if (configs.every((c) => c.d_in === d_in)) return;
        setExperimentAndClamp({ ...get().experiment, configs: [{ ...configs[0], d_in }, { ...configs[1], d_in }] });
      },

      patchDataLoad: (patch) => set((s) => ({ dataLoad: { ...s.dataLoad, ...patch } })),
      patchModelLoad: (patch) => set((s) => ({ modelLoad: { ...s.modelLoad, ...patch } })),
      setLmSteer: (patch) => set((s) => ({ lmSteer: { ...s.lmSteer, ...patch } })),
      setJudge: (patch) => set((s) => ({ judge: { ...s.judge, ...patch } })),
      setLibrary: (patch) => set((s) => ({ library: { ...s.library, ...patch } })),

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
      setSnapshot: (side, snapshot) => updateRuntime(side, (r) => snapshotArrived(r, snapshot)),

      select: (patch) =>
        set((s) => {
          const next = { ...s.selection, ...patch };
          // A companion or an arrival belongs to the feature it was shown with.
          if (movedOn(s.selection, next)) Object.assign(next, { companion: patch.companion ?? null, arrivedFrom: patch.arrivedFrom ?? null });
          return { selection: unzoomedOnNewPair(s.selection, clampSelection(next, s.experiment.seedCount)) };
        }),

      selectFeature(side, seed, feature, context = {}) {
        const { selection } = get();
        const companion = feature === null ? null : (context.companion ?? null);
        const arrivedFrom = feature === null ? null : (context.arrivedFrom ?? null);
        const sameView = selection.side === side && selection.seed === seed && selection.feature === feature;
        if (sameView) {
          if (!sameRef(selection.companion, companion) || selection.arrivedFrom !== arrivedFrom) set({ selection: { ...selection, companion, arrivedFrom } });
          return;
        }
        const samePlace = selection.side === side && selection.seed === seed;
        set({
          selection: { ...selection, side, seed, feature, companion, arrivedFrom },
          // Steering belongs to the feature; details of a feature elsewhere are stale at once.
          inspection: samePlace ? { ...get().inspection, steering: null, lmSteering: null } : EMPTY_INSPECTION,
        });
      },

      setInspection: (patch) => set((s) => ({ inspection: { ...s.inspection, ...patch } })),
    };
  });
}

const sameRef = (a: FeatureRef | null, b: FeatureRef | null) => a === b || (a !== null && b !== null && a.seed === b.seed && a.feature === b.feature);

/** The state the URL encodes, taken from the store. */
export function urlStateOf(state: Pick<LabState, 'experiment' | 'selection'>): UrlState {
  const { side, seed, feature, digit } = state.selection;
  return { experiment: state.experiment, link: { side, seed, feature, digit } };
}
