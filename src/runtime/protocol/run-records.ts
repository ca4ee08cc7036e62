/**
 * The records of a run that both sides read: the worker writes them to the run store while it
 * trains, the page lists, opens and resumes them. Types only, like the rest of the protocol.
 */
import type { AlignmentSummary } from '../../core/align/align-seeds';
import type { TrainConfig } from '../../core/train/config';
import type { RunState } from './run-state';

/** What the run trained on, enough to load the same data again to resume it. */
export type RunData = { kind: 'mnist'; trainLimit: number | null } | { kind: 'shards'; location: string; name: string };

export interface RunRecord {
  id: string;
  /** The runs of one comparison (A and B, started together) share this id. */
  comparisonId: string;
  /** 0: configuration A, 1: B. */
  side: 0 | 1;
  /** The experiment as the page's link (its query string), to set the page up again on resume. */
  link: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  /** Saved by the worker as a LiveRunState; the page reads a run left training or paused as interrupted. */
  status: RunState;
  /** Why it stopped, when it did not simply finish (divergence, a failed save). */
  message: string | null;
  config: TrainConfig;
  seeds: number[];
  data: RunData;
  step: number;
  totalSteps: number;
  elapsedMs: number;
  /** The step of the saved checkpoint: a resumed run continues from there. */
  checkpointStep: number | null;
  /** Training time between checkpoints, kept so that a resumed run saves as often. */
  checkpointEveryMs: number;
  alignment: AlignmentSummary | null;
}

/** What the page says about a run it wants kept: who it is, and how to load its data again. */
export interface PersistSpec {
  runId: string;
  comparisonId: string;
  side: 0 | 1;
  link: string;
  name: string;
  data: RunData;
  /** Training time between two checkpoints: at most this much is lost to a crash or a reload. */
  checkpointEveryMs: number;
}

/** One configuration's alignment at one step. */
export interface AlignmentAt {
  step: number;
  alignment: AlignmentSummary;
}

export interface ComparisonRecord {
  id: string;
  runs: RunRecord[];
}
