/**
 * Keeps one configuration's run in the RunStore while it trains: its metrics as they arrive, and
 * every `checkpointEveryMs` of training (and at pause, stop, the end, or divergence) its status and
 * a checkpoint of every seed. A save the storage refuses (quota) shows in `saved.problem` until a
 * later save succeeds: the run goes on in memory meanwhile. Times given to it are the current
 * run loop's (from 0 at a resume); the record keeps the run's total.
 */
import type { AlignmentSummary } from '../../core/align/align-seeds';
import type { TrainConfig } from '../../core/train/config';
import type { LabMetricsUpdate } from '../protocol/lab-api';
import type { SeedMetrics } from '../../core/train/metrics';
import type { PersistSpec, RunRecord } from '../protocol/run-records';
import type { LiveRunState } from '../protocol/run-state';
import { StorageFullError, type RunStore } from '../storage/run-store';


export interface SaveState {
  step: number;
  totalSteps: number;
  elapsedMs: number;
  alignment?: AlignmentSummary | null;
  message?: string | null;
}

export class RunRecorder {
  private readonly perSeed: SeedMetrics[];
  private record: RunRecord;
  private readonly checkpointEveryMs: number;
  /** Training time before this loop started: a resumed run's earlier time. */
  private readonly elapsedBefore: number;
  private lastCheckpointMs = 0;
  private saving: Promise<void> = Promise.resolve();
  private problem: string | null = null;
  /** The step of the newest checkpoint actually in the store. */
  private storedCheckpointStep: number | null;

  constructor(
    private readonly store: RunStore,
    spec: PersistSpec,
    config: TrainConfig,
    seeds: number[],
    resumed?: { record: RunRecord; perSeed: SeedMetrics[] },
  ) {
    this.perSeed = resumed?.perSeed.map((s) => ({ seed: s.seed, metrics: [...s.metrics] })) ?? seeds.map((seed) => ({ seed, metrics: [] }));
    this.record = resumed?.record ?? {
      id: spec.runId,
      comparisonId: spec.comparisonId,
      side: spec.side,
      link: spec.link,
      name: spec.name,
      createdAt: Date.now(),
      updatedAt: Date.now(),
      status: 'training',
      message: null,
      config,
      seeds,
      data: spec.data,
      step: 0,
      totalSteps: 0,
      elapsedMs: 0,
      checkpointStep: null,
      checkpointEveryMs: spec.checkpointEveryMs,
      alignment: null,
    };
    this.checkpointEveryMs = spec.checkpointEveryMs;
    this.elapsedBefore = resumed?.record.elapsedMs ?? 0;
    this.storedCheckpointStep = resumed?.record.checkpointStep ?? null;
  }

  /** What the page shows about saving: the latest checkpoint's step, and why saving fails if it does. */
  get saved(): { checkpointStep: number | null; problem: string | null } {
    return { checkpointStep: this.storedCheckpointStep, problem: this.problem };
  }

  get id(): string {
    return this.record.id;
  }

  addMetrics(update: LabMetricsUpdate): void {
    for (const { seed, metrics } of update.perSeed) this.perSeed.find((s) => s.seed === seed)?.metrics.push(...metrics);
  }

  /** Whether a checkpoint is due after `elapsedMs` of this loop's training. */
  due(elapsedMs: number): boolean {
    return elapsedMs - this.lastCheckpointMs >= this.checkpointEveryMs;
  }

  /**
   * Renames the run. While it trains the recorder is the only writer of its record: a rename
   * written to the store by anyone else would be undone by the next save. Queued after the saves
   * already asked for, so none of them writes the old name back.
   */
  rename(name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) return Promise.reject(new Error('a run needs a name'));
    // At once: a save queued before this one runs later and writes the record as it is then.
    this.record = { ...this.record, name: trimmed };
    const renamed = this.saving.then(() => this.store.rename(this.record.id, trimmed));
    // A failed rename is the caller's to report; the saves after it go on.
    this.saving = renamed.catch(() => undefined);
    return renamed;
  }

  /**
   * Saves the run's status, metrics and (when given) a checkpoint taken at `state.step`. Saves are
   * serialised, so a late one never overwrites a newer one.
   */
  save(status: LiveRunState, state: SaveState, checkpoint?: unknown): Promise<void> {
    this.saving = this.saving.then(async () => {
      this.record = {
        ...this.record,
        status,
        step: state.step,
        totalSteps: state.totalSteps,
        elapsedMs: this.elapsedBefore + state.elapsedMs,
        ...(state.alignment !== undefined ? { alignment: state.alignment } : {}),
        ...(state.message !== undefined ? { message: state.message } : {}),
        ...(checkpoint !== undefined ? { checkpointStep: state.step } : {}),
      };
      if (checkpoint !== undefined) this.lastCheckpointMs = state.elapsedMs;
      try {
        await this.store.save(this.record, this.perSeed, checkpoint === undefined ? undefined : { step: state.step, checkpoint });
        if (checkpoint !== undefined) this.storedCheckpointStep = state.step;
        this.problem = null;
      } catch (error) {
        this.problem = error instanceof StorageFullError ? error.message : `the run could not be saved (${(error as Error).message})`;
      }
    });
    return this.saving;
  }
}
