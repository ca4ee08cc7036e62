/**
 * Drives a trainer in short chunks and returns to the event loop between them, so that pause,
 * resume and stop messages are handled within one chunk; batches metrics so the page is not
 * flooded with messages. Metrics come back from the device asynchronously: the loop lets only a
 * few read-backs be outstanding, which also keeps a GPU from being queued far ahead.
 *
 * Every read-back is checked: a non-finite loss, term or norm ends the run as 'diverged' before
 * another step is queued. Because reads lag the steps, the loop also tracks `finiteThrough`, the
 * newest step whose weights are known to be sound, so that a checkpoint of that step or earlier
 * (taken with `between`) is one worth resuming from.
 */
import type { TrainConfig } from '../../core/train/config';
import { DivergedError, metricsDivergence, nonFiniteMetrics, type Divergence } from '../../core/train/divergence';
import type { StepMetrics } from '../../core/train/metrics';
import type { MetricsBatch, RunEnd } from '../protocol/trainer-api';
import { yieldToEventLoop } from '../../core/event-loop';

/** The part of SaeTrainer (or MultiSeedTrainer) the loop needs. */
export interface Steppable {
  readonly totalSteps: number;
  readonly step: number;
  readonly done: boolean;
  /** The run's configuration: a divergence message names its likely cause from it. */
  readonly config: TrainConfig;
  /** Multi-seed runs: the seeds, whose metrics carry a `seed` label. Absent: one unlabelled trainer. */
  readonly seeds?: readonly number[];
  /** Queues one step; on metric steps, a promise of that step's metrics. */
  trainStep(): Promise<StepMetrics> | null;
}

/**
 * Steps at which the loop pauses its chunk so that state can be captured at exactly that step: every
 * multiple of `every`. Two configurations trained side by side use the same grid, so what is
 * captured there (their alignment) can be compared at equal steps.
 */
export interface Milestones {
  every: number;
  /** Called between chunks, before the next step is queued, with the step all seeds have reached. */
  reached: (step: number) => void;
}

export interface RunLoopTiming {
  /** Longest stretch of training between two returns to the event loop. */
  chunkMs: number;
  /** Shortest interval between two metrics batches (100 ms: about 10 Hz). */
  emitEveryMs: number;
  /** Most metric read-backs allowed to be outstanding before training waits for the oldest. */
  maxReadsInFlight: number;
}

const DEFAULT_TIMING: RunLoopTiming = { chunkMs: 25, emitEveryMs: 100, maxReadsInFlight: 2 };

export class RunLoop {
  private paused = false;
  private stopped = false;
  private running = false;
  private wake: (() => void) | null = null;
  /** Read-backs in the order they were queued; each is checked and adds its metrics to `pending`. */
  private reads: Promise<void>[] = [];
  /** The newest queued read's check: checks run in queue order, so each seed's steps in order. */
  private lastCheck: Promise<void> = Promise.resolve();
  private pending: StepMetrics[] = [];
  private lastEmit = 0;
  private activeMs = 0;
  private divergence: Divergence | null = null;
  /** Per seed (undefined: single trainer), the newest step known sound. */
  private readonly soundThrough = new Map<number | undefined, number>();
  /** Work waiting for the next boundary between chunks (see `between`). */
  private readonly queue: (() => Promise<void>)[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly trainer: Steppable,
    private readonly emit: (batch: MetricsBatch) => void,
    private readonly timing: RunLoopTiming = DEFAULT_TIMING,
    private readonly milestones: Milestones | null = null,
  ) {}

  async run(): Promise<RunEnd> {
    this.running = true;
    try {
      while (!this.trainer.done && !this.stopped && !this.divergence) {
        await this.drain();
        if (this.paused) {
          await this.settleReads();
          this.flush();
          // Waits for resume() or stop(), running `between` work that comes meanwhile (a checkpoint
          // refused as non-finite ends the wait too).
          const waiting = () => this.paused && !this.stopped && !this.divergence;
          while (waiting()) {
            await new Promise<void>((resolve) => (waiting() && this.queue.length === 0 ? (this.wake = resolve) : resolve()));
            await this.drain();
          }
          continue;
        }
        const reached = await this.trainChunk();
        if (reached !== null) this.milestones?.reached(reached);
        if (performance.now() - this.lastEmit >= this.timing.emitEveryMs) this.flush();
        await yieldToEventLoop();
      }
      await this.settleReads();
      this.flush();
    } finally {
      this.running = false;
      await this.drain();
    }
    const reason = this.divergence ? 'diverged' : this.trainer.done ? 'done' : 'stopped';
    const end: RunEnd = { reason, step: this.trainer.step, elapsedMs: this.activeMs, finiteThrough: this.finiteThrough };
    return this.divergence ? { ...end, message: this.divergence.message, divergence: this.divergence } : end;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.release();
  }

  stop(): void {
    this.stopped = true;
    this.release();
  }

  /**
   * Runs `fn` while no step is being queued, and resolves with its result: at the next boundary
   * between chunks while training (the next chunk waits until `fn` settles), at once while paused
   * (a resume then waits for it), before `run()` or after it ended. Calls run one at a time, in
   * order. Use it for checkpoints: `loop.between(() => trainer.checkpoint())`. If `fn` rejects
   * with a DivergedError (a checkpoint of non-finite state), the run ends as 'diverged'.
   */
  between<T>(fn: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(async () => {
        try {
          resolve(await fn());
        } catch (error) {
          if (error instanceof DivergedError) this.divergence ??= error.divergence;
          reject(error);
        }
      });
      if (!this.running) void this.drain();
      else if (this.paused) this.release();
    });
  }

  /**
   * The newest step whose weights are known sound for every seed: the metrics of step s are
   * computed on the weights after s − 1 steps, so a finite read-back of step s vouches for
   * step s − 1. A checkpoint taken at this step or earlier is safe to resume from. 0 until a
   * metrics read lands for every seed. It stops advancing once the run has diverged.
   */
  get finiteThrough(): number {
    const keys = this.trainer.seeds ?? [undefined];
    return Math.min(...keys.map((seed) => this.soundThrough.get(seed) ?? 0));
  }

  private release(): void {
    this.wake?.();
    this.wake = null;
  }

  /** Runs queued `between` work one at a time until none is left. */
  private drain(): Promise<void> {
    if (this.draining) return this.draining;
    if (this.queue.length === 0) return Promise.resolve();
    this.draining = (async () => {
      // Each task awaits, so this runs after `this.draining` is set, and clears it in the same
      // turn as it finds the queue empty: a task queued later starts a new drain.
      while (this.queue.length > 0) await this.queue.shift()!();
      this.draining = null;
    })();
    return this.draining;
  }

  /** Trains for up to `chunkMs`; returns the milestone step it stopped at, if it reached one. */
  private async trainChunk(): Promise<number | null> {
    const start = performance.now();
    const end = start + this.timing.chunkMs;
    let reached: number | null = null;
    do {
      // A divergence noticed by a read that lands mid-chunk stops the chunk before its next step.
      if (this.divergence) break;
      const before = this.trainer.step;
      const read = this.trainer.trainStep();
      if (read) this.queueCheck(read);
      // Awaiting an already settled read costs nothing; an unsettled one means the device is behind.
      if (this.reads.length > this.timing.maxReadsInFlight) await this.reads.shift();
      // The step count moves once every seed has taken its step: all seeds stand at the milestone.
      const now = this.trainer.step;
      if (this.milestones && now !== before && now % this.milestones.every === 0) reached = now;
    } while (reached === null && !this.trainer.done && performance.now() < end);
    // Time spent paused is not training time: steps/s must not drop while the run is paused.
    this.activeMs += performance.now() - start;
    return reached;
  }

  private queueCheck(read: Promise<StepMetrics>): void {
    const checked = Promise.all([read, this.lastCheck]).then(([metrics]) => this.check(metrics));
    // The chain must go on past a failed read; that read's own promise carries the failure.
    this.lastCheck = checked.catch(() => undefined);
    this.reads.push(checked);
  }

  /** Takes a read-back's metrics: finite ones are emitted, the first non-finite one ends the run. */
  private check(metrics: StepMetrics & { seed?: number }): void {
    const bad = nonFiniteMetrics(metrics);
    if (bad.length === 0) {
      this.pending.push(metrics);
      if (!this.divergence) this.soundThrough.set(metrics.seed, metrics.step - 1);
      return;
    }
    // Not emitted: charts have no use for NaN, and the RunEnd carries what went wrong.
    const seed = metrics.seed ?? (this.trainer.seeds ? undefined : this.trainer.config.seed);
    this.divergence ??= metricsDivergence(metrics, bad, this.trainer.config, seed);
  }

  private async settleReads(): Promise<void> {
    const reads = this.reads;
    this.reads = [];
    await Promise.all(reads);
  }

  private flush(): void {
    this.lastEmit = performance.now();
    // Checks run in queue order, which interleaves the seeds; the page wants them by step.
    const metrics = this.pending.sort((a, b) => a.step - b.step);
    this.pending = [];
    this.emit({ metrics, step: this.trainer.step, totalSteps: this.trainer.totalSteps, elapsedMs: this.activeMs });
  }
}
