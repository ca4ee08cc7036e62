/**
 * What the person is looking at: which configuration, seed and feature (with a second one beside it
 * after a heatmap click), the heatmap's seed pair and zoom, the steering digit and strength. Not part of the experiment; the URL keeps only what a demo
 * link needs to open on the same feature (see url-state.ts).
 */
import { sameRange, type ZoomRange } from '../../core/analysis/heatmap-pool';
import type { Side } from './experiment';

export type SortBy = 'index' | 'stability' | 'frequency' | 'norm';

/** One feature of one seed of the selected configuration. */
export interface FeatureRef {
  seed: number;
  feature: number;
}

/**
 * How the selected feature was reached from the other configuration: it is the partner of `feature`
 * of `side`'s seed `seed` when their decoder directions are matched across the two configurations.
 */
export interface CrossPartner extends FeatureRef {
  side: Side;
  /** Decoder |cos| of the two features. */
  cosine: number;
  /**
   * 'assignment': the optimal one-to-one matching of the two seeds' decoder directions; 'best': the
   * largest |cos| (the feature is left out of a matching between SAEs of different widths).
   */
  how: 'assignment' | 'best';
}

/** What the heatmap's canvas shows of its pair; the worker pools that block to that many pixels. */
export interface HeatmapView {
  /** A zoomed block of the pair's ordered matrix; null: all of it. */
  range: ZoomRange | null;
  /** The canvas's side in device pixels. */
  size: number;
}

/** The heatmap's view until it has measured its canvas: the whole matrix at its widest. */
export const DEFAULT_HEATMAP_VIEW: HeatmapView = { range: null, size: 512 };

export interface Selection {
  /** The configuration the grid, heatmap, inspector and steering panel show. */
  side: Side;
  /** The seed whose features the grid shows. */
  seed: number;
  feature: number | null;
  /**
   * A second feature shown beside the selected one: the column feature of a clicked heatmap cell
   * (the selected feature is the row's). Cleared by any other selection.
   */
  companion: FeatureRef | null;
  /** Set when switching configurations landed on the selected feature as a matched partner. */
  arrivedFrom: CrossPartner | null;
  sortBy: SortBy;
  /** The heatmap's two seeds (rows, columns). */
  pair: [number, number];
  /** The heatmap's zoom and canvas size (reported by the view); another pair starts unzoomed. */
  heatmapView: HeatmapView;
  /** Index of the test digit to steer. */
  digit: number;
  /** Steering strength α of the single steered image. */
  alpha: number;
}

/** The α range of the steering strip, in units of a unit decoder direction's length (pixel space). */
export const STEERING_STRIP_ALPHAS = [-8, -4, -2, 0, 2, 4, 8, 12];
export const ALPHA_RANGE = { min: -12, max: 12, step: 0.5 } as const;

export function defaultSelection(): Selection {
  return { side: 0, seed: 0, feature: null, companion: null, arrivedFrom: null, sortBy: 'stability', pair: [0, 1], heatmapView: DEFAULT_HEATMAP_VIEW, digit: 0, alpha: 4 };
}

/** The selection made consistent with the number of seeds (after a change of the experiment). */
export function clampSelection(selection: Selection, seedCount: number): Selection {
  const seed = Math.min(selection.seed, seedCount - 1);
  const [a, b] = selection.pair;
  const pair: [number, number] = a < seedCount && b < seedCount && a !== b ? [a, b] : [0, Math.min(1, seedCount - 1)];
  const companion = selection.companion && selection.companion.seed < seedCount ? selection.companion : null;
  return seed === selection.seed && pair === selection.pair && companion === selection.companion ? selection : { ...selection, seed, pair, companion };
}

/** The heatmap's view after a change of pair: a zoom into one pair's matrix means nothing in another's. */
export function unzoomedOnNewPair(before: Selection, after: Selection): Selection {
  const samePair = before.pair[0] === after.pair[0] && before.pair[1] === after.pair[1];
  return samePair || after.heatmapView.range === null ? after : { ...after, heatmapView: { ...after.heatmapView, range: null } };
}

/** Whether two views ask the worker for the same pixels. */
export function sameHeatmapView(a: HeatmapView, b: HeatmapView): boolean {
  if (a.size !== b.size) return false;
  if (a.range === null || b.range === null) return a.range === b.range;
  return sameRange(a.range, b.range);
}

/** The selection moved to another feature (or seed, or configuration): what belonged to the old one goes. */
export function movedOn(before: Selection, after: Selection): boolean {
  return before.side !== after.side || before.seed !== after.seed || before.feature !== after.feature;
}
