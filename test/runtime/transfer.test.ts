import { describe, expect, it } from 'vitest';
import { ownedBuffers } from '../../src/runtime/worker/transfer';

describe('ownedBuffers', () => {
  it('lists each buffer owned by a typed array once, wherever it sits, and skips views into larger buffers', () => {
    const owned = new Float32Array(4);
    const big = new Float32Array(100);
    const message = {
      a: owned,
      nested: [{ again: owned, ints: new Int32Array(2) }],
      view: big.subarray(10, 20),
      prefix: big.subarray(0, 10),
      text: 'x',
      n: 3,
      empty: null,
    };
    const buffers = ownedBuffers(message);
    expect(buffers).toHaveLength(2);
    expect(buffers).toContain(owned.buffer);
    expect(buffers).not.toContain(big.buffer);
  });
});
