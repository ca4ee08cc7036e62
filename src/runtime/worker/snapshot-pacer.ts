/**
 * Decides when the lab takes a snapshot: about once a second, but never so often that snapshots
 * (weights read-back, alignment, …) take more than `maxShare` of the time, so training keeps the
 * rest. Alignment grows with the square of the width (the assignment faster still), so at large
 * widths this stretches the interval to `lastCost / maxShare`.
 *
 * Measured (Node, tfjs-wasm, 3 seeds, 2 shared and busy cores): a snapshot costs about 20–45 ms at
 * width 64 and 100–200 ms at 256, so both stay at 1 Hz; at 1568 it costs about 3.8 s, which
 * stretches the interval to about 19 s.
 */
export interface PacerOptions {
  minIntervalMs: number;
  /** Largest fraction of wall time that snapshots may take. */
  maxShare: number;
}

export const DEFAULT_PACING: PacerOptions = { minIntervalMs: 1000, maxShare: 0.2 };

export class SnapshotPacer {
  private running: Promise<void> | null = null;
  private lastStart = -Infinity;
  private lastCostMs = 0;

  constructor(
    private readonly options: PacerOptions = DEFAULT_PACING,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** The current start-to-start interval between snapshots. */
  get intervalMs(): number {
    return Math.max(this.options.minIntervalMs, this.lastCostMs / this.options.maxShare);
  }

  /** Wall time of the latest snapshot (it includes training steps that ran while it waited on the device). */
  get lastSnapshotMs(): number {
    return this.lastCostMs;
  }

  /** Starts `take` in the background if a snapshot is due and none is running; failures go to `onError`. */
  maybe(take: () => Promise<void>, onError: (error: unknown) => void): void {
    if (this.running || this.clock() - this.lastStart < this.intervalMs) return;
    void this.run(take).catch(onError);
  }

  /** Runs `take` now, after any running snapshot; due or not (a pause, the end of a run). */
  async now(take: () => Promise<void>): Promise<void> {
    // Another snapshot may start while this one waits: wait until none is running.
    while (this.running) await this.settle();
    await this.run(take);
  }

  /** Waits for a running snapshot, ignoring its failure (reported through `maybe`'s onError). */
  async settle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async run(take: () => Promise<void>): Promise<void> {
    const start = this.clock();
    this.lastStart = start;
    const running = take();
    this.running = running;
    try {
      await running;
    } finally {
      this.lastCostMs = this.clock() - start;
      if (this.running === running) this.running = null;
    }
  }
}
