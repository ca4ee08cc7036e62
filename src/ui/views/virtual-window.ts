// Which rows of a long list of fixed-height rows the DOM needs: only those in (or near) the
// viewport, so a 16,384-feature table costs the page a few dozen rows, with spacers above and below
// keeping the scrollbar's length and position true to the whole list.

export interface VirtualWindow {
  /** First row rendered, and one past the last. */
  start: number;
  end: number;
  /** Heights in pixels of the spacers standing in for the rows above `start` and from `end` on. */
  padTop: number;
  padBottom: number;
}

/**
 * Rows to render for a viewport scrolled to `scrollTop` (pixels) showing `viewportHeight` pixels of
 * `count` rows of `rowHeight` pixels each, with `overscan` extra rows either side so a fast scroll
 * does not flash empty space before the next render.
 */
export function visibleWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 8): VirtualWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.min(count - 1, Math.floor(top / rowHeight));
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, first + visible + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}

/**
 * The scrollTop that shows row `position`: unchanged when it is already fully in view, otherwise the
 * row centred (clamped to the list), so a searched-for feature lands where the eye is.
 */
export function scrollTopFor(position: number, scrollTop: number, viewportHeight: number, rowHeight: number, count: number): number {
  const rowTop = position * rowHeight;
  if (rowTop >= scrollTop && rowTop + rowHeight <= scrollTop + viewportHeight) return scrollTop;
  const maxScroll = Math.max(0, count * rowHeight - viewportHeight);
  return Math.min(maxScroll, Math.max(0, Math.round(rowTop - (viewportHeight - rowHeight) / 2)));
}

/** Where each feature sits in a display order (the order's inverse): position[feature]. */
export function positionsOf(order: ArrayLike<number>): Int32Array {
  const position = new Int32Array(order.length).fill(-1);
  for (let p = 0; p < order.length; p++) position[order[p]] = p;
  return position;
}

/** A typed feature index if `text` is one of `count` features ("#12", " 12 " too), else null. */
export function parseFeatureIndex(text: string, count: number): number | null {
  const match = /^\s*#?\s*(\d+)\s*$/.exec(text);
  if (!match) return null;
  const index = Number(match[1]);
  return index < count ? index : null;
}
