// Writes square images (a decoder row, a digit) into a packed-RGBA pixel buffer: the shared inner
// loop of ImageTile and the decoder grid.

import { DIVERGING_LUT, GRAY_LUT, lutColorAt, type ColorLut } from './colormap';

export type ImageMode = 'diverging' | 'gray';

/** The side of a square image of `length` pixels, or 0 when `length` is not a square. */
export function squareSide(length: number): number {
  const side = Math.round(Math.sqrt(length));
  return side > 0 && side * side === length ? side : 0;
}

/** Largest |value| over values[offset, offset + length): the symmetric scale of a diverging image. */
export function maxAbs(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let max = 0;
  for (let i = offset; i < offset + length; i++) {
    const a = Math.abs(values[i]);
    if (a > max) max = a;
  }
  return max;
}

/**
 * How values map onto a colour table: index = value · scale + shift, rounded and clamped. A linear
 * map instead of a per-pixel callback keeps the inner loop free of calls (1.2M pixels for 1568 tiles).
 */
export interface PixelMapping {
  lut: ColorLut;
  scale: number;
  shift: number;
}

/**
 * Diverging maps ±`max` to the saturated ends and 0 to white (an all-zero image stays white instead
 * of dividing by 0); gray maps [0, 1] pixels to ink.
 */
export function pixelMapping(mode: ImageMode, max = 1): PixelMapping {
  if (mode === 'gray') return { lut: GRAY_LUT, ...linearIndex(GRAY_LUT, 1) };
  return { lut: DIVERGING_LUT, ...linearIndex(DIVERGING_LUT, max > 0 ? 1 / max : 0) };
}

/** Index coefficients for values v · unit in the table's domain [lo, hi]. */
function linearIndex(lut: ColorLut, unit: number): { scale: number; shift: number } {
  const perUnit = (lut.words.length - 1) / (lut.hi - lut.lo);
  return { scale: unit * perUnit, shift: -lut.lo * perUnit };
}

/** The packed colour of one value under a mapping (what writeImage draws for it). */
export function mappedColor(mapping: PixelMapping, value: number): number {
  return lutColorAt(mapping.lut, value * mapping.scale + mapping.shift);
}

/** A packed-RGBA canvas in memory: `words[y * width + x]`. */
export interface PixelBuffer {
  words: Uint32Array;
  width: number;
}

/**
 * Draws values[offset, offset + side²) as a side×side image with its top-left at (x0, y0), each
 * source pixel as a scale×scale block (nearest neighbour keeps the pixels crisp).
 */
export function writeImage(
  target: PixelBuffer,
  x0: number,
  y0: number,
  scale: number,
  side: number,
  values: ArrayLike<number>,
  offset: number,
  mapping: PixelMapping,
): void {
  const { words, width } = target;
  const { lut, scale: k, shift } = mapping;
  const table = lut.words;
  const last = table.length - 1;
  const nan = lut.nan;
  const rowLength = side * scale;
  for (let r = 0; r < side; r++) {
    const start = (y0 + r * scale) * width + x0;
    let out = start;
    for (let c = 0, src = offset + r * side; c < side; c++, src++) {
      // mappedColor inlined, with float comparisons and |0 instead of Math.round and clamps: this
      // loop is the grid's whole cost, and this form runs about 3× faster. NaN fails both tests.
      const x = values[src] * k + shift;
      const color = x > 0 ? (x < last ? table[(x + 0.5) | 0] : table[last]) : x <= 0 ? table[0] : nan;
      if (scale === 1) words[out++] = color;
      else for (let dx = 0; dx < scale; dx++) words[out++] = color;
    }
    // The block's other rows repeat the first.
    for (let dy = 1; dy < scale; dy++) words.copyWithin(start + dy * width, start, start + rowLength);
  }
}
