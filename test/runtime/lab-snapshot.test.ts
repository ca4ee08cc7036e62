import { describe, expect, it } from 'vitest';
import { alignSeeds } from '../../src/core/align';
import type { TrainConfig } from '../../src/core/train/config';
import { snapshotOf } from '../../src/runtime/worker/lab-snapshot';
import { randomSae, seededRandom } from '../core/align/helpers';

describe('snapshotOf', () => {
  it("aligns the seeds as alignSeeds does and hands the alignment's finished matrix buffer to the state, for the heatmap", async () => {
    const random = seededRandom(7);
    const weights = [0, 1, 2].map(() => randomSae(8, 24, random));
    const base = { step: 5, config: {} as TrainConfig, seeds: [0, 1, 2], weights, firingFrequency: weights.map(() => new Float32Array(24)) };
    const { state, snapshot } = await snapshotOf(base);
    expect(snapshot.alignment).toEqual((await alignSeeds(weights)).summary);
    expect(state.spareMatrix).toBeInstanceOf(Float32Array);
    expect(state.spareMatrix!.length).toBe(24 * 24);
    // One seed: nothing aligned, no buffer.
    const single = await snapshotOf({ ...base, seeds: [0], weights: weights.slice(0, 1), firingFrequency: base.firingFrequency.slice(0, 1) });
    expect(single.state.alignment).toBeNull();
    expect(single.state.spareMatrix).toBeUndefined();
  });
});
