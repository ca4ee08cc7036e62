// Colour maps for the views, plus lookup tables of packed RGBA words so that a draw loop writes one
// Uint32 per pixel into ImageData instead of four bytes and a function call.

import { interpolateViridis, rgb } from './d3';

export type Rgb = [number, number, number];

/**
 * Blue–white–red: ColorBrewer RdBu's ends and shoulders with a pure white centre, so a weight of 0
 * reads as "nothing here" and the sign of every pixel is visible.
 */
const DIVERGING_STOPS: readonly (readonly [number, Rgb])[] = [
  [-1, [33, 102, 172]],
  [-0.5, [146, 197, 222]],
  [0, [255, 255, 255]],
  [0.5, [244, 165, 130]],
  [1, [178, 24, 43]],
];

const clamp = (t: number, lo: number, hi: number) => (t < lo ? lo : t > hi ? hi : t);

/** t in [−1, 1] (clamped): −1 saturated blue, 0 white, +1 saturated red. */
export function divergingRgb(t: number): Rgb {
  const x = clamp(t, -1, 1);
  let k = 1;
  while (k < DIVERGING_STOPS.length - 1 && x > DIVERGING_STOPS[k][0]) k++;
  const [t0, c0] = DIVERGING_STOPS[k - 1];
  const [t1, c1] = DIVERGING_STOPS[k];
  const f = (x - t0) / (t1 - t0);
  return [0, 1, 2].map((i) => Math.round(c0[i] + f * (c1[i] - c0[i]))) as Rgb;
}

/** t in [0, 1] (clamped), viridis: dark violet → yellow, brightness rising, so "high" is "bright". */
export function sequentialRgb(t: number): Rgb {
  const c = rgb(interpolateViridis(clamp(t, 0, 1)));
  return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
}

/** t in [0, 1] (clamped), ink on paper to suit the light theme: 0 white, 1 black. */
export function grayRgb(t: number): Rgb {
  const v = Math.round(255 * (1 - clamp(t, 0, 1)));
  return [v, v, v];
}

export const cssColor = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`;

/** A CSS gradient through `map` over [lo, hi], drawn from lo to hi in `direction`, for colour bars. */
export function cssGradient(map: (t: number) => Rgb, lo: number, hi: number, direction = 'to top', stops = 11): string {
  const parts = Array.from({ length: stops }, (_, i) => {
    const f = i / (stops - 1);
    return `${cssColor(map(lo + f * (hi - lo)))} ${(100 * f).toFixed(1)}%`;
  });
  return `linear-gradient(${direction}, ${parts.join(', ')})`;
}

// ImageData is RGBA in memory; a Uint32 view reads those bytes in the platform's byte order.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** One pixel as a word that, written through a Uint32Array view of ImageData, lands as r, g, b, a. */
export function packRgba(r: number, g: number, b: number, a = 255): number {
  return LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
}

export interface ColorLut {
  words: Uint32Array;
  lo: number;
  hi: number;
  /** Drawn for NaN (e.g. a diverged run), so broken values stand out rather than pass as 0. */
  nan: number;
}

export function buildLut(map: (t: number) => Rgb, lo: number, hi: number, size: number): ColorLut {
  const words = new Uint32Array(size);
  for (let i = 0; i < size; i++) words[i] = packRgba(...map(lo + ((hi - lo) * i) / (size - 1)));
  return { words, lo, hi, nan: packRgba(255, 0, 255) };
}

/** The colour at table position `position` (rounded, clamped to the table); NaN gives `nan`. */
export function lutColorAt(lut: ColorLut, position: number): number {
  if (Number.isNaN(position)) return lut.nan;
  const last = lut.words.length - 1;
  const i = Math.round(position);
  return lut.words[i < 0 ? 0 : i > last ? last : i];
}

/** The packed colour of t, clamped to the table's domain. */
export function lutColor(lut: ColorLut, t: number): number {
  return lutColorAt(lut, ((t - lut.lo) / (lut.hi - lut.lo)) * (lut.words.length - 1));
}

// An odd size puts an entry exactly at 0, so a zero weight is drawn pure white.
export const DIVERGING_LUT = buildLut(divergingRgb, -1, 1, 511);
export const SEQUENTIAL_LUT = buildLut(sequentialRgb, 0, 1, 256);
export const GRAY_LUT = buildLut(grayRgb, 0, 1, 256);
