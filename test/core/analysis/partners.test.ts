import { describe, expect, it } from 'vitest';
import { alignSeeds } from '../../../src/core/align';
import { featurePartners } from '../../../src/core/analysis';
import type { SaeWeights } from '../../../src/core/sae/weights';
import { combine, dot, orthonormalDirections, randomSae, saeFromFeatures, seededRandom } from '../align/helpers';

/** Feature j's encoder vector (column j of W_enc [d_in, d_sae]). */
function encoderOf(sae: SaeWeights, j: number): number[] {
  return Array.from({ length: sae.d_in }, (_, i) => sae.W_enc[i * sae.d_sae + j]);
}

/** |cos| of two vectors, straight from the definition. */
function absCos(a: number[], b: number[]): number {
  return Math.abs(dot(a, b)) / Math.sqrt(dot(a, a) * dot(b, b));
}

/** Every permutation of 0…n−1 (n small). */
function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, at) => [...p.slice(0, at), n - 1, ...p.slice(at)]));
}

/** The one-to-one matching of A's features to B's with the largest total encoder |cos|, by trying every permutation. */
function bruteForceEncoderMatching(a: SaeWeights, b: SaeWeights): number[] {
  const cos = Array.from({ length: a.d_sae }, (_, i) => Array.from({ length: b.d_sae }, (_, j) => absCos(encoderOf(a, i), encoderOf(b, j))));
  let best: number[] = [];
  let bestTotal = -Infinity;
  for (const p of permutations(a.d_sae)) {
    const total = p.reduce((sum, j, i) => sum + cos[i][j], 0);
    if (total > bestTotal) [best, bestTotal] = [p, total];
  }
  return best;
}

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
      // Where the encoders agree they are the same direction: encoder |cos| 1 with the decoder partner.
      expect(partners[0].encoderCosine).toBeCloseTo(1, 5);
      expect(partners[1].encoderCosine).toBeCloseTo(i === 0 ? 0 : 1, 5);
    }
    // Seen from seed 2, its feature order2[0] maps back to seed 0's feature 0, not shared: its encoder
    // is orthogonal to every encoder of seed 0.
    const back = featurePartners(features[2], order2[0]).find((p) => p.otherIndex === 0);
    expect(back).toMatchObject({ feature: 0, shared: false });
    expect(back?.encoderCosine).toBeCloseTo(0, 5);
  });

  it('reports the encoder |cos| with the decoder partner and the encoder matching’s own pick, as computed by hand', async () => {
    const random = seededRandom(11);
    const dIn = 10;
    const n = 6;
    const q = orthonormalDirections(dIn, dIn, random);
    // Decoders: B's feature perm[i] is A's feature i, so the decoder matching is perm. Encoders: B's are
    // A's mixed with a random direction by different amounts, so their |cos| are spread over (0, 1)
    // and the encoder matching may disagree with the decoder's.
    const perm = [2, 0, 5, 1, 3, 4];
    const a = randomSae(dIn, n, random);
    const decoderA = Array.from({ length: n }, (_, i) => Array.from({ length: dIn }, (_, k) => a.W_dec[i * dIn + k]));
    const encoderA = Array.from({ length: n }, (_, i) => encoderOf(a, i));
    const overlap = [0.95, 0.8, 0.6, 0.4, 0.2, 0.05];
    const decoderB: number[][] = [];
    const encoderB: number[][] = [];
    perm.forEach((j, i) => {
      decoderB[j] = decoderA[i];
      const unit = Float64Array.from(encoderA[i], (x) => x / Math.sqrt(dot(encoderA[i], encoderA[i])));
      encoderB[j] = Array.from(combine([[overlap[i], unit], [Math.sqrt(1 - overlap[i] ** 2), q[i]]]));
    });
    const b = saeFromFeatures(decoderB, encoderB);

    const { features } = await alignSeeds([a, b]);
    const encoderMatching = bruteForceEncoderMatching(a, b);
    for (let i = 0; i < n; i++) {
      const [partner] = featurePartners(features[0], i);
      expect(partner.feature).toBe(perm[i]);
      expect(partner.cosine).toBeCloseTo(1, 5);
      expect(partner.encoderCosine).toBeCloseTo(absCos(encoderA[i], encoderB[perm[i]]), 5);
      expect(partner.encoderPartner).toBe(encoderMatching[i]);
      expect(partner.encoderPartnerCosine).toBeCloseTo(absCos(encoderA[i], encoderB[encoderMatching[i]]), 5);
      const sharedByHand = encoderMatching[i] === perm[i] && partner.cosine >= 0.7 && partner.encoderCosine >= 0.7;
      expect(partner.shared).toBe(sharedByHand);

      // The same pair seen from B: the same cosines, and the encoder matching inverted.
      const [fromB] = featurePartners(features[1], perm[i]);
      expect(fromB.feature).toBe(i);
      expect(fromB.encoderCosine).toBeCloseTo(partner.encoderCosine, 6);
      expect(fromB.encoderPartner).toBe(encoderMatching.indexOf(perm[i]));
      expect(fromB.encoderPartnerCosine).toBeCloseTo(absCos(encoderB[perm[i]], encoderA[encoderMatching.indexOf(perm[i])]), 5);
    }
    // The spread of overlaps makes both verdicts occur.
    const verdicts = new Set(Array.from({ length: n }, (_, i) => featurePartners(features[0], i)[0].shared));
    expect(verdicts).toEqual(new Set([true, false]));
  });
});
