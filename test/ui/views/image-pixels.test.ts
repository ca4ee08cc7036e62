import { describe, expect, it } from 'vitest';
import { DIVERGING_LUT, divergingRgb, grayRgb, lutColor, packRgba } from '../../../src/ui/views/colormap';
import { mappedColor, maxAbs, pixelMapping, squareSide, writeImage } from '../../../src/ui/views/image-pixels';

describe('squareSide', () => {
  it('is the side of a square image, 0 otherwise', () => {
    expect(squareSide(784)).toBe(28);
    expect(squareSide(4)).toBe(2);
    expect(squareSide(785)).toBe(0);
    expect(squareSide(0)).toBe(0);
  });
});

describe('maxAbs', () => {
  it('is the largest |value| within the given range only', () => {
    const values = [9, -3, 2, -1, 100];
    expect(maxAbs(values, 1, 3)).toBe(3);
    expect(maxAbs(values)).toBe(100);
  });
});

describe('pixelMapping', () => {
  it('diverging: ±max at the saturated ends, 0 white, beyond ±max clamped', () => {
    const mapping = pixelMapping('diverging', 0.5);
    expect(mappedColor(mapping, 0.5)).toBe(packRgba(...divergingRgb(1)));
    expect(mappedColor(mapping, -0.5)).toBe(packRgba(...divergingRgb(-1)));
    expect(mappedColor(mapping, 0)).toBe(packRgba(255, 255, 255));
    expect(mappedColor(mapping, 3)).toBe(packRgba(...divergingRgb(1)));
    expect(mappedColor(mapping, 0.25)).toBe(lutColor(DIVERGING_LUT, 0.5));
  });

  it('diverging with max 0 (an all-zero image) draws white rather than NaN', () => {
    expect(mappedColor(pixelMapping('diverging', 0), 0)).toBe(packRgba(255, 255, 255));
  });

  it('gray: [0, 1] from paper to ink', () => {
    const mapping = pixelMapping('gray');
    expect(mappedColor(mapping, 0)).toBe(packRgba(...grayRgb(0)));
    expect(mappedColor(mapping, 1)).toBe(packRgba(...grayRgb(1)));
    expect(mappedColor(mapping, NaN)).toBe(mapping.lut.nan);
  });
});

describe('writeImage', () => {
  it('places each source pixel as a scale×scale block at the given origin, leaving the rest alone', () => {
    const width = 7;
    const target = { words: new Uint32Array(width * 6), width };
    // A 2×2 image drawn at (2, 1) with scale 2, through an identity table: colours are the values.
    const lut = { words: Uint32Array.from({ length: 20 }, (_, i) => i), lo: 0, hi: 19, nan: 99 };
    writeImage(target, 2, 1, 2, 2, [0, 10, 11, 12, 13], 1, { lut, scale: 1, shift: 0 });
    const at = (x: number, y: number) => target.words[y * width + x];
    expect([at(2, 1), at(3, 1), at(2, 2), at(3, 2)]).toEqual([10, 10, 10, 10]);
    expect([at(4, 1), at(5, 2)]).toEqual([11, 11]);
    expect([at(2, 3), at(3, 4)]).toEqual([12, 12]);
    expect([at(4, 3), at(5, 4)]).toEqual([13, 13]);
    const touched = target.words.reduce((n, w) => (w !== 0 ? n + 1 : n), 0);
    expect(touched).toBe(16);
  });
});
