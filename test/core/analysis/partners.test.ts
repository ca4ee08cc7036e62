import { describe, expect, it } from 'vitest';
import { alignSeeds } from '../../../src/core/align';
import { featurePartners } from '../../../src/core/analysis';
import { orthonormalDirections, saeFromFeatures, seededRandom } from '../align/helpers';

describe('featurePartners', () => {
  it("finds each feature's planted partner in every other seed, shared only where encoder and decoder agree", async () => {
    const random = seededRandom(4);
    const directions = orthonormalDirections(12, 16, random);
    const base = directions.slice(0, 6);
    // Seed 1 and 2 hold the same six features in other orders. In seed 2, feature 0's encoder points
    // elsewhere (an unused direction), so it keeps its decoder partner but is not shared.
    const order1 = [3, 5, 0, 1, 4, 2];
    const order2 = [1, 0, 4, 5, 2, 3];
    const permuted = (order: number[]) => order.map((_, j) => base[order.indexOf(j)]);
    const seed0 = saeFromFeatures(base, base);
    const seed1 = saeFromFeatures(permuted(order1), permuted(order1));
    const encoders2 = permuted(order2);
    encoders2[order2[0]] = directions[11];
    const seed2 = saeFromFeatures(permuted(order2), encoders2);

    const { features } = await alignSeeds([seed0, seed1, seed2]);
    for (let i = 0; i < 6; i++) {
      const partners = featurePartners(features[0], i);
      expect(partners.map((p) => [p.otherIndex, p.feature])).toEqual([
        [1, order1[i]],
        [2, order2[i]],
      ]);
      partners.forEach((p) => expect(p.cosine).toBeCloseTo(1, 5));
      expect(partners.map((p) => p.shared)).toEqual([true, i !== 0]);
    }
    // Seen from seed 2, its feature order2[0] maps back to seed 0's feature 0, not shared.
    const back = featurePartners(features[2], order2[0]).find((p) => p.otherIndex === 0);
    expect(back).toMatchObject({ feature: 0, shared: false });
  });
});
