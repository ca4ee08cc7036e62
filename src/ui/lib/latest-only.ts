/**
 * Request coalescing for worker calls that the page asks for faster than a worker answers (a
 * heatmap matrix per snapshot, a steering strip per slider move): at most one call is in flight,
 * and while it runs only the newest request waits; older waiting ones are dropped, since their
 * answers would be out of date before they arrived.
 */
export interface LatestOnly<A> {
  request(args: A): void;
  /** Resolves once nothing is in flight or waiting (tests, shutdown). */
  idle(): Promise<void>;
}

export function latestOnly<A>(run: (args: A) => Promise<void>): LatestOnly<A> {
  let waiting: { args: A } | null = null;
  let inFlight: Promise<void> | null = null;

  const drain = async () => {
    while (waiting) {
      const { args } = waiting;
      waiting = null;
      // `run` reports its own failures; one failed call must not stop the next.
      await run(args).catch(() => undefined);
    }
    inFlight = null;
  };

  return {
    request(args) {
      waiting = { args };
      inFlight ??= drain();
    },
    idle: async () => {
      while (inFlight) await inFlight;
    },
  };
}
