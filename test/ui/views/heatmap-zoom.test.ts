import { describe, expect, it } from 'vitest';
import { wholeRange } from '../../../src/core/analysis/heatmap-pool';
import { blockAround, cellAt, dragRange, rangeLabel, zoomStackFor } from '../../../src/ui/views/heatmap-zoom';

describe('cellAt', () => {
  it('maps a pooled pixel to its block’s first cell inside the zoomed range', () => {
    // 16,384 rows pooled to 512 pixels: 32 cells a pixel.
    expect(cellAt(wholeRange(16384), 512, 10.7, 3.2)).toEqual({ row: 96, col: 320 });
    // A 100-cell block at (200, 300) pooled to 100 pixels: one cell a pixel.
    expect(cellAt({ row0: 200, col0: 300, side: 100 }, 100, 5.5, 99.9)).toEqual({ row: 299, col: 305 });
    // Off the canvas: the edge pixel.
    expect(cellAt({ row0: 200, col0: 300, side: 100 }, 100, -4, 400)).toEqual({ row: 299, col: 300 });
  });
});

describe('dragRange', () => {
  it('takes the smallest square holding both corners, whichever is first', () => {
    expect(dragRange(1000, { row: 100, col: 120 }, { row: 150, col: 140 })).toEqual({ row0: 100, col0: 120, side: 51 });
    expect(dragRange(1000, { row: 150, col: 140 }, { row: 100, col: 120 })).toEqual({ row0: 100, col0: 120, side: 51 });
  });
  it('moves a square that overhangs the matrix back inside, and never exceeds it', () => {
    expect(dragRange(1000, { row: 990, col: 10 }, { row: 999, col: 60 })).toEqual({ row0: 949, col0: 10, side: 51 });
    expect(dragRange(10, { row: 0, col: 0 }, { row: 9, col: 9 })).toEqual(wholeRange(10));
  });
  it('zooms down to a single cell', () => {
    expect(dragRange(1000, { row: 5, col: 7 }, { row: 5, col: 7 })).toEqual({ row0: 5, col0: 7, side: 1 });
  });
});

describe('blockAround', () => {
  it('zooms a click in by 4, centred on the cell and kept inside the matrix', () => {
    // 4096 cells centred on 8000: it starts 4095/2 = 2047.5 before, rounded to a whole row.
    expect(blockAround(16384, wholeRange(16384), { row: 8000, col: 8000 })).toEqual({ row0: 5953, col0: 5953, side: 4096 });
    expect(blockAround(16384, wholeRange(16384), { row: 0, col: 16383 })).toEqual({ row0: 0, col0: 12288, side: 4096 });
    // Repeated clicks reach single cells.
    let range = wholeRange(16384);
    for (let i = 0; i < 8; i++) range = blockAround(16384, range, { row: 77, col: 90 });
    expect(range).toEqual({ row0: 77, col0: 90, side: 1 });
  });
});

describe('rangeLabel and zoomStackFor', () => {
  it('labels ranges 1-based', () => {
    expect(rangeLabel(wholeRange(512), 512)).toBe('all 512');
    expect(rangeLabel({ row0: 0, col0: 10, side: 5 }, 512)).toBe('rows 1–5, columns 11–15');
    expect(rangeLabel({ row0: 3, col0: 4, side: 1 }, 512)).toBe('rows 4, columns 5');
  });
  it('keeps the zoom for a new snapshot of the same pair, and resets it otherwise', () => {
    const stack = [wholeRange(100), { row0: 10, col0: 10, side: 20 }];
    expect(zoomStackFor(stack, 100, true)).toBe(stack);
    expect(zoomStackFor(stack, 100, false)).toEqual([wholeRange(100)]);
    expect(zoomStackFor(stack, 25, true)).toEqual([wholeRange(25)]);
  });
});
