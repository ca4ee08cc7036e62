import { describe, expect, it } from 'vitest';
import { lutColor, packRgba, SEQUENTIAL_LUT } from '../../../src/ui/views/colormap';
import { GRID_PIXEL_BUDGET, gridPixelRatio, renderDecoderGrid } from '../../../src/ui/views/draw-decoder-grid';
import { mappedColor, pixelMapping } from '../../../src/ui/views/image-pixels';
import { barOrigin, tileGridLayout, tileOrigin } from '../../../src/ui/views/tile-layout';

// Three features of 2×2 "images" (d_in 4).
const decoders = Float32Array.from([
  [1, -1, 0, 0.5],
  [0, 0, 0, 2],
  [-4, 0, 2, 0],
].flat());
const order = Int32Array.from([2, 0, 1]);
const stability = Float32Array.from([0.5, 1, 0.25]);

function render(options: { sharedMax?: number; pixelRatio?: number } = {}) {
  const layout = tileGridLayout({ count: 3, availableWidth: 100, tileSize: 4, gap: 4, barHeight: 2 });
  const pixels = renderDecoderGrid({ decoders, side: 2, scale: 2, order, layout, stability, pixelRatio: 1, ...options });
  const at = (x: number, y: number) => pixels.words[y * pixels.width + x];
  return { layout, pixels, at };
}

describe('renderDecoderGrid', () => {
  it('draws each slot’s feature from the sort order, scaled to its own max |weight|', () => {
    const { layout, at } = render();
    // Slot 0 shows feature 2 (max |w| 4): its pixel (0, 0) is −4 → the blue end.
    const slot0 = tileOrigin(layout, 0);
    expect(at(slot0.x, slot0.y)).toBe(mappedColor(pixelMapping('diverging', 4), -4));
    expect(at(slot0.x + 1, slot0.y + 1)).toBe(mappedColor(pixelMapping('diverging', 4), -4));
    // Slot 1 shows feature 0 (max |w| 1): its pixel (1, 1) is 0.5, half way to red.
    const slot1 = tileOrigin(layout, 1);
    expect(at(slot1.x + 2, slot1.y + 2)).toBe(mappedColor(pixelMapping('diverging', 1), 0.5));
  });

  it('uses one scale for all tiles when sharedMax is given', () => {
    const { layout, at } = render({ sharedMax: 4 });
    const slot1 = tileOrigin(layout, 1);
    expect(at(slot1.x, slot1.y)).toBe(mappedColor(pixelMapping('diverging', 4), 1));
  });

  it('draws a stability bar whose filled length and colour follow the feature’s stability', () => {
    const { layout, at } = render();
    // Slot 1 = feature 0, stability 0.5: half of the 4-pixel bar is filled.
    const bar = barOrigin(layout, 1);
    const fill = lutColor(SEQUENTIAL_LUT, 0.5);
    expect([at(bar.x, bar.y), at(bar.x + 1, bar.y + 1)]).toEqual([fill, fill]);
    expect(at(bar.x + 2, bar.y)).not.toBe(fill);
  });

  it('frames each tile with a hairline and leaves the rest of the gaps white', () => {
    const { layout, at } = render();
    const slot0 = tileOrigin(layout, 0);
    const white = packRgba(255, 255, 255);
    const frame = at(slot0.x - 1, slot0.y - 1);
    expect(frame).not.toBe(white);
    expect([at(slot0.x + layout.tileSize, slot0.y), at(slot0.x, slot0.y + layout.tileSize)]).toEqual([frame, frame]);
    expect(at(slot0.x + layout.tileSize + 1, slot0.y)).toBe(white);
    expect(at(0, 0)).toBe(white);
  });

  it('renders at an integer device-pixel ratio with the same layout', () => {
    const { layout, pixels } = render({ pixelRatio: 2 });
    expect([pixels.width, pixels.height]).toEqual([2 * layout.width, 2 * layout.height]);
    const slot0 = tileOrigin(layout, 0);
    expect(pixels.words[2 * slot0.y * pixels.width + 2 * slot0.x + 3]).toBe(mappedColor(pixelMapping('diverging', 4), -4));
  });
});

describe('gridPixelRatio', () => {
  const layoutOf = (count: number) => tileGridLayout({ count, availableWidth: 1000, tileSize: 28, barHeight: 3 });

  it('follows the screen (rounded, at most 2) while the canvas fits the pixel budget', () => {
    const small = layoutOf(64);
    expect(small.width * small.height * 4).toBeLessThanOrEqual(GRID_PIXEL_BUDGET);
    expect(gridPixelRatio(small, 1)).toBe(1);
    expect(gridPixelRatio(small, 1.5)).toBe(2);
    expect(gridPixelRatio(small, 3)).toBe(2);
  });

  it('falls back to 1 when the doubled canvas would exceed the budget', () => {
    const big = tileGridLayout({ count: 1568, availableWidth: 1000, tileSize: 84, barHeight: 3 });
    expect(big.width * big.height * 4).toBeGreaterThan(GRID_PIXEL_BUDGET);
    expect(gridPixelRatio(big, 2)).toBe(1);
  });
});
