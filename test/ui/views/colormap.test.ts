import { describe, expect, it } from 'vitest';
import {
  buildLut,
  DIVERGING_LUT,
  divergingRgb,
  GRAY_LUT,
  grayRgb,
  lutColor,
  packRgba,
  SEQUENTIAL_LUT,
  sequentialRgb,
  type Rgb,
} from '../../../src/ui/views/colormap';

const bytesOf = (word: number) => Array.from(new Uint8Array(new Uint32Array([word]).buffer));
const luminance = ([r, g, b]: Rgb) => 0.2126 * r + 0.7152 * g + 0.0722 * b;
const samples = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));

describe('packRgba', () => {
  it('lays r, g, b, a out in memory order, as ImageData expects', () => {
    expect(bytesOf(packRgba(1, 2, 3, 4))).toEqual([1, 2, 3, 4]);
    expect(bytesOf(packRgba(250, 0, 128))).toEqual([250, 0, 128, 255]);
  });
});

describe('divergingRgb', () => {
  it('is white at 0 and saturated blue / red at −1 / +1', () => {
    expect(divergingRgb(0)).toEqual([255, 255, 255]);
    const [rNeg, , bNeg] = divergingRgb(-1);
    const [rPos, , bPos] = divergingRgb(1);
    expect(bNeg).toBeGreaterThan(rNeg);
    expect(rPos).toBeGreaterThan(bPos);
  });

  it('clamps beyond ±1', () => {
    expect(divergingRgb(7)).toEqual(divergingRgb(1));
    expect(divergingRgb(-7)).toEqual(divergingRgb(-1));
  });

  it('darkens monotonically away from 0 on both sides', () => {
    for (const sign of [1, -1]) {
      const lum = samples(0, 1, 21).map((t) => luminance(divergingRgb(sign * t)));
      for (let i = 1; i < lum.length; i++) expect(lum[i]).toBeLessThan(lum[i - 1]);
    }
  });

  it('keeps the sign readable: red dominates for positive values, blue for negative', () => {
    for (const t of samples(0.05, 1, 20)) {
      const [r, , b] = divergingRgb(t);
      const [rn, , bn] = divergingRgb(-t);
      expect(r).toBeGreaterThan(b);
      expect(bn).toBeGreaterThan(rn);
    }
  });
});

describe('sequentialRgb', () => {
  it('brightens monotonically from 0 to 1, so high similarity reads as bright', () => {
    const lum = samples(0, 1, 33).map((t) => luminance(sequentialRgb(t)));
    for (let i = 1; i < lum.length; i++) expect(lum[i]).toBeGreaterThan(lum[i - 1]);
  });

  it('clamps outside [0, 1]', () => {
    expect(sequentialRgb(-1)).toEqual(sequentialRgb(0));
    expect(sequentialRgb(2)).toEqual(sequentialRgb(1));
  });
});

describe('grayRgb', () => {
  it('draws 0 as paper (white) and 1 as ink (black)', () => {
    expect(grayRgb(0)).toEqual([255, 255, 255]);
    expect(grayRgb(1)).toEqual([0, 0, 0]);
  });
});

describe('lookup tables', () => {
  it('give exactly white for a zero weight and the map’s ends at ±1', () => {
    expect(lutColor(DIVERGING_LUT, 0)).toBe(packRgba(255, 255, 255));
    expect(lutColor(DIVERGING_LUT, 1)).toBe(packRgba(...divergingRgb(1)));
    expect(lutColor(DIVERGING_LUT, -1)).toBe(packRgba(...divergingRgb(-1)));
  });

  it('clamp out-of-domain values and flag NaN with a colour of its own', () => {
    expect(lutColor(SEQUENTIAL_LUT, 5)).toBe(lutColor(SEQUENTIAL_LUT, 1));
    expect(lutColor(SEQUENTIAL_LUT, -5)).toBe(lutColor(SEQUENTIAL_LUT, 0));
    const nan = lutColor(GRAY_LUT, NaN);
    expect(nan).toBe(GRAY_LUT.nan);
    expect(Array.from(GRAY_LUT.words)).not.toContain(nan);
  });

  it('sample the map at evenly spaced points of the domain', () => {
    const lut = buildLut((t) => [Math.round(255 * t), 0, 0], 0, 1, 5);
    expect(Array.from(lut.words, (w) => bytesOf(w)[0])).toEqual([0, 64, 128, 191, 255]);
    expect(bytesOf(lutColor(lut, 0.5))[0]).toBe(128);
  });
});
