/**
 * Everything the lab worker does, without comlink: owns the shared data, trains one
 * configuration's seeds side by side, takes paced snapshots and answers the inspector from the
 * latest one. The worker is a thin shell around it; tests drive it directly.
 */
import { DEFAULT_CLASSIFIER, DigitClassifier, uploadDigits, type ClassifierConfig } from '../core/analysis';
import type { MnistSplit } from '../core/data/mnist';
import type { SaeLensFiles } from '../core/formats/saelens';
import { tensorSource, type BatchSource } from '../core/train/source';
import { LabAnalysis, type AnalysisResources } from './lab-analysis';
import type { FeatureDetails, LabMetricsUpdate, LabSnapshot, PairMatrix, RunSpec, SteeringResult, SteeringSuccess } from './lab-api';
import { captureSnapshot } from './lab-snapshot';
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

export interface LabSessionOptions {
  classifier?: ClassifierConfig;
  /**
   * Digits the judging classifier learns from, when the SAEs train on fewer (a quick run limited to
   * a few hundred images would otherwise get a classifier too poor to judge steering).
   */
  classifierTrain?: MnistSplit;
  pacing?: PacerOptions;
}

export class LabSession {
  private run: ActiveRun | null = null;
  private analysis: LabAnalysis | null = null;

  private constructor(
    private readonly train: BatchSource,
    private readonly resources: AnalysisResources,
    /** Held-out accuracy of the classifier on the test split. */
    readonly classifierAccuracy: number,
    private readonly pacing: PacerOptions,
  ) {}

  /** Uploads the training images once (every seed's trainer shares them) and the test digits, and trains the judging classifier. */
  static async create(trainSplit: MnistSplit, testSplit: MnistSplit, options: LabSessionOptions = {}): Promise<LabSession> {
    const d_in = trainSplit.images.length / trainSplit.count;
    const train = tensorSource(trainSplit.images, d_in);
    const test = uploadDigits(testSplit);
    const judgeSplit = options.classifierTrain ?? trainSplit;
    const judgeRows = options.classifierTrain ? tensorSource(judgeSplit.images, d_in) : train;
    const classifier = await DigitClassifier.train({ rows: judgeRows, labels: judgeSplit.labels }, options.classifier ?? DEFAULT_CLASSIFIER).finally(() => {
      if (judgeRows !== train) judgeRows.dispose();
    });
    const accuracy = await classifier.accuracy({ rows: test.rows, labels: testSplit.labels });
    return new LabSession(train, { test, classifier }, accuracy, options.pacing ?? DEFAULT_PACING);
  }

  get testSize(): number {
    return this.resources.test.split.count;
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
      this.analysis = new LabAnalysis(state, this.resources);
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
        if (this.analysis?.state.step !== trainer.step) await pacer.now(takeSnapshot);
        return end;
      } finally {
        await pacer.settle();
        trainer.dispose();
      }
    })();
    const run: ActiveRun = { loop, pacer, takeSnapshot, finished };
    this.run = run;
    this.analysis = null;
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

  async pairMatrix(seedA: number, seedB: number): Promise<PairMatrix> {
    return (await this.latest()).pairMatrix(seedA, seedB);
  }

  async inspect(seed: number, feature: number): Promise<FeatureDetails> {
    return (await this.latest()).inspect(seed, feature);
  }

  async steer(seed: number, feature: number, digitIndex: number, alphas: number[]): Promise<SteeringResult> {
    return (await this.latest()).steer(seed, feature, digitIndex, alphas);
  }

  async steeringSuccess(seed: number): Promise<SteeringSuccess> {
    return (await this.latest()).steeringSuccess(seed);
  }

  async exportSaeLens(seed: number): Promise<SaeLensFiles> {
    return (await this.latest()).exportSaeLens(seed);
  }

  /** The analysis of the latest snapshot; a run that has none yet takes one now. */
  private async latest(): Promise<LabAnalysis> {
    const run = this.run;
    if (!this.analysis && run) await run.pacer.now(run.takeSnapshot);
    if (!this.analysis) throw new Error('no SAEs to analyse yet: start a run first');
    return this.analysis;
  }

  private async stopAndWait(): Promise<void> {
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
