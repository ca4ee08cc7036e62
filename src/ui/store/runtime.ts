/**
 * What each configuration's worker has reported: its phase, backend, metrics per seed, the latest
 * snapshot and progress. Pure updates only: the controller feeds worker messages in.
 */
import type { TrainConfig } from '../../core/train/config';
import type { SeedMetrics, StepMetrics } from '../../core/train/metrics';
import type { FeatureLabels, ImportProgress, LabMetricsUpdate, LabReady, LabSnapshot, PairHeatmap, SteeringSuccess } from '../../runtime/protocol/lab-api';
import type { AlignmentAt } from '../../runtime/protocol/run-records';
import type { ActiveRunState, LiveRunState } from '../../runtime/protocol/run-state';

/**
 * A configuration's phase on the page: the run lifecycle its worker reports (LiveRunState: training,
 * paused, done, stopped, diverged — see `error` for why), extended by the states of a side with no
 * run yet: idle: no worker yet · loading: choosing a backend, loading MNIST, training the judging
 * classifier · ready: can train · error: the worker failed (see `error`).
 */
export type Phase = 'idle' | 'loading' | 'ready' | 'error' | LiveRunState;

/** The configuration a run trains: the controls may change after it started. */
export interface RunInfo {
  config: TrainConfig;
  seeds: number[];
  /** SAEs trained elsewhere, shown as this configuration's seeds: nothing was trained here. */
  imported?: boolean;
}

export interface SideRuntime {
  phase: Phase;
  ready: LabReady | null;
  run: RunInfo | null;
  /** Every metrics read-back of each seed of the run. */
  perSeed: SeedMetrics[];
  /** Steps done by every seed, the run's total per seed, and training time (pauses excluded). */
  step: number;
  totalSteps: number;
  /** Training time of this stretch: since the run started, or since it was resumed (see `resumedFrom`). */
  elapsedMs: number;
  /** A resumed run: the step and training time it continued from (its pace counts only what came after). */
  resumedFrom: { step: number; elapsedMs: number } | null;
  snapshot: LabSnapshot | null;
  /** Cross-seed alignment by step (milestones and snapshots), in step order: compares A and B at equal steps. */
  alignmentHistory: AlignmentAt[];
  /** The heatmap of the selected seed pair as the worker last pooled it (the matrix stays in the worker). */
  pairHeatmap: PairHeatmap | null;
  steeringSuccess: SteeringSuccess | null;
  measuringSteering: boolean;
  /** Labelled shards: each feature's most common document label among its top contexts, for one seed's weights when asked. */
  featureLabels: FeatureLabels | null;
  findingLabels: boolean;
  error: string | null;
  /** The saved run this side trains or shows (see the run library); null when not saved. */
  runId: string | null;
  /** The step of the run's latest saved checkpoint. */
  checkpointStep: number | null;
  /** Why the run is not being saved (storage full…), while it goes on in memory. */
  storageProblem: string | null;
  /** What happened to the worker and how the run recovered (a crash, a resume), in plain words. */
  notice: string | null;
  /** An import of SAE folders under way into this configuration: how far it has got. */
  importing: ImportProgress | null;
}

export function initialRuntime(): SideRuntime {
  return {
    phase: 'idle',
    ready: null,
    run: null,
    perSeed: [],
    step: 0,
    totalSteps: 0,
    elapsedMs: 0,
    resumedFrom: null,
    snapshot: null,
    alignmentHistory: [],
    pairHeatmap: null,
    steeringSuccess: null,
    measuringSteering: false,
    featureLabels: null,
    findingLabels: false,
    error: null,
    runId: null,
    checkpointStep: null,
    storageProblem: null,
    notice: null,
    importing: null,
  };
}

/** A fresh run: the worker and what it reported at init stay, everything about the last run goes. */
export function runStarted(runtime: SideRuntime, run: RunInfo): SideRuntime {
  return {
    ...initialRuntime(),
    ready: runtime.ready,
    phase: 'training',
    run,
    perSeed: run.seeds.map((seed) => ({ seed, metrics: [] })),
  };
}

/** Appends an update's read-backs to each seed's curve (new arrays, so views see the change). */
export function metricsArrived(runtime: SideRuntime, update: LabMetricsUpdate): SideRuntime {
  const incoming = new Map(update.perSeed.map((s) => [s.seed, s.metrics]));
  const perSeed = runtime.perSeed.map((curve) => {
    const metrics = incoming.get(curve.seed);
    return metrics && metrics.length > 0 ? { seed: curve.seed, metrics: [...curve.metrics, ...metrics] } : curve;
  });
  const alignmentHistory = update.alignments ? withAlignments(runtime.alignmentHistory, update.alignments) : runtime.alignmentHistory;
  return { ...runtime, perSeed, alignmentHistory, step: update.step, totalSteps: update.totalSteps, elapsedMs: update.elapsedMs };
}

/** A snapshot shown: its alignment joins the history at its step. */
export function snapshotArrived(runtime: SideRuntime, snapshot: LabSnapshot): SideRuntime {
  const alignmentHistory = snapshot.alignment ? withAlignments(runtime.alignmentHistory, [{ step: snapshot.step, alignment: snapshot.alignment }]) : runtime.alignmentHistory;
  return { ...runtime, snapshot, alignmentHistory };
}

/** `history` with `added` merged in step order; a step already there keeps its first alignment (the same weights). */
function withAlignments(history: AlignmentAt[], added: AlignmentAt[]): AlignmentAt[] {
  const steps = new Set(history.map((h) => h.step));
  const fresh = added.filter((a) => !steps.has(a.step));
  return fresh.length === 0 ? history : [...history, ...fresh].sort((a, b) => a.step - b.step);
}

/** Several updates as one (the page renders metrics less often than workers send them). */
export function mergeMetricsUpdates(updates: readonly LabMetricsUpdate[]): LabMetricsUpdate | null {
  if (updates.length === 0) return null;
  const perSeed = new Map<number, StepMetrics[]>();
  for (const update of updates) {
    for (const { seed, metrics } of update.perSeed) perSeed.set(seed, [...(perSeed.get(seed) ?? []), ...metrics]);
  }
  const last = updates[updates.length - 1];
  const alignments = updates.flatMap((u) => u.alignments ?? []);
  const merged = { perSeed: [...perSeed].map(([seed, metrics]) => ({ seed, metrics })), step: last.step, totalSteps: last.totalSteps, elapsedMs: last.elapsedMs };
  return alignments.length > 0 ? { ...merged, alignments } : merged;
}

export function isActive(phase: Phase): phase is ActiveRunState {
  return phase === 'training' || phase === 'paused';
}

type Pace = Pick<SideRuntime, 'step' | 'totalSteps' | 'elapsedMs' | 'resumedFrom'>;

/** Steps per second of this stretch of training (a resumed run: since it resumed); null before a step. */
export function stepsPerSecond({ step, elapsedMs, resumedFrom }: Pace): number | null {
  const steps = step - (resumedFrom?.step ?? 0);
  return steps > 0 && elapsedMs > 0 ? (steps / elapsedMs) * 1000 : null;
}

/** The run's whole training time, a resumed run's earlier stretch included. */
export function totalTrainingMs({ elapsedMs, resumedFrom }: Pace): number {
  return (resumedFrom?.elapsedMs ?? 0) + elapsedMs;
}

/** Remaining training time at this stretch's pace; null until there is a pace to go by. */
export function timeLeftMs(runtime: Pace): number | null {
  const pace = stepsPerSecond(runtime);
  if (pace === null || runtime.totalSteps <= 0) return null;
  return (Math.max(0, runtime.totalSteps - runtime.step) / pace) * 1000;
}

export function progressFraction(runtime: Pick<SideRuntime, 'step' | 'totalSteps'>): number {
  return runtime.totalSteps > 0 ? Math.min(1, runtime.step / runtime.totalSteps) : 0;
}

/** Mean over seeds of the first and of the latest read-back of a metric: a fall shows at a glance. */
export function firstAndLatest(perSeed: readonly SeedMetrics[], read: (m: StepMetrics) => number): { first: number; latest: number } | null {
  const curves = perSeed.filter((c) => c.metrics.length > 0);
  if (curves.length === 0) return null;
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  return { first: mean(curves.map((c) => read(c.metrics[0]))), latest: mean(curves.map((c) => read(c.metrics[c.metrics.length - 1]))) };
}
