/**
 * Everything the lab worker does with a run, without comlink and whatever the data: trains one
 * configuration's seeds side by side on a shared batch source, takes paced snapshots, and hands
 * the analysis of the latest snapshot to whoever asks (the inspector, steering, export). What the
 * analysis can do depends on the data (MNIST digits or language-model activations): `analyse`
 * builds it from a snapshot's state. The worker is a thin shell around it; tests drive it directly.
 */
import type { BatchSource } from '../core/train/source';
import type { LabMetricsUpdate, LabSnapshot, RunSpec } from './lab-api';
import { captureSnapshot, type LabState } from './lab-snapshot';
import { labMetricsUpdate, MultiSeedTrainer } from './multi-seed';
import { RunLoop } from './run-loop';
import { DEFAULT_PACING, SnapshotPacer, type PacerOptions } from './snapshot-pacer';
import type { RunEnd } from './trainer-api';

interface ActiveRun {
  loop: RunLoop;
  pacer: SnapshotPacer;
  takeSnapshot: () => Promise<void>;
  finished: Promise<RunEnd>;
}

export class LabSession<Analysis> {
  private run: ActiveRun | null = null;
  private analysis: Analysis | null = null;
  private analysedStep = -1;

  constructor(
    private readonly train: BatchSource,
    private readonly analyse: (state: LabState) => Analysis,
    private readonly pacing: PacerOptions = DEFAULT_PACING,
  ) {}

  get d_in(): number {
    return this.train.d_in;
  }

  /** Trains every seed of `spec`; resolves after the final snapshot, when the run is done or stopped. */
  async start(spec: RunSpec, onMetrics: (update: LabMetricsUpdate) => void, onSnapshot: (snapshot: LabSnapshot) => void): Promise<RunEnd> {
    await this.stopAndWait();
    if (spec.config.d_in !== this.train.d_in) throw new Error(`config.d_in is ${spec.config.d_in}, the data has ${this.train.d_in} columns`);
    const trainer = MultiSeedTrainer.create(spec.config, spec.seeds, this.train);
    const pacer = new SnapshotPacer(this.pacing);
    const takeSnapshot = async () => {
      const { state, snapshot } = await captureSnapshot(trainer, spec.config);
      // A snapshot that lands after a newer run started must not replace that run's analysis.
      if (this.run?.pacer !== pacer) return;
      this.analysis = this.analyse(state);
      this.analysedStep = state.step;
      onSnapshot(snapshot);
    };
    const loop = new RunLoop(trainer, (batch) => {
      onMetrics(labMetricsUpdate(batch, trainer.seeds));
      pacer.maybe(takeSnapshot, reportSnapshotFailure);
    });
    const finished = (async () => {
      try {
        const end = await loop.run();
        // The final weights are what the inspector and the export then work on; a snapshot of
        // them may already exist (at large widths a snapshot takes seconds: don't repeat it).
        await pacer.settle();
        if (this.analysedStep !== trainer.step) await pacer.now(takeSnapshot);
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
    try {
      return await finished;
    } finally {
      if (this.run === run) this.run = null;
    }
  }

  /** Pauses training at once and snapshots the paused state, which is what one inspects. */
  pause(): void {
    const run = this.run;
    if (!run) return;
    run.loop.pause();
    void run.pacer.now(run.takeSnapshot).catch(reportSnapshotFailure);
  }

  resume(): void {
    this.run?.loop.resume();
  }

  stop(): void {
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
}

/** A failed background snapshot costs one update of the page; the run goes on. */
function reportSnapshotFailure(error: unknown): void {
  console.warn('lab snapshot failed:', error);
}
