/**
 * The page's watch over a training worker, and how often a failing run is given a fresh worker.
 * A worker can die without a word (closed, out of memory, stuck in a kernel): training that has
 * been silent for longer than its steps take gets a ping, and a worker that does not answer
 * either is reported as silent once. The clock and timers are injected so tests can run them fake.
 */

/** A training worker that sends nothing for this long (or for three steps' time, if steps are slower) is pinged. */
export const SILENCE_MS = 10_000;
/** How often the watchdog looks at how long the worker has been silent. */
export const WATCHDOG_EVERY_MS = 2_000;
/** Fresh workers a run may be resumed on before its failure is reported as final. */
export const MAX_RECOVERIES = 3;

/** The time and timers the watchdog uses; the globals by default, looked up at each call (so fake timers installed later apply). */
export interface WatchdogTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const GLOBAL_TIMERS: WatchdogTimers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface WatchdogOptions {
  /** Resolves when the worker answers; a worker answers between training chunks. */
  ping: () => Promise<unknown>;
  /** Whether the watched run is still the page's current one: once not, the watchdog stops. */
  current: () => boolean;
  /** Whether the worker is training now: a paused run is not pinged. */
  training: () => boolean;
  /** Training time per step so far (0 before the first): slow steps earn more patience. */
  msPerStep: () => number;
  /** Called at most once, when a ping went unanswered for the whole patience; the watchdog then stops. */
  onSilent: () => void;
  silenceMs?: number;
  everyMs?: number;
  timers?: WatchdogTimers;
}

export interface Watchdog {
  /** The worker sent something (metrics, a snapshot, an answer): it is alive now. */
  heard(): void;
  /** Stops watching for good (the run ended or was replaced). */
  stop(): void;
}

/**
 * Patience is max(silenceMs, 3 × msPerStep): the worker is pinged once silent that long, and given
 * as long again to answer. Only one ping is out at a time.
 */
export function watchWorker(options: WatchdogOptions): Watchdog {
  const { ping, current, training, msPerStep, onSilent, silenceMs = SILENCE_MS, everyMs = WATCHDOG_EVERY_MS, timers = GLOBAL_TIMERS } = options;
  let lastHeard = timers.now();
  let pinging = false;
  let stopped = false;

  const stop = () => {
    stopped = true;
    timers.clearInterval(interval);
  };

  async function check() {
    if (!stopped && !current()) stop();
    if (stopped || pinging || !training()) return;
    const patience = Math.max(silenceMs, 3 * msPerStep());
    if (timers.now() - lastHeard < patience) return;
    pinging = true;
    let timer: unknown;
    const answered = await Promise.race([
      ping().then(
        () => true,
        () => false,
      ),
      new Promise<false>((resolve) => (timer = timers.setTimeout(() => resolve(false), patience))),
    ]);
    timers.clearTimeout(timer);
    pinging = false;
    if (stopped || !current()) return;
    if (answered) {
      lastHeard = timers.now();
      return;
    }
    stop();
    onSilent();
  }

  const interval = timers.setInterval(() => void check(), everyMs);
  return { heard: () => void (lastHeard = timers.now()), stop };
}

/**
 * Counts the fresh workers one run has been resumed on: a run that keeps failing is given up after
 * `max` of them, with a message that says so.
 */
export class RecoveryBudget {
  private used = 0;

  constructor(readonly max = MAX_RECOVERIES) {}

  /** A new run (started, or resumed by the person) gets the whole budget again. */
  reset(): void {
    this.used = 0;
  }

  /** Takes one attempt; false once all `max` are spent. */
  take(): boolean {
    if (this.used >= this.max) return false;
    this.used++;
    return true;
  }

  get attempts(): number {
    return this.used;
  }

  /** Why the run is given up: the failure, and the attempts already made to resume it. */
  givingUp(worker: string, why: string): string {
    const attempts = `${this.used} attempt${this.used === 1 ? '' : 's'}`;
    return `the ${worker} worker failed: ${why}. Gave up after ${attempts} to resume the run on a fresh worker from its checkpoint; Resume it from Saved runs to try again.`;
  }
}
