import { describe, expect, it } from 'vitest';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from '../../../src/core/formats/float16';

// Expected values come from the formats' definitions, written out independently of the implementation.
function f16Expected(bits: number): number {
  const sign = bits >> 15 ? -1 : 1;
  const e = (bits >> 10) & 31;
  const m = bits & 1023;
  if (e === 31) return m ? NaN : sign * Infinity;
  return e === 0 ? sign * m * Math.pow(2, -14) / 1024 : sign * Math.pow(2, e - 15) * (1024 + m) / 1024;
}

function bf16Expected(bits: number): number {
  const sign = bits >> 15 ? -1 : 1;
  const e = (bits >> 7) & 255;
  const m = bits & 127;
  if (e === 255) return m ? NaN : sign * Infinity;
  return e === 0 ? sign * m * Math.pow(2, -126) / 128 : sign * Math.pow(2, e - 127) * (128 + m) / 128;
}

const ALL_PATTERNS = Array.from({ length: 0x10000 }, (_, bits) => bits);

/** Bit patterns whose decoded value differs from the expected one (NaN matches any NaN; -0 ≠ 0). */
function decodeMismatches(decode: (bits: number) => number, expected: (bits: number) => number): string[] {
  return ALL_PATTERNS.filter((bits) => {
    const [got, want] = [decode(bits), expected(bits)];
    return Number.isNaN(want) ? !Number.isNaN(got) : !Object.is(got, want);
  }).map((bits) => `0x${bits.toString(16)}: ${decode(bits)} vs ${expected(bits)}`);
}

/** Non-NaN patterns that do not survive decode (by the definition) then encode. */
function roundTripMismatches(expected: (bits: number) => number, encode: (x: number) => number): number[] {
  return ALL_PATTERNS.filter((bits) => !Number.isNaN(expected(bits)) && encode(expected(bits)) !== bits);
}

/** Positive finite patterns in increasing order of value (sign-magnitude: the pattern order). */
function positiveFinite(maxExclusive: number): number[] {
  return ALL_PATTERNS.filter((bits) => bits < maxExclusive);
}

/** The float32 just above / below a positive float32 value. */
function nextUp(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  view.setUint32(0, view.getUint32(0) + 1);
  return view.getFloat32(0);
}
function nextDown(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x);
  view.setUint32(0, view.getUint32(0) - 1);
  return view.getFloat32(0);
}

/**
 * For consecutive representable values a < b, rounding to nearest-even must send the exact midpoint to
 * whichever of the two has an even pattern, and the float32 values just either side of it to the nearer.
 */
function checkRoundingBetweenNeighbours(patterns: number[], decode: (bits: number) => number, encode: (x: number) => number) {
  const failures: string[] = [];
  for (let i = 0; i + 1 < patterns.length; i++) {
    const [low, high] = [patterns[i], patterns[i + 1]];
    const midpoint = (decode(low) + decode(high)) / 2;
    // Exact in float32, which has more mantissa bits than either 16-bit format.
    if (Math.fround(midpoint) !== midpoint) failures.push(`midpoint ${midpoint} is not a float32`);
    const even = low % 2 === 0 ? low : high;
    for (const [x, want] of [[midpoint, even], [nextDown(midpoint), low], [nextUp(midpoint), high]] as const) {
      const got = encode(x);
      if (got !== want) failures.push(`${x} -> 0x${got.toString(16)}, want 0x${want.toString(16)}`);
      const negated = encode(-x);
      if (negated !== (want | 0x8000)) failures.push(`${-x} -> 0x${negated.toString(16)}`);
    }
  }
  expect(failures.slice(0, 5)).toEqual([]);
}

describe('f16', () => {
  it('decodes every bit pattern per the IEEE binary16 definition', () => {
    expect(decodeMismatches(f16BitsToF32, f16Expected).slice(0, 5)).toEqual([]);
    // Format landmarks: 1, the largest finite value, the smallest subnormal, -0.
    expect(f16BitsToF32(0x3c00)).toBe(1);
    expect(f16BitsToF32(0x7bff)).toBe(65504);
    expect(f16BitsToF32(0x0001)).toBe(2 ** -24);
    expect(Object.is(f16BitsToF32(0x8000), -0)).toBe(true);
  });

  it('round-trips every non-NaN pattern, including subnormals, zeros and infinities', () => {
    expect(roundTripMismatches(f16Expected, f32ToF16Bits).slice(0, 5)).toEqual([]);
  });

  it('rounds to nearest, ties to even, across subnormals, normals and binade edges', () => {
    checkRoundingBetweenNeighbours(positiveFinite(0x7c00), f16Expected, f32ToF16Bits);
  });

  it('overflows to infinity from halfway past the largest finite value, underflows to signed zero', () => {
    const max = f16Expected(0x7bff);
    const halfwayToNext = max + 2 ** (15 - 10) / 2; // half an ulp above 65504
    expect(f32ToF16Bits(nextDown(halfwayToNext))).toBe(0x7bff);
    expect(f32ToF16Bits(halfwayToNext)).toBe(0x7c00); // tie: 0x7bff is odd, so away to "0x7c00"
    expect(f32ToF16Bits(1e10)).toBe(0x7c00);
    expect(f32ToF16Bits(-Infinity)).toBe(0xfc00);
    expect(f32ToF16Bits(2 ** -25)).toBe(0x0000); // tie between 0 and the smallest subnormal: even is 0
    expect(f32ToF16Bits(nextUp(2 ** -25))).toBe(0x0001);
    expect(f32ToF16Bits(-1e-30)).toBe(0x8000);
    expect(f32ToF16Bits(1e-45)).toBe(0x0000); // a float32 subnormal
  });

  it('keeps NaN a NaN', () => {
    expect(f16Expected(f32ToF16Bits(NaN))).toBeNaN();
    expect(f16Expected(f32ToF16Bits(-NaN))).toBeNaN();
  });
});

describe('bf16', () => {
  it('decodes every bit pattern per the bfloat16 definition', () => {
    expect(decodeMismatches(bf16BitsToF32, bf16Expected).slice(0, 5)).toEqual([]);
  });

  it('round-trips every non-NaN pattern and rounds to nearest even between neighbours', () => {
    expect(roundTripMismatches(bf16Expected, f32ToBf16Bits).slice(0, 5)).toEqual([]);
    // Below the largest finite value: the midpoint above it is not a float32 value.
    checkRoundingBetweenNeighbours(positiveFinite(0x7f7f), bf16Expected, f32ToBf16Bits);
    expect(bf16Expected(f32ToBf16Bits(NaN))).toBeNaN();
  });
});
