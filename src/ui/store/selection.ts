/**
 * What the person is looking at: which configuration, seed and feature, the heatmap's seed pair,
 * the steering digit and strength. Not part of the experiment; the URL keeps only what a demo
 * link needs to open on the same feature (see url-state.ts).
 */
import type { Side } from './experiment';

export type SortBy = 'index' | 'stability' | 'frequency' | 'norm';

export interface Selection {
  /** The configuration the grid, heatmap, inspector and steering panel show. */
  side: Side;
  /** The seed whose features the grid shows. */
  seed: number;
  feature: number | null;
  sortBy: SortBy;
  /** The heatmap's two seeds (rows, columns). */
  pair: [number, number];
  /** Index of the test digit to steer. */
  digit: number;
  /** Steering strength α of the single steered image. */
  alpha: number;
}

/** The α range of the steering strip, in units of a unit decoder direction's length (pixel space). */
export const STEERING_STRIP_ALPHAS = [-8, -4, -2, 0, 2, 4, 8, 12];
export const ALPHA_RANGE = { min: -12, max: 12, step: 0.5 } as const;

export function defaultSelection(): Selection {
  return { side: 0, seed: 0, feature: null, sortBy: 'stability', pair: [0, 1], digit: 0, alpha: 4 };
}

/** The selection made consistent with the number of seeds (after a change of the experiment). */
export function clampSelection(selection: Selection, seedCount: number): Selection {
  const seed = Math.min(selection.seed, seedCount - 1);
  const [a, b] = selection.pair;
  const pair: [number, number] = a < seedCount && b < seedCount && a !== b ? [a, b] : [0, Math.min(1, seedCount - 1)];
  return seed === selection.seed && pair === selection.pair ? selection : { ...selection, seed, pair };
}
