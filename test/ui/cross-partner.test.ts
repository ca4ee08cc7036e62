import { describe, expect, test, vi } from 'vitest';
import { matchDirections } from '../../src/core/align';
import type { LabSnapshot } from '../../src/runtime/protocol/lab-api';
import { crossPartnerFinder, switchConfiguration } from '../../src/ui/cross-partner';
import { createLabStore } from '../../src/ui/store/lab-store';
import { dot, orthonormalDirections, seededRandom } from '../core/align/helpers';

const dIn = 12;

/** A snapshot whose seed s has the given decoder rows (other fields are not read here). */
function snapshot(seeds: number[], decoders: number[][][], step = 1): LabSnapshot {
  const d_sae = decoders[0].length;
  return {
    step,
    d_in: dIn,
    d_sae,
    seeds,
    decoders: decoders.map((rows) => Float32Array.from(rows.flat())),
    decoderNorms: [],
    firingFrequency: seeds.map(() => new Float32Array(d_sae)),
    alignment: null,
    stability: seeds.map(() => new Float32Array(d_sae)),
  };
}

/** |cos| from the definition. */
const absCos = (a: number[], b: number[]) => Math.abs(dot(a, b)) / Math.sqrt(dot(a, a) * dot(b, b));

/**
 * A's seed 0 holds six directions; B's seed 0 the same six in another order, each tilted toward a
 * shared seventh direction by a different amount (so the matched |cos| differ), and sign-flipped.
 */
function planted() {
  const q = orthonormalDirections(8, dIn, seededRandom(5));
  const a = q.slice(0, 6).map((v) => Array.from(v));
  const perm = [4, 2, 0, 5, 1, 3]; // B's feature perm[i] is A's feature i
  const tilt = [0.05, 0.3, 0.5, 0.1, 0.2, 0.4];
  const b: number[][] = [];
  perm.forEach((j, i) => (b[j] = a[i].map((x, k) => -(Math.sqrt(1 - tilt[i] ** 2) * x + tilt[i] * q[7][k]))));
  return { a, b, perm };
}

describe('matching features across configurations', () => {
  test('lands on the optimal assignment partner in both directions, with its |cos|, and matches a pair of snapshots once', async () => {
    const { a, b, perm } = planted();
    const match = vi.fn(matchDirections);
    const finder = crossPartnerFinder(match);
    const snapshots = [snapshot([0, 1], [a, a]), snapshot([0, 1], [b, b])] as const;
    for (let i = 0; i < 6; i++) {
      const landing = await finder.find(snapshots, 0, 0, i);
      expect(landing).toMatchObject({ seed: 0, feature: perm[i], arrivedFrom: { side: 0, seed: 0, feature: i, how: 'assignment' } });
      expect(landing?.arrivedFrom.cosine).toBeCloseTo(absCos(a[i], b[perm[i]]), 5);
      const back = await finder.find(snapshots, 1, 0, perm[i]);
      expect(back).toMatchObject({ seed: 0, feature: i, arrivedFrom: { side: 1, feature: perm[i] } });
    }
    expect(match).toHaveBeenCalledTimes(1);
    // A new snapshot of either side is matched again.
    await finder.find([snapshots[0], snapshot([0, 1], [b, b], 2)], 0, 0, 0);
    expect(match).toHaveBeenCalledTimes(2);
  });

  test('a seed the other configuration lacks goes to its first seed; a feature a narrower SAE leaves unmatched goes to its best |cos|', async () => {
    const { a, b, perm } = planted();
    const finder = crossPartnerFinder(matchDirections);
    expect(await finder.find([snapshot([0, 3], [a, a]), snapshot([1, 2], [b, b])], 0, 3, 0)).toMatchObject({ seed: 1, feature: perm[0] });
    // B keeps only four of A's six features: A's features 4 and 5 have no partner under the
    // assignment. A's feature 5 is made to lean toward feature 2, so its best |cos| is clear.
    const narrow = [0, 1, 2, 3].map((j) => b[perm[j]]);
    const leaning = a.map((row, i) => (i === 5 ? row.map((x, k) => 0.8 * x + 0.6 * a[2][k]) : row));
    const landing = await finder.find([snapshot([0], [leaning]), snapshot([0], [narrow])], 0, 0, 5);
    const cosines = narrow.map((row) => absCos(leaning[5], row));
    expect(landing?.arrivedFrom.how).toBe('best');
    expect(landing?.feature).toBe(2);
    expect(cosines.indexOf(Math.max(...cosines))).toBe(2);
    expect(landing?.arrivedFrom.cosine).toBeCloseTo(Math.max(...cosines), 5);
  });

  test('switching configuration selects the partner and says where it came from; without a feature or a snapshot it only switches', async () => {
    const { a, b, perm } = planted();
    const store = createLabStore();
    const finder = crossPartnerFinder(matchDirections);
    store.getState().setSnapshot(0, snapshot([0, 1, 2], [a, a, a]));
    store.getState().select({ side: 0 });
    expect(await switchConfiguration(store, finder, 1)).toBeNull();
    expect(store.getState().selection).toMatchObject({ side: 1, feature: null });

    store.getState().selectFeature(0, 0, 2);
    expect(await switchConfiguration(store, finder, 1)).toMatch(/no features to compare/);
    expect(store.getState().selection).toMatchObject({ side: 1, feature: null });

    store.getState().setSnapshot(1, snapshot([0, 1, 2], [b, b, b]));
    store.getState().selectFeature(0, 0, 2);
    expect(await switchConfiguration(store, finder, 1)).toBeNull();
    expect(store.getState().selection).toMatchObject({ side: 1, seed: 0, feature: perm[2], arrivedFrom: { side: 0, seed: 0, feature: 2, how: 'assignment' } });
    // Any other selection forgets where the feature came from.
    store.getState().selectFeature(1, 1, 0);
    expect(store.getState().selection.arrivedFrom).toBeNull();
  });
});

describe('the heatmap cell companion', () => {
  test('stays with the feature it was shown with, and goes with any other selection', () => {
    const store = createLabStore();
    store.getState().selectFeature(0, 0, 3, { companion: { seed: 1, feature: 7 } });
    expect(store.getState().selection).toMatchObject({ feature: 3, companion: { seed: 1, feature: 7 } });
    // The same cell clicked again keeps it; the same feature from a tile drops it.
    store.getState().selectFeature(0, 0, 3, { companion: { seed: 1, feature: 7 } });
    expect(store.getState().selection.companion).toEqual({ seed: 1, feature: 7 });
    store.getState().selectFeature(0, 0, 3);
    expect(store.getState().selection.companion).toBeNull();
    store.getState().selectFeature(0, 0, 3, { companion: { seed: 1, feature: 7 } });
    store.getState().select({ alpha: 2 });
    expect(store.getState().selection.companion).toEqual({ seed: 1, feature: 7 });
    store.getState().select({ seed: 2 });
    expect(store.getState().selection.companion).toBeNull();
  });
});
