/**
 * What a visit to the page comes back to, before anything trains: a run a reload interrupted (to be
 * resumed, never trained over), or the very experiment of the link already trained and saved (to be
 * opened, not trained and stored again).
 */
import type { ComparisonRecord } from '../runtime/protocol/run-records';
import { parseUrlState, serializeUrlState } from './store/url-state';

/** Shown above the saved runs until the person acts on it. */
export type Arrival =
  | { kind: 'interrupted'; comparisonId: string; name: string; checkpointStep: number | null }
  | { kind: 'reopened'; comparisonId: string; name: string; finishedAt: number };

/** The newest saved comparison, if a reload or a closed tab left it unfinished. */
export function interruptedComparison(comparisons: readonly ComparisonRecord[]): Arrival | null {
  const newest = comparisons[0];
  if (!newest || !newest.runs.some((r) => r.status === 'interrupted')) return null;
  const steps = newest.runs.map((r) => r.checkpointStep);
  return { kind: 'interrupted', comparisonId: newest.id, name: newest.runs[0].name, checkpointStep: steps.includes(null) ? null : Math.min(...(steps as number[])) };
}

/**
 * A finished saved comparison of exactly this experiment: the same link (every setting, the seeds
 * and the data), one run per configuration it trains, every run done.
 */
export function finishedTwin(comparisons: readonly ComparisonRecord[], link: string, sides: number): Arrival | null {
  // A run saved before the URL's keys became the settings' paths (width=16, data=shards) has its link
  // in the old words: read and written again, it is the link the page writes today.
  const same = (saved: string) => saved === link || serializeUrlState(parseUrlState(saved).state) === link;
  const twin = comparisons.find((c) => c.runs.length === sides && c.runs.every((r) => r.status === 'done' && same(r.link) && r.checkpointStep !== null));
  return twin ? { kind: 'reopened', comparisonId: twin.id, name: twin.runs[0].name, finishedAt: Math.max(...twin.runs.map((r) => r.updatedAt)) } : null;
}
