/**
 * Drives a trainer in short chunks and returns to the event loop between them, so that pause,
 * resume and stop messages are handled within one chunk; batches metrics so the page is not
 * flooded with messages. Metrics come back from the device asynchronously: the loop lets only a
 * few read-backs be outstanding, which also keeps a GPU from being queued far ahead.
 */
import type { StepMetrics } from '../core/train/metrics';
import type { MetricsBatch, RunEnd } from './trainer-api';

/** The part of SaeTrainer the loop needs. */
export interface Steppable {
  readonly totalSteps: number;
  readonly step: number;
  readonly done: boolean;
  /** Queues one step; on metric steps, a promise of that step's metrics. */
  trainStep(): Promise<StepMetrics> | null;
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

/** A macrotask turn without setTimeout's 4 ms clamp: lets queued messages (pause, stop) run. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export class RunLoop {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Read-backs in the order they were queued; each adds its metrics to `pending` when it lands. */
  private reads: Promise<void>[] = [];
  private pending: StepMetrics[] = [];
  private lastEmit = 0;
  private activeMs = 0;

  constructor(
    private readonly trainer: Steppable,
    private readonly emit: (batch: MetricsBatch) => void,
    private readonly timing: RunLoopTiming = DEFAULT_TIMING,
  ) {}

  async run(): Promise<RunEnd> {
    while (!this.trainer.done && !this.stopped) {
      if (this.paused) {
        await this.settleReads();
        this.flush();
        // resume() or stop() may have come while the reads settled: then don't wait for them.
        await new Promise<void>((resolve) => (this.paused && !this.stopped ? (this.wake = resolve) : resolve()));
        continue;
      }
      await this.trainChunk();
      if (performance.now() - this.lastEmit >= this.timing.emitEveryMs) this.flush();
      await yieldToEventLoop();
    }
    await this.settleReads();
    this.flush();
    return { reason: this.trainer.done ? 'done' : 'stopped', step: this.trainer.step, elapsedMs: this.activeMs };
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

  private release(): void {
    this.wake?.();
    this.wake = null;
  }

  private async trainChunk(): Promise<void> {
    const start = performance.now();
    const end = start + this.timing.chunkMs;
    do {
      const read = this.trainer.trainStep();
      if (read) this.reads.push(read.then((metrics) => void this.pending.push(metrics)));
      // Awaiting an already settled read costs nothing; an unsettled one means the device is behind.
      if (this.reads.length > this.timing.maxReadsInFlight) await this.reads.shift();
    } while (!this.trainer.done && performance.now() < end);
    // Time spent paused is not training time: steps/s must not drop while the run is paused.
    this.activeMs += performance.now() - start;
  }

  private async settleReads(): Promise<void> {
    const reads = this.reads;
    this.reads = [];
    await Promise.all(reads);
  }

  private flush(): void {
    this.lastEmit = performance.now();
    // Read-backs may land out of order; the page wants them by step.
    const metrics = this.pending.sort((a, b) => a.step - b.step);
    this.pending = [];
    this.emit({ metrics, step: this.trainer.step, totalSteps: this.trainer.totalSteps, elapsedMs: this.activeMs });
  }
}
