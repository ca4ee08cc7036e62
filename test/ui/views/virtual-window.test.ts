import { describe, expect, it } from 'vitest';
import { parseFeatureIndex, positionsOf, scrollTopFor, visibleWindow } from '../../../src/ui/views/virtual-window';

describe('visibleWindow', () => {
  it('renders the rows in view plus the overscan, with spacers for the rest', () => {
    // 16,384 rows of 24 px, 400 px of viewport scrolled to row 1000.
    const w = visibleWindow(1000 * 24, 400, 24, 16384, 5);
    expect(w.start).toBe(995);
    // 400/24 → 17 rows cover the viewport (+1 for a partly shown row), then 5 more.
    expect(w.end).toBe(1000 + 18 + 5);
    expect(w.padTop).toBe(995 * 24);
    expect(w.padBottom).toBe((16384 - w.end) * 24);
    // The spacers and rows add up to the whole list, so the scrollbar is true.
    expect(w.padTop + (w.end - w.start) * 24 + w.padBottom).toBe(16384 * 24);
  });

  it('clamps at both ends and copes with an empty or tiny list', () => {
    expect(visibleWindow(-50, 400, 24, 16384, 3)).toMatchObject({ start: 0, padTop: 0 });
    const end = visibleWindow(10 ** 9, 400, 24, 100, 3);
    expect(end.end).toBe(100);
    expect(end.padBottom).toBe(0);
    expect(end.start).toBe(96);
    expect(visibleWindow(0, 400, 24, 0)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    expect(visibleWindow(0, 400, 24, 3, 8)).toEqual({ start: 0, end: 3, padTop: 0, padBottom: 0 });
  });
});

describe('scrollTopFor', () => {
  it('leaves a row already in view where it is', () => {
    expect(scrollTopFor(12, 240, 400, 24, 1000)).toBe(240);
  });
  it('centres a row out of view, clamped to the list', () => {
    expect(scrollTopFor(500, 0, 400, 24, 1000)).toBe(500 * 24 - (400 - 24) / 2);
    expect(scrollTopFor(0, 5000, 400, 24, 1000)).toBe(0);
    expect(scrollTopFor(999, 0, 400, 24, 1000)).toBe(1000 * 24 - 400);
  });
});

describe('positionsOf and parseFeatureIndex', () => {
  it('inverts a display order', () => {
    expect(Array.from(positionsOf(Int32Array.from([3, 0, 2, 1])))).toEqual([1, 3, 2, 0]);
  });
  it('reads an index typed with or without #, and refuses others', () => {
    expect(parseFeatureIndex(' 12 ', 100)).toBe(12);
    expect(parseFeatureIndex('#7', 100)).toBe(7);
    expect(parseFeatureIndex('100', 100)).toBeNull();
    expect(parseFeatureIndex('-1', 100)).toBeNull();
    expect(parseFeatureIndex('1.5', 100)).toBeNull();
    expect(parseFeatureIndex('', 100)).toBeNull();
  });
});
