/** Holds the workers' metrics and hands them to the store a few times a second, both configurations together. */
import type { LabMetricsUpdate } from '../../runtime/protocol/lab-api';
import type { Side } from '../store/experiment';
import type { LabStore } from '../store/lab-store';
import { mergeMetricsUpdates } from '../store/runtime';

/**
 * Metrics reach the store at most this often, both configurations together: each store update
 * redraws every curve, and at the workers' 10 Hz each that would take the main thread's time
 * from the rest of the page. Four redraws a second still look live.
 */
const METRICS_RENDER_MS = 250;

export interface MetricsThrottle {
  /** Holds one side's update for the next render. */
  queue(side: Side, update: LabMetricsUpdate): void;
  /** Hands what is held to the store now (a run that ended shows its last metrics at once). */
  flush(): void;
  /** Forgets what is held for a side: its run was replaced, and the old run's metrics must not land. */
  drop(side: Side): void;
  dispose(): void;
}

export function createMetricsThrottle(store: LabStore): MetricsThrottle {
  const unrendered: LabMetricsUpdate[][] = [[], []];
  let renderTimer: ReturnType<typeof setTimeout> | null = null;

  function flush() {
    if (renderTimer !== null) clearTimeout(renderTimer);
    renderTimer = null;
    for (const side of [0, 1] as Side[]) {
      const merged = mergeMetricsUpdates(unrendered[side]);
      unrendered[side] = [];
      if (merged) store.getState().addMetrics(side, merged);
    }
  }

  return {
    queue(side, update) {
      unrendered[side].push(update);
      renderTimer ??= setTimeout(flush, METRICS_RENDER_MS);
    },
    flush,
    drop(side) {
      unrendered[side] = [];
    },
    dispose() {
      if (renderTimer !== null) clearTimeout(renderTimer);
    },
  };
}
