/**
 * Scalar conversions between float32 and the two 16-bit float formats found in SAE weight files:
 * IEEE half (f16: 1 sign, 5 exponent, 10 mantissa bits) and bfloat16 (bf16: the top 16 bits of an f32).
 * Encoders take a JS number, round it to float32 first (the weights live in Float32Arrays), then round to
 * nearest, ties to even, as NumPy and PyTorch do.
 */

// One shared scratch pair reinterprets bits without allocating; both views share the host byte order,
// so the reinterpretation is endianness-independent.
const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

export function f16BitsToF32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // subnormal (or zero): no implicit leading 1
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function bf16BitsToF32(bits: number): number {
  scratchU32[0] = (bits & 0xffff) << 16;
  return scratchF32[0];
}

/** Rounds `value >>> shift` to nearest, ties to even, using the dropped bits. */
function shiftRoundingToEven(value: number, shift: number): number {
  const kept = value >>> shift;
  const dropped = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return dropped > half || (dropped === half && (kept & 1) === 1) ? kept + 1 : kept;
}

export function f32ToF16Bits(value: number): number {
  scratchF32[0] = value;
  const bits = scratchU32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent32 = (bits >>> 23) & 0xff;
  const mantissa32 = bits & 0x7fffff;
  // Infinity, or the canonical quiet NaN: JS numbers do not carry NaN payloads reliably anyway.
  if (exponent32 === 0xff) return mantissa32 === 0 ? sign | 0x7c00 : sign | 0x7e00;
  const exponent16 = exponent32 - 127 + 15;
  if (exponent16 >= 0x1f) return sign | 0x7c00;
  if (exponent16 <= 0) {
    // f16 subnormal range. Below half the smallest subnormal (2^-25) everything rounds to zero.
    if (exponent16 < -10) return sign;
    // A carry out of the mantissa lands on the smallest normal's bit pattern, which is exactly right.
    return sign | shiftRoundingToEven(mantissa32 | 0x800000, 14 - exponent16);
  }
  // A carry out of the mantissa bumps the exponent, and past the largest finite value gives infinity's
  // bit pattern: both are the correctly rounded results.
  return sign | shiftRoundingToEven((exponent16 << 23) | mantissa32, 13);
}

export function f32ToBf16Bits(value: number): number {
  scratchF32[0] = value;
  const bits = scratchU32[0];
  if ((bits & 0x7fffffff) > 0x7f800000) return ((bits >>> 16) & 0x8000) | 0x7fc0; // canonical quiet NaN
  return shiftRoundingToEven(bits, 16) & 0xffff;
}
