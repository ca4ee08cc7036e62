// Paints the decoder grid: every tile's pixels and stability bar go into one packed-RGBA buffer
// (one putImageData for hundreds of tiles), then the few vector marks (dead hatching, the selection)
// are stroked on top.

import { lutColor, packRgba, SEQUENTIAL_LUT } from './colormap';
import { maxAbs, pixelMapping, writeImage, type PixelBuffer } from './image-pixels';
import { barOrigin, tileOrigin, type TileGridLayout } from './tile-layout';

export interface DecoderGridPixels {
  /** One seed's W_dec, [d_sae, d_in] row-major. */
  decoders: Float32Array;
  /** Image side: d_in = side². */
  side: number;
  /** Image pixels per source pixel (tileSize = side · scale). */
  scale: number;
  /** Slot → feature, display order; the first layout.count slots are drawn. */
  order: Int32Array;
  layout: TileGridLayout;
  /** Per feature in [0, 1], drawn as the bar under each tile; absent: no bars. */
  stability?: Float32Array;
  /** The |weight| drawn fully saturated in every tile; absent: each tile's own max |weight|. */
  sharedMax?: number;
  /** Device pixels per CSS pixel (an integer, so tile pixels stay square and crisp). */
  pixelRatio: number;
}

/** The grid's pixels; owns its ArrayBuffer so ImageData can wrap it without a copy. */
export interface GridPixels extends PixelBuffer {
  words: Uint32Array<ArrayBuffer>;
  height: number;
}

const BACKGROUND = packRgba(255, 255, 255);

/** Canvas pixels a grid may use: about 30 ms to fill on a slow laptop core. */
export const GRID_PIXEL_BUDGET = 8_000_000;

/**
 * The device-pixel ratio to render at: the screen's (rounded, at most 2) while the canvas stays within
 * the pixel budget, else 1. Tiles stay crisp either way (they are drawn nearest-neighbour); only the
 * outlines lose sharpness.
 */
export function gridPixelRatio(layout: TileGridLayout, devicePixelRatio: number): number {
  const ratio = Math.min(2, Math.max(1, Math.round(devicePixelRatio || 1)));
  return layout.width * layout.height * ratio * ratio <= GRID_PIXEL_BUDGET ? ratio : 1;
}
const BAR_TRACK = packRgba(232, 232, 232);
/** A hairline frame: tiles are mostly white, and without it they would melt into the background. */
const TILE_FRAME = packRgba(214, 214, 214);

/** The grid's pixels at pixelRatio × the layout's CSS size. */
export function renderDecoderGrid(input: DecoderGridPixels): GridPixels {
  const { decoders, side, layout, order, pixelRatio: ratio } = input;
  const width = layout.width * ratio;
  const height = layout.height * ratio;
  const target = { words: new Uint32Array(width * height).fill(BACKGROUND), width, height };
  const dIn = side * side;
  for (let slot = 0; slot < layout.count; slot++) {
    const feature = order[slot];
    const offset = feature * dIn;
    const { x, y } = tileOrigin(layout, slot);
    fillRect(target, (x - 1) * ratio, (y - 1) * ratio, (layout.tileSize + 2) * ratio, (layout.tileSize + 2) * ratio, TILE_FRAME);
    const mapping = pixelMapping('diverging', input.sharedMax ?? maxAbs(decoders, offset, dIn));
    writeImage(target, x * ratio, y * ratio, input.scale * ratio, side, decoders, offset, mapping);
    if (input.stability && layout.barHeight > 0) writeBar(target, layout, slot, input.stability[feature], ratio);
  }
  return target;
}

function fillRect(target: PixelBuffer, x: number, y: number, width: number, height: number, color: number): void {
  for (let row = y; row < y + height; row++) target.words.fill(color, row * target.width + x, row * target.width + x + width);
}

/** A bar whose length and colour both show stability in [0, 1], on a grey track of the tile's width. */
function writeBar(target: PixelBuffer, layout: TileGridLayout, slot: number, stability: number, ratio: number): void {
  const { x, y } = barOrigin(layout, slot);
  const full = layout.tileSize * ratio;
  const value = Number.isFinite(stability) ? Math.min(1, Math.max(0, stability)) : 0;
  const filled = Math.round(value * full);
  const color = lutColor(SEQUENTIAL_LUT, value);
  fillRect(target, x * ratio, y * ratio, filled, layout.barHeight * ratio, color);
  fillRect(target, x * ratio + filled, y * ratio, full - filled, layout.barHeight * ratio, BAR_TRACK);
}

export const DEAD_COLOR = '#8a8a8a';
export const SELECTED_COLOR = '#111';

export interface GridOverlay {
  layout: TileGridLayout;
  /** Slots of dead features (never fired in the recent window). */
  deadSlots: number[];
  /** Slot of the selected feature, or −1. */
  selectedSlot: number;
}

/** Puts the pixels on the canvas and strokes dead-feature hatching and the selection outline over them. */
export function paintDecoderGrid(canvas: HTMLCanvasElement, pixels: GridPixels, ratio: number, overlay: GridOverlay): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  if (canvas.width !== pixels.width || canvas.height !== pixels.height) {
    canvas.width = pixels.width;
    canvas.height = pixels.height;
  }
  const bytes = new Uint8ClampedArray(pixels.words.buffer, pixels.words.byteOffset, pixels.words.byteLength);
  ctx.putImageData(new ImageData(bytes, pixels.width, pixels.height), 0, 0);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const { layout } = overlay;
  const size = layout.tileSize;

  // Hatching every dead tile in one path keeps this cheap when half the features are dead.
  ctx.beginPath();
  for (const slot of overlay.deadSlots) {
    const { x, y } = tileOrigin(layout, slot);
    for (let d = 6; d < 2 * size; d += 6) {
      const x0 = x + Math.max(0, d - size);
      const y0 = y + Math.min(d, size);
      const x1 = x + Math.min(d, size);
      const y1 = y + Math.max(0, d - size);
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
    }
    ctx.rect(x - 0.5, y - 0.5, size + 1, size + 1);
  }
  ctx.strokeStyle = DEAD_COLOR;
  ctx.lineWidth = 1;
  ctx.stroke();

  if (overlay.selectedSlot >= 0 && overlay.selectedSlot < layout.count) {
    const { x, y } = tileOrigin(layout, overlay.selectedSlot);
    ctx.strokeStyle = SELECTED_COLOR;
    ctx.lineWidth = 2;
    ctx.strokeRect(x - 1.5, y - 1.5, size + 3, layout.cellHeight + 3);
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}
