import { describe, expect, it } from 'vitest';
import { assertFinite, findNonFinite } from '../../../src/core/formats/finite';
import { openSafetensors, writeSafetensors } from '../../../src/core/formats/safetensors';
import { bytesOf, handParse, handWritten } from './hand-safetensors';

const FILE = 'model/weights.safetensors';

describe('safetensors writer and reader', () => {
  it('round-trips F32, F16 and I32 tensors with metadata', () => {
    const f32 = Float32Array.from([0.1, -2.5e-30, 3.4e38, -0, Infinity, NaN]);
    // Every value exactly representable in f16: halves, the largest finite, a subnormal, -0, -Infinity.
    const f16 = Float32Array.from([0.5, -1.75, 65504, 2 ** -20, -0, -Infinity]);
    const i32 = Int32Array.from([0, -1, 2 ** 31 - 1, -(2 ** 31), 7, 42]);
    const bytes = writeSafetensors(
      {
        a: { dtype: 'F32', shape: [2, 3], data: f32 },
        b: { dtype: 'F16', shape: [3, 2], data: f16 },
        c: { dtype: 'I32', shape: [6], data: i32 },
        empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array() },
      },
      { metadata: { format: 'pt', note: 'ünïcode' } },
    );
    const file = openSafetensors(bytes, FILE);
    expect(file.metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    expect([...file.entries.keys()]).toEqual(['a', 'b', 'c', 'empty']);
    expect(file.read('a')).toEqual({ dtype: 'F32', shape: [2, 3], data: f32 });
    expect(file.read('b')).toEqual({ dtype: 'F16', shape: [3, 2], data: f16 });
    expect(Object.is(file.read('b').data[4], -0)).toBe(true);
    expect(file.read('c')).toEqual({ dtype: 'I32', shape: [6], data: i32 });
    expect(file.read('empty').data.length).toBe(0);
    // F16 really is stored in 2 bytes per value, and the data section starts 8-byte aligned.
    const entry = file.entries.get('b')!;
    expect(entry.end - entry.begin).toBe(12);
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    // And the same bytes read by hand: header fields and little-endian values.
    const parsed = handParse(bytes);
    expect(parsed.metadata).toEqual({ format: 'pt', note: 'ünïcode' });
    expect(parsed.header.b).toEqual({ dtype: 'F16', shape: [3, 2], data_offsets: [24, 36] });
    expect(parsed.bytes('b').getUint16(0, true)).toBe(0x3800); // 0.5 in binary16
    expect(parsed.bytes('c').getInt32(8, true)).toBe(2 ** 31 - 1);
    expect(parsed.bytes('a').getFloat32(4, true)).toBe(Math.fround(-2.5e-30));
  });

  it('reads a file written by hand, at an unaligned data offset, in every decodable dtype', () => {
    const header = {
      __metadata__: { source: 'hand' },
      f32: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      f16: { dtype: 'F16', shape: [3], data_offsets: [8, 14] },
      bf16: { dtype: 'BF16', shape: [2], data_offsets: [14, 18] },
      i32: { dtype: 'I32', shape: [1], data_offsets: [18, 22] },
      i64: { dtype: 'I64', shape: [2], data_offsets: [22, 38] },
      u8: { dtype: 'U8', shape: [3], data_offsets: [38, 41] },
      f64: { dtype: 'F64', shape: [1], data_offsets: [41, 49] },
    };
    const data = bytesOf(49, (v) => {
      v.setFloat32(0, 1.5, true);
      v.setFloat32(4, -0.25, true);
      v.setUint16(8, 0x3c00, true); // f16 1
      v.setUint16(10, 0xc000, true); // f16 -2
      v.setUint16(12, 0x0001, true); // f16 smallest subnormal 2^-24
      v.setUint16(14, 0x3f80, true); // bf16 1
      v.setUint16(16, 0xc0a0, true); // bf16 -5
      v.setInt32(18, -123456, true);
      v.setBigInt64(22, -5n, true);
      v.setBigInt64(30, 2n ** 31n - 1n, true);
      [7, 0, 255].forEach((b, i) => v.setUint8(38 + i, b));
      v.setFloat64(41, Math.PI, true);
    });
    const headerText = JSON.stringify(header) + ' '; // odd length: the data section starts unaligned
    expect((8 + headerText.length) % 4).not.toBe(0);
    const file = openSafetensors(handWritten(headerText, data).buffer as ArrayBuffer, FILE);
    expect(file.metadata).toEqual({ source: 'hand' });
    expect(file.read('f32').data).toEqual(Float32Array.from([1.5, -0.25]));
    expect(file.read('f16').data).toEqual(Float32Array.from([1, -2, 2 ** -24]));
    expect(file.read('bf16').data).toEqual(Float32Array.from([1, -5]));
    expect(file.read('i32').data).toEqual(Int32Array.from([-123456]));
    expect(file.read('i64').data).toEqual(Int32Array.from([-5, 2 ** 31 - 1]));
    expect(file.read('u8').data).toEqual(Uint8Array.from([7, 0, 255]));
    expect(file.readFloat32('bf16').shape).toEqual([2]);
    // A dtype the format defines but this reader does not decode: the file still opens, that tensor errors.
    expect(() => file.read('f64')).toThrow(/weights\.safetensors: tensor "f64": dtype F64 cannot be decoded/);
    expect(() => file.readFloat32('i32')).toThrow(/weights\.safetensors: tensor "i32" has dtype I32, expected a float dtype/);
    expect(() => file.read('W_enc')).toThrow(/weights\.safetensors: no tensor "W_enc"/);
  });

  it('reads from a Uint8Array view that does not start at its buffer start', () => {
    const inner = writeSafetensors({ x: { dtype: 'F32', shape: [2], data: Float32Array.from([3, 4]) } });
    const padded = new Uint8Array(inner.length + 5);
    padded.set(inner, 3);
    expect(openSafetensors(padded.subarray(3, 3 + inner.length), FILE).read('x').data).toEqual(Float32Array.from([3, 4]));
  });

  it('rejects I64 values outside the int32 range, naming the tensor and index', () => {
    const header = JSON.stringify({ n: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } });
    for (const big of [2n ** 31n, -(2n ** 31n) - 1n, 2n ** 40n]) {
      const data = bytesOf(16, (v) => v.setBigInt64(8, big, true));
      expect(() => openSafetensors(handWritten(header, data), FILE).read('n')).toThrow(
        new RegExp(`weights\\.safetensors: tensor "n": I64 value ${big} at index 1 is outside the int32 range`),
      );
    }
  });
});

describe('safetensors validation', () => {
  const entry = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });
  const withTensors = (tensors: Record<string, unknown>, dataBytes = 16) =>
    handWritten(JSON.stringify(tensors), new Uint8Array(dataBytes));

  const cases: [string, Uint8Array, RegExp][] = [
    ['file shorter than the length prefix', new Uint8Array(5), /5 bytes is too short/],
    ['header length past the end', handWritten('{}', new Uint8Array(), 1000n), /header length 1000 is past the end of the file \(2 bytes/],
    ['huge u64 header length', handWritten('{}', new Uint8Array(), 2n ** 62n), /header length 4611686018427387904 is past the end/],
    ['non-JSON header', handWritten('{"a": nope}'), /header is not valid UTF-8 JSON/],
    ['invalid UTF-8 header', (() => { const b = handWritten('{"a":1}'); b[10] = 0xff; return b; })(), /header is not valid UTF-8 JSON/],
    ['JSON header that is not an object', handWritten('[1, 2]'), /header JSON is not an object/],
    ['metadata value not a string', withTensors({ __metadata__: { step: 5 } }), /__metadata__\["step"\] is not a string/],
    ['entry not an object', withTensors({ w: 3 }), /tensor "w": entry is not an object/],
    ['unknown dtype', withTensors({ w: entry('F33', [4], [0, 16]) }), /tensor "w": unknown dtype "F33"/],
    ['shape not an array', withTensors({ w: entry('F32', 4, [0, 16]) }), /tensor "w": shape 4 is not an array/],
    ['negative dimension', withTensors({ w: entry('F32', [-2, -2], [0, 16]) }), /tensor "w": shape \[-2, -2\] has dimension -2, not a non-negative integer/],
    ['fractional dimension', withTensors({ w: entry('F32', [2.5], [0, 10]) }), /tensor "w": shape \[2.5\] has dimension 2.5/],
    ['dimension beyond 2^53', handWritten('{"w": {"dtype": "U8", "shape": [99999999999999999999], "data_offsets": [0, 0]}}'), /tensor "w": shape \[100000000000000000000\] has dimension 100000000000000000000, not a non-negative integer/],
    ['huge dims whose product overflows', withTensors({ w: entry('F32', [2 ** 40, 2 ** 40], [0, 16]) }), /tensor "w": shape \[1099511627776, 1099511627776\] of F32 needs .* bytes but data_offsets \[0, 16\] span 16/],
    ['shape × dtype size ≠ span', withTensors({ w: entry('F32', [3], [0, 16]) }), /tensor "w": shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 16\] span 16/],
    ['offsets not a pair', withTensors({ w: entry('F32', [4], [0]) }), /tensor "w": data_offsets \[0\] is not a pair of non-negative integers/],
    ['negative offset', withTensors({ w: entry('F32', [4], [-16, 0]) }), /tensor "w": data_offsets \[-16,0\] is not a pair/],
    ['offsets reversed', withTensors({ w: entry('F32', [0], [8, 4]) }), /tensor "w": data_offsets \[8, 4\] end before they begin/],
    ['offsets out of bounds', withTensors({ w: entry('F32', [4], [4, 20]) }), /tensor "w": data_offsets \[4, 20\] run out of bounds of the 16-byte data section/],
    ['overlapping offsets', withTensors({ a: entry('F32', [3], [0, 12]), b: entry('F32', [2], [8, 16]) }), /tensors "a" \[0, 12\] and "b" \[8, 16\] have overlapping data_offsets/],
  ];

  it.each(cases)('%s gives a clear error naming the file', (_, bytes, message) => {
    expect(() => openSafetensors(bytes, FILE)).toThrow(message);
    expect(() => openSafetensors(bytes, FILE)).toThrow(/^model\/weights\.safetensors: /);
  });

  it('the writer rejects data that does not match its shape or dtype', () => {
    expect(() => writeSafetensors({ w: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }, { fileName: FILE })).toThrow(
      /weights\.safetensors: tensor "w": shape \[2, 2\] holds 4 values but data has 3/,
    );
    const wrongArray = { dtype: 'I32', shape: [1], data: new Float32Array(1) } as unknown as { dtype: 'I32'; shape: number[]; data: Int32Array };
    expect(() => writeSafetensors({ w: wrongArray }, { fileName: FILE })).toThrow(/tensor "w": I32 data must be a Int32Array/);
    expect(() => writeSafetensors({ __metadata__: { dtype: 'F32', shape: [0], data: new Float32Array() } })).toThrow(/reserved/);
  });
});

describe('non-finite detection', () => {
  it('reports the first NaN or infinity and its index', () => {
    expect(findNonFinite(Float32Array.from([1, 2, 3]))).toBeNull();
    expect(findNonFinite(Float32Array.from([1, Infinity, NaN]))).toEqual({ index: 1, value: Infinity });
    const withNaN = Float32Array.from([0, 0, 0, NaN]);
    expect(findNonFinite(withNaN)?.index).toBe(3);
    expect(() => assertFinite(withNaN, 'W_dec')).toThrow('W_dec has NaN at index 3 of 4');
  });
});
