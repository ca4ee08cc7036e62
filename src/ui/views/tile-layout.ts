// Where each tile of the decoder grid sits on its canvas, and which tile a click landed on.
// Slots are positions in display order; the caller maps a slot to a feature through its sort order.

export interface TileGridOptions {
  /** Tiles to place. */
  count: number;
  /** Width the grid may fill, in CSS pixels; at least one column is always placed. */
  availableWidth: number;
  /** Side of one tile's image in pixels. */
  tileSize: number;
  /** Space between tiles; it holds the selection and dead-feature outlines. */
  gap?: number;
  /** Height of the stability bar under each tile; 0 for none. */
  barHeight?: number;
}

export interface TileGridLayout {
  count: number;
  columns: number;
  rows: number;
  tileSize: number;
  barHeight: number;
  /** Tile image + bar (what a click may land on), without the gap. */
  cellHeight: number;
  /** Distance between the origins of neighbouring tiles. */
  pitchX: number;
  pitchY: number;
  /** Empty border around the grid, so outlines of edge tiles are not clipped. */
  margin: number;
  width: number;
  height: number;
}

/** The bar sits this far below its tile, so it reads as a separate mark. */
const BAR_OFFSET = 1;

export function tileGridLayout(options: TileGridOptions): TileGridLayout {
  const { count, availableWidth, tileSize } = options;
  const gap = options.gap ?? 4;
  const barHeight = options.barHeight ?? 0;
  const margin = Math.ceil(gap / 2);
  const cellHeight = tileSize + (barHeight > 0 ? BAR_OFFSET + barHeight : 0);
  const pitchX = tileSize + gap;
  const pitchY = cellHeight + gap;
  const fit = Math.floor((availableWidth - 2 * margin + gap) / pitchX);
  const columns = Math.max(1, Math.min(fit, count));
  const rows = count === 0 ? 0 : Math.ceil(count / columns);
  return {
    count,
    columns,
    rows,
    tileSize,
    barHeight,
    cellHeight,
    pitchX,
    pitchY,
    margin,
    width: count === 0 ? 0 : 2 * margin + columns * pitchX - gap,
    height: rows === 0 ? 0 : 2 * margin + rows * pitchY - gap,
  };
}

/** Top-left corner of slot's tile image. */
export function tileOrigin(layout: TileGridLayout, slot: number): { x: number; y: number } {
  const row = Math.floor(slot / layout.columns);
  const col = slot - row * layout.columns;
  return { x: layout.margin + col * layout.pitchX, y: layout.margin + row * layout.pitchY };
}

/** Top-left corner of slot's stability bar (only meaningful when barHeight > 0). */
export function barOrigin(layout: TileGridLayout, slot: number): { x: number; y: number } {
  const { x, y } = tileOrigin(layout, slot);
  return { x, y: y + layout.tileSize + BAR_OFFSET };
}

/** The slot whose tile or bar contains (x, y), or −1 for the gaps, the margin and empty cells. */
export function slotAt(layout: TileGridLayout, x: number, y: number): number {
  const localX = x - layout.margin;
  const localY = y - layout.margin;
  if (localX < 0 || localY < 0) return -1;
  const col = Math.floor(localX / layout.pitchX);
  const row = Math.floor(localY / layout.pitchY);
  if (col >= layout.columns || localX - col * layout.pitchX >= layout.tileSize) return -1;
  if (localY - row * layout.pitchY >= layout.cellHeight) return -1;
  const slot = row * layout.columns + col;
  return slot < layout.count ? slot : -1;
}
