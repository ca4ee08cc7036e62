import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, readCheckpoint, writeCheckpoint, type SavedState } from '../../src/cli/checkpoint-file';

/** A state with typed arrays at several depths; the trainer's own fields are opaque to the file format. */
function state(): SavedState {
  const trainer = { step: 7, weights: { d_in: 2, d_sae: 3, W_enc: new Float32Array([1, -2, 3.5, Math.fround(0.1), -0, 6]) }, adam: { moments: { W_enc: { m: new Float32Array([1e-30, 2]), v: new Float32Array(0) } } } };
  const checkpoint = { version: 1, seeds: [0, 4], next: 1, step: 7, lastStep: 8, trainers: [trainer, { ...trainer, step: 8 }], lastFrequencies: [new Float32Array([0.5]), new Float32Array([0.25])] };
  return { status: 'training', checkpoint, metrics: [[{ step: 5, loss: 0.1 }], []], elapsedMs: 1234.5 } as unknown as SavedState;
}

describe('the runner checkpoint file', () => {
  it('gives back every typed array and value it was given', () => {
    const decoded = decodeCheckpoint(encodeCheckpoint(state()), 'checkpoint.safetensors');
    expect(decoded).toEqual({ version: 1, ...state() });
    expect((decoded as { checkpoint: { lastFrequencies: unknown[] } }).checkpoint.lastFrequencies[1]).toBeInstanceOf(Float32Array);
  });

  it('is replaced whole, leaving no temporary file, and is null where none was written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-ckpt-'));
    expect(await readCheckpoint(dir)).toBeNull();
    await writeCheckpoint(dir, state());
    await writeCheckpoint(dir, { status: 'done', result: { name: 'x', alignment: null, stepsPerSecond: 3 } });
    expect(await readdir(dir)).toEqual(['checkpoint.safetensors']);
    expect(await readCheckpoint(dir)).toMatchObject({ status: 'done', result: { name: 'x', stepsPerSecond: 3 } });
  });
});
