// Zooming the alignment heatmap: which square block of the n×n matrix is shown, from a drag or a
// click on the pooled canvas, and the way back out. Ranges stay square so the matched pairs stay on
// the block's diagonal when it straddles the diagonal, and each pixel keeps square cells.

import { binStart, wholeRange, type ZoomRange } from '../../core/analysis/heatmap-pool';

export type { ZoomRange };

/** How much a click on a block zooms in: the new side is the old one over this. */
export const CLICK_ZOOM = 4;

/** The matrix cell (row, col) at pooled pixel (px, py) of a range pooled to `size` pixels a side: its block's first cell. */
export function cellAt(range: ZoomRange, size: number, px: number, py: number): { row: number; col: number } {
  const pixel = (v: number) => Math.min(size - 1, Math.max(0, Math.floor(v)));
  return { row: range.row0 + binStart(pixel(py), size, range.side), col: range.col0 + binStart(pixel(px), size, range.side) };
}

/** Shifts a square block of `side` starting near (row0, col0) so it lies inside the n×n matrix. */
function clampRange(n: number, row0: number, col0: number, side: number): ZoomRange {
  const s = Math.max(1, Math.min(n, Math.round(side)));
  const clamp = (v: number) => Math.min(n - s, Math.max(0, Math.round(v)));
  return { row0: clamp(row0), col0: clamp(col0), side: s };
}

/**
 * The square block a drag from cell a to cell b (either corner first) asks for: the smallest square
 * holding both cells, starting at the drag's top-left, moved back inside the matrix if it overhangs.
 */
export function dragRange(n: number, a: { row: number; col: number }, b: { row: number; col: number }): ZoomRange {
  const side = Math.max(Math.abs(a.row - b.row), Math.abs(a.col - b.col)) + 1;
  return clampRange(n, Math.min(a.row, b.row), Math.min(a.col, b.col), side);
}

/** The block a click on `cell` zooms to: 1/CLICK_ZOOM of the current side, centred on the cell. */
export function blockAround(n: number, range: ZoomRange, cell: { row: number; col: number }): ZoomRange {
  const side = Math.max(1, Math.ceil(range.side / CLICK_ZOOM));
  return clampRange(n, cell.row - (side - 1) / 2, cell.col - (side - 1) / 2, side);
}

/** Whether a range is the whole matrix (nothing to zoom out of). */
export const isFull = (range: ZoomRange, n: number) => range.side >= n;

/** A range in words for the breadcrumb, 1-based as a reader counts rows. */
export function rangeLabel(range: ZoomRange, n: number): string {
  if (isFull(range, n)) return `all ${n}`;
  const span = (start: number) => (range.side === 1 ? `${start + 1}` : `${start + 1}–${start + range.side}`);
  return `rows ${span(range.row0)}, columns ${span(range.col0)}`;
}

/**
 * The zoom stack to keep when a new matrix arrives: the same one for the same pair and width (a new
 * snapshot of the same seeds), the whole matrix otherwise.
 */
export function zoomStackFor(stack: ZoomRange[], n: number, samePair: boolean): ZoomRange[] {
  const fits = stack.every((r) => r.row0 + r.side <= n && r.col0 + r.side <= n);
  return samePair && fits && stack.length > 0 ? stack : [wholeRange(n)];
}
