import { describe, expect, it } from 'vitest';
import { parseNpyHeader, readNpy, writeNpy } from '../../../src/core/formats/npy';

/**
 * Files written by NumPy 2.4 (np.save, and np.lib.format.write_array for versions 2.0 and 3.0) of
 *   a = np.array([[1.5, -2.25, 3.0], [0.1, 1e-3, -65504.0]], dtype=np.float32)
 * as float32, float16, float64, Fortran order, int32, big-endian, and reshaped to 3-D.
 */
const NUMPY = {
  f4v1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAQwAAAQEDNzMw9bxKDOgDgf8c=',
  f2v1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPoDAAEJmLhkU//s=',
  f8v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAALAAAAAAAAACEAAAACgmZm5PwAAAOBNYlA/AAAAAAD878A=',
  f4v3: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAQwAAAQEDNzMw9bxKDOgDgf8c=',
  fortran: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/zczMPQAAEMBvEoM6AABAQADgf8c=',
  i4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAA/v///wMAAAAAAAAAAAAAACAA//8=',
  bigEndian: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/wAAAwBAAAEBAAAA9zMzNOoMSb8d/4AA=',
  threeD: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsIDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAMA/AAAQwAAAQEDNzMw9bxKDOgDgf8c=',
};
const bytes = (name: keyof typeof NUMPY) => new Uint8Array(Buffer.from(NUMPY[name], 'base64'));
const VALUES = [1.5, -2.25, 3.0, 0.1, 1e-3, -65504];
/** The same values after NumPy's float16 rounding (a.astype(np.float16).astype(np.float32).tolist()). */
const VALUES_F16 = [1.5, -2.25, 3.0, 0.0999755859375, 1049 * 2 ** -20, -65504];

/** A v1 file whose header is `dict` (padded as NumPy pads) followed by `data` bytes. */
function handMade(dict: string, dataBytes: number, version = 1): Uint8Array {
  const lengthBytes = version === 1 ? 2 : 4;
  const headerLength = Math.ceil((8 + lengthBytes + dict.length + 1) / 64) * 64 - 8 - lengthBytes;
  const out = new Uint8Array(8 + lengthBytes + headerLength + dataBytes);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  out.set(new TextEncoder().encode(dict.padEnd(headerLength - 1) + '\n'), 8 + lengthBytes);
  return out;
}

describe('.npy reading', () => {
  it('reads NumPy float32, float16 and float64 files of format versions 1.0, 2.0 and 3.0', () => {
    for (const name of ['f4v1', 'f4v3'] as const) {
      const m = readNpy(bytes(name), `${name}.npy`);
      expect(m.shape).toEqual([2, 3]);
      expect([...m.data]).toEqual(VALUES.map(Math.fround));
    }
    expect([...readNpy(bytes('f2v1'), 'f2.npy').data]).toEqual(VALUES_F16);
    const f8 = readNpy(bytes('f8v2'), 'f8.npy');
    expect(f8.dtype).toBe('<f8');
    expect([...f8.data]).toEqual(VALUES.map(Math.fround));
    expect(parseNpyHeader(bytes('f8v2'), 'f8.npy').version).toBe('2.0');
  });

  it('writes exactly the bytes NumPy writes', () => {
    expect(writeNpy(VALUES, [2, 3])).toEqual(bytes('f4v1'));
    expect(writeNpy(VALUES, [2, 3], { dtype: '<f2' })).toEqual(bytes('f2v1'));
    expect(writeNpy(VALUES.map(Math.fround), [2, 3], { dtype: '<f8', version: 2 })).toEqual(bytes('f8v2'));
    expect(writeNpy(VALUES, [2, 3], { version: 3 })).toEqual(bytes('f4v3'));
  });

  it('accepts the header variations NumPy and Python 2 produced: double quotes, key order, long dims, no trailing comma', () => {
    const data = (dict: string) => readNpy(handMade(dict, 2 * 3 * 4), 'v.npy').shape;
    expect(data(`{"descr": "<f4", "fortran_order": False, "shape": (2, 3)}`)).toEqual([2, 3]);
    expect(data(`{'shape': (2L, 3L), 'fortran_order': False, 'descr': '<f4', }`)).toEqual([2, 3]);
    expect(data(`{'descr':'<f4','fortran_order':False,'shape':(2,3,),}`)).toEqual([2, 3]);
  });

  it('refuses what it cannot read, naming the file and the fault', () => {
    const refuse = (file: Uint8Array, message: RegExp) => expect(() => readNpy(file, 'bad.npy')).toThrow(message);
    refuse(bytes('fortran'), /bad\.npy: .*Fortran order/);
    refuse(bytes('i4'), /bad\.npy: .*dtype '<i4' is not supported/);
    refuse(bytes('bigEndian'), /bad\.npy: .*'>f4' is not supported.*big-endian/);
    refuse(bytes('threeD'), /bad\.npy: .*shape \(1, 2, 3\) is not 2-D/);
    refuse(new TextEncoder().encode('just some text, not numpy'), /bad\.npy: not an \.npy file/);
    const version4 = bytes('f4v1');
    version4[6] = 4;
    refuse(version4, /bad\.npy: .*version 4\.0 is not supported/);
    const longHeader = bytes('f4v1');
    new DataView(longHeader.buffer).setUint16(8, 60000, true);
    refuse(longHeader, /bad\.npy: .*header length 60000 is past the end of the file/);
    refuse(bytes('f4v1').slice(0, 100), /bad\.npy: .*(truncated|past the end)/);
    refuse(bytes('f4v1').slice(0, -1), /bad\.npy: truncated: shape \(2, 3\) of '<f4' needs 24 data bytes, the file has 23/);
    refuse(new Uint8Array([...bytes('f4v1'), 0, 0, 0, 0]), /bad\.npy: longer than its header says/);
  });

  it('refuses malformed header dicts and absurd shapes without allocating for them', () => {
    const refuse = (dict: string, message: RegExp) => expect(() => readNpy(handMade(dict, 24), 'bad.npy')).toThrow(message);
    refuse(`{'descr': '<f4', 'fortran_order': False}`, /lacks the key 'shape'/);
    refuse(`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}`, /unexpected key 'extra'/);
    refuse(`{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}`, /repeats the key 'descr'/);
    refuse(`{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3)}`, /expected a dimension/);
    refuse(`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} junk`, /extra characters after the dict/);
    refuse(`{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}`, /unexpected value/);
    refuse(`{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)`, /expected/);
    refuse(`{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296)}`, /implausibly large/);
    refuse(`{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 512)}`, /truncated: shape \(1000000000, 512\) of '<f4' needs 2048000000000 data bytes/);
    refuse(`{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 1)}`, /implausibly large/);
  });
});
