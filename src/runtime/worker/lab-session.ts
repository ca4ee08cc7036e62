/**
 * Everything the lab worker does with a run, without comlink and whatever the data: trains one
 * configuration's seeds side by side on a shared batch source, takes paced snapshots, and hands
 * the analysis of the latest snapshot to whoever asks (the inspector, steering, export). What the
 * analysis can do depends on the data (MNIST digits or language-model activations): `analyse`
 * builds it from a snapshot's state. A run given a PersistSpec is kept in the run store with a
 * checkpoint every few seconds of training, and can be resumed from it. The worker is a thin shell
 * around it; tests drive it directly.
 */
import type { AlignSeedsOptions } from '../../core/align';
import type { BatchSource } from '../../core/train/source';
import type { LabMetricsUpdate, LabSnapshot, RunSpec } from '../protocol/lab-api';
import { firingFrequency } from '../../core/analysis/firing-frequency';
import type { SaeWeights } from '../../core/sae/weights';
import type { TrainConfig } from '../../core/train/config';
import { captureSnapshot, snapshotOf, type LabState } from './lab-snapshot';
import { alignmentMilestones } from './milestones';
import { labMetricsUpdate, MultiSeedTrainer, type MultiSeedCheckpoint } from './multi-seed';
import { RunLoop } from './run-loop';
import { RunRecorder } from './run-recorder';
import type { RunStore } from '../storage/run-store';
import { DEFAULT_PACING, SnapshotPacer, type PacerOptions } from './snapshot-pacer';
import type { RunEnd } from '../protocol/trainer-api';
import type { LiveRunState } from '../protocol/run-state';
import { yieldToEventLoop } from '../../core/event-loop';

interface ActiveRun {
  loop: RunLoop;
  pacer: SnapshotPacer;
  takeSnapshot: () => Promise<void>;
  finished: Promise<RunEnd>;
}

export interface LabSessionOptions {
  pacing?: PacerOptions;
  /** Where runs with a PersistSpec are kept (opened on first use); none: nothing is saved. */
  runs?: () => Promise<RunStore>;
}

type Callbacks = { onMetrics: (update: LabMetricsUpdate) => void; onSnapshot: (snapshot: LabSnapshot) => void };

export class LabSession<Analysis> {
  private run: ActiveRun | null = null;
  private analysis: Analysis | null = null;
  private analysedStep = -1;
  private readonly pacing: PacerOptions;
  /**
   * The saved runs this session is setting up or training, each with its recorder once it exists:
   * their records are written by the recorder alone, renames included (see renameRun).
   */
  private readonly recorders = new Map<string, Promise<RunRecorder | null>>();
  /**
   * A stop or pause that arrived while a run was being set up (reading its checkpoint, writing
   * its first record): it has no loop yet to tell, so its loop starts in that state. Cleared when
   * the next start or resume is asked for.
   */
  private early: 'paused' | 'stopped' | null = null;

  constructor(
    private readonly train: BatchSource,
    private readonly analyse: (state: LabState) => Analysis,
    private readonly options: LabSessionOptions = {},
  ) {
    this.pacing = options.pacing ?? DEFAULT_PACING;
  }

  get d_in(): number {
    return this.train.d_in;
  }

  /** Trains every seed of `spec`; resolves after the final snapshot, when the run is done, stopped or diverged. */
  async start(spec: RunSpec, onMetrics: (update: LabMetricsUpdate) => void, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd> {
    this.early = null;
    const claim = spec.persist ? this.claim(spec.persist.runId) : null;
    try {
      await this.stopAndWait();
      if (spec.config.d_in !== this.train.d_in) throw new Error(`config.d_in is ${spec.config.d_in}, the data has ${this.train.d_in} columns`);
      const trainer = MultiSeedTrainer.create(spec.config, spec.seeds, this.train);
      const recorder = spec.persist ? new RunRecorder(await this.store(), spec.persist, spec.config, spec.seeds) : null;
      claim?.found(recorder);
      return await this.drive(trainer, spec, recorder, { onMetrics, onSnapshot });
    } finally {
      claim?.release();
    }
  }

  /** Continues a saved run from its checkpoint, with its metrics history kept; resolves like start. */
  async resumeSaved(runId: string, onMetrics: (update: LabMetricsUpdate) => void, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd> {
    this.early = null;
    // Claimed before the record is read: a rename arriving meanwhile waits for the recorder made from it.
    const claim = this.claim(runId);
    try {
      await this.stopAndWait();
      const store = await this.store();
      const [record, saved, perSeed] = await Promise.all([store.get(runId), store.checkpoint(runId), store.metrics(runId)]);
      if (!record) throw new Error(`no saved run with id ${runId}`);
      if (!saved) throw new Error(`run "${record.name}" has no checkpoint to resume from`);
      const trainer = MultiSeedTrainer.restore(saved.checkpoint as MultiSeedCheckpoint, this.train);
      // Metrics read after the checkpoint are trained again: drop them, so each step appears once.
      const kept = perSeed.map(({ seed, metrics }) => ({ seed, metrics: metrics.filter((m) => m.step <= saved.step) }));
      const spec: RunSpec = { config: record.config, seeds: record.seeds };
      const recorder = new RunRecorder(store, { ...record, runId: record.id, checkpointEveryMs: record.checkpointEveryMs }, record.config, record.seeds, {
        record: { ...record, step: saved.step },
        perSeed: kept,
      });
      claim.found(recorder);
      return await this.drive(trainer, spec, recorder, { onMetrics, onSnapshot });
    } finally {
      claim.release();
    }
  }

  /**
   * Renames a saved run this session is setting up or training, through its recorder: the
   * recorder rewrites the whole record at every checkpoint, so a name written to the store by the
   * page would last only until the next one. False when the session holds no such run (its record
   * is then the page's to write).
   */
  async renameRun(runId: string, name: string): Promise<boolean> {
    const recorder = await this.recorders.get(runId);
    if (!recorder) return false;
    await recorder.rename(name);
    return true;
  }

  /**
   * Marks `runId` as this session's until `release` (after its final save): renames wait for the
   * recorder `found` gives (null: the run did not get that far).
   */
  private claim(runId: string): { found: (recorder: RunRecorder | null) => void; release: () => void } {
    let found!: (recorder: RunRecorder | null) => void;
    const recorder = new Promise<RunRecorder | null>((resolve) => (found = resolve));
    this.recorders.set(runId, recorder);
    return {
      found,
      release: () => {
        found(null);
        if (this.recorders.get(runId) === recorder) this.recorders.delete(runId);
      },
    };
  }

  /**
   * A saved run's checkpoint made the current analysis, without training: a finished run opened
   * again after a reload, or one side of a comparison of any two saved runs.
   */
  async openSaved(runId: string, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd> {
    await this.stopAndWait();
    const store = await this.store();
    const [record, saved] = await Promise.all([store.get(runId), store.checkpoint(runId)]);
    if (!record) throw new Error(`no saved run with id ${runId}`);
    if (!saved) throw new Error(`run "${record.name}" has no checkpoint to open`);
    const trainer = MultiSeedTrainer.restore(saved.checkpoint as MultiSeedCheckpoint, this.train);
    try {
      const { state, snapshot } = await captureSnapshot(trainer, record.config);
      this.analysis = this.analyse(state);
      this.analysedStep = state.step;
      onSnapshot(snapshot);
    } finally {
      trainer.dispose();
    }
    return { reason: record.status === 'done' ? 'done' : 'stopped', step: saved.step, elapsedMs: record.elapsedMs };
  }

  /**
   * SAEs trained elsewhere shown as the seeds of one run: alignment, inspector and steering work on
   * them; their firing frequencies are measured on the first rows of the data.
   */
  /** Shows SAEs from elsewhere as the seeds of one run; `align` reports each seed pair and can end it between pairs. */
  async showImported(saes: SaeWeights[], config: TrainConfig, align: Pick<AlignSeedsOptions, 'onProgress' | 'signal'> = {}): Promise<LabSnapshot> {
    await this.stopAndWait();
    const frequencies: Float32Array[] = [];
    for (const weights of saes) {
      // A Cancel is a message: let it in between two SAEs (see yieldToEventLoop).
      await yieldToEventLoop();
      align.signal?.throwIfAborted();
      frequencies.push(await firingFrequency(weights, config.activation, this.train));
    }
    const { state, snapshot } = await snapshotOf({ step: 0, config, seeds: saes.map((_, i) => i), weights: saes, firingFrequency: frequencies }, align);
    this.analysis = this.analyse(state);
    this.analysedStep = state.step;
    return snapshot;
  }

  /** Pauses training at once and snapshots the paused state, which is what one inspects. */
  pause(): void {
    if (this.early !== 'stopped') this.early = 'paused';
    const run = this.run;
    if (!run) return;
    run.loop.pause();
    void run.pacer.now(run.takeSnapshot).catch(reportSnapshotFailure);
  }

  resume(): void {
    if (this.early === 'paused') this.early = null;
    this.run?.loop.resume();
  }

  stop(): void {
    this.early = 'stopped';
    this.run?.loop.stop();
  }

  get training(): boolean {
    return this.run !== null;
  }

  /** The analysis of the latest snapshot; a run that has none yet takes one now. */
  async latest(): Promise<Analysis> {
    const run = this.run;
    if (!this.analysis && run) await run.pacer.now(run.takeSnapshot);
    if (!this.analysis) throw new Error('no SAEs to analyse yet: start a run first');
    return this.analysis;
  }

  /** Stops any run and waits for it to end (its final snapshot stays analysable). */
  async stopAndWait(): Promise<void> {
    const run = this.run;
    if (!run) return;
    run.loop.stop();
    await run.finished.catch(() => undefined);
  }

  private async store(): Promise<RunStore> {
    if (!this.options.runs) throw new Error('this lab keeps no runs (no run store)');
    return this.options.runs();
  }

  private async drive(trainer: MultiSeedTrainer, spec: RunSpec, recorder: RunRecorder | null, { onMetrics, onSnapshot }: Callbacks): Promise<RunEnd> {
    const pacer = new SnapshotPacer(this.pacing);
    let latestState: LabState | null = null;
    const takeSnapshot = async () => {
      const { state, snapshot } = await captureSnapshot(trainer, spec.config);
      // A snapshot that lands after a newer run started must not replace that run's analysis.
      if (this.run?.pacer !== pacer) return;
      latestState = state;
      this.analysis = this.analyse(state);
      this.analysedStep = state.step;
      onSnapshot(snapshot);
    };
    const checkpointAndSave = async (status: Exclude<LiveRunState, 'diverged'>, elapsedMs: number) => {
      if (!recorder) return;
      const checkpoint = await loop.between(() => trainer.checkpoint());
      await recorder.save(status, { step: checkpoint.step, totalSteps: trainer.totalSteps, elapsedMs, alignment: latestState?.alignment?.summary ?? null }, checkpoint);
    };
    let checkpointing = false;
    const milestones = trainer.seeds.length >= 2 ? alignmentMilestones(trainer.totalSteps, () => trainer.snapshots(), reportSnapshotFailure) : null;
    const withAlignments = (update: LabMetricsUpdate): LabMetricsUpdate => {
      const alignments = milestones?.take() ?? [];
      return alignments.length > 0 ? { ...update, alignments } : update;
    };
    const loop = new RunLoop(
      trainer,
      (batch) => {
        const update = withAlignments(labMetricsUpdate(batch, trainer.seeds));
        if (recorder) {
          recorder.addMetrics(update);
          if (!checkpointing && recorder.due(batch.elapsedMs)) {
            checkpointing = true;
            void checkpointAndSave('training', batch.elapsedMs)
              .catch(reportCheckpointFailure)
              .finally(() => (checkpointing = false));
          }
        }
        onMetrics(recorder ? { ...update, saved: recorder.saved } : update);
        pacer.maybe(takeSnapshot, reportSnapshotFailure);
      },
      undefined,
      milestones,
    );
    if (recorder) {
      await recorder.save('training', { step: trainer.step, totalSteps: trainer.totalSteps, elapsedMs: 0 });
    }
    if (this.early === 'stopped') loop.stop();
    if (this.early === 'paused') loop.pause();
    const finished = (async () => {
      try {
        const end = await loop.run();
        // The final weights are what the inspector and the export then work on; a snapshot of
        // them may already exist (at large widths a snapshot takes seconds: don't repeat it).
        await pacer.settle();
        if (this.analysedStep !== trainer.step && end.reason !== 'diverged') await pacer.now(takeSnapshot);
        // Milestones aligned after the last metrics batch still reach the page.
        await milestones?.settled();
        const late = withAlignments({ perSeed: [], step: end.step, totalSteps: trainer.totalSteps, elapsedMs: end.elapsedMs });
        if (late.alignments) onMetrics(late);
        if (recorder) {
          // A diverged run keeps its last good checkpoint; the others save their final state.
          if (end.reason === 'diverged') await recorder.save('diverged', { step: end.step, totalSteps: trainer.totalSteps, elapsedMs: end.elapsedMs, message: end.message ?? null });
          else await checkpointAndSave(end.reason, end.elapsedMs).catch(reportCheckpointFailure);
        }
        return end;
      } finally {
        await pacer.settle();
        trainer.dispose();
      }
    })();
    const run: ActiveRun = { loop, pacer, takeSnapshot, finished };
    this.run = run;
    this.analysis = null;
    this.analysedStep = -1;
    // Paused before its first step: the paused state is what one inspects (see pause()).
    if (this.early === 'paused') void pacer.now(takeSnapshot).catch(reportSnapshotFailure);
    try {
      return await finished;
    } finally {
      if (this.run === run) this.run = null;
    }
  }
}

/** A failed background snapshot costs one update of the page; the run goes on. */
function reportSnapshotFailure(error: unknown): void {
  console.warn('lab snapshot failed:', error);
}

/** A checkpoint that could not be taken or saved: the previous one stays, the run goes on. */
function reportCheckpointFailure(error: unknown): void {
  console.warn('lab checkpoint failed:', error);
}
