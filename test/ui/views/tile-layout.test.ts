import { describe, expect, it } from 'vitest';
import { barOrigin, slotAt, tileGridLayout, tileOrigin } from '../../../src/ui/views/tile-layout';

const options = { count: 50, availableWidth: 300, tileSize: 28, gap: 4, barHeight: 3 };

describe('tileGridLayout', () => {
  it('fits as many columns as the width allows and enough rows for every tile', () => {
    const layout = tileGridLayout(options);
    expect(layout.width).toBeLessThanOrEqual(options.availableWidth);
    // One more column would not fit.
    const wider = tileGridLayout({ ...options, availableWidth: layout.width + layout.pitchX - 1 });
    expect(wider.columns).toBe(layout.columns);
    expect(layout.rows * layout.columns).toBeGreaterThanOrEqual(options.count);
    expect((layout.rows - 1) * layout.columns).toBeLessThan(options.count);
  });

  it('keeps one column when even one tile is wider than the space', () => {
    const layout = tileGridLayout({ ...options, availableWidth: 10 });
    expect(layout.columns).toBe(1);
    expect(layout.rows).toBe(options.count);
  });

  it('uses no more columns than tiles, and lays out nothing for no tiles', () => {
    expect(tileGridLayout({ ...options, count: 3 }).columns).toBe(3);
    const empty = tileGridLayout({ ...options, count: 0 });
    expect([empty.rows, empty.width, empty.height]).toEqual([0, 0, 0]);
  });

  it('contains every tile and bar inside its width and height', () => {
    const layout = tileGridLayout(options);
    for (let slot = 0; slot < options.count; slot++) {
      const { x, y } = tileOrigin(layout, slot);
      const bar = barOrigin(layout, slot);
      expect(x + layout.tileSize).toBeLessThanOrEqual(layout.width);
      expect(bar.y + layout.barHeight).toBeLessThanOrEqual(layout.height);
      expect(bar.y).toBeGreaterThanOrEqual(y + layout.tileSize);
    }
  });
});

describe('slotAt', () => {
  const layout = tileGridLayout(options);

  it('maps every point of a tile and its bar back to that tile', () => {
    for (let slot = 0; slot < options.count; slot++) {
      const { x, y } = tileOrigin(layout, slot);
      expect(slotAt(layout, x, y)).toBe(slot);
      expect(slotAt(layout, x + layout.tileSize / 2, y + layout.tileSize / 2)).toBe(slot);
      expect(slotAt(layout, x + layout.tileSize - 0.01, y + layout.cellHeight - 0.01)).toBe(slot);
    }
  });

  it('finds no tile in the gaps, the margin, or past the last tile', () => {
    const { x, y } = tileOrigin(layout, 0);
    expect(slotAt(layout, x + layout.tileSize + 1, y)).toBe(-1);
    expect(slotAt(layout, x, y + layout.cellHeight + 1)).toBe(-1);
    expect(slotAt(layout, 0, 0)).toBe(-1);
    expect(slotAt(layout, layout.width + 5, y)).toBe(-1);
    const lastRow = tileOrigin(layout, (layout.rows - 1) * layout.columns);
    const emptyCell = layout.columns * layout.rows - 1;
    if (emptyCell >= options.count) {
      expect(slotAt(layout, lastRow.x + (layout.columns - 1) * layout.pitchX + 1, lastRow.y + 1)).toBe(-1);
    }
  });
});
