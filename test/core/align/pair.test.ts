import { describe, expect, it } from 'vitest';
import { alignPair, sharedPartners, viewFromA, viewFromB } from '../../../src/core/align/pair';
import { combine, orthonormalDirections, saeFromFeatures, seededRandom, shuffled } from './helpers';

// Features are built from orthonormal directions, so every |cos| between two features is known:
// 1 for the same direction (any scale or sign), 0 for different ones, and the mixing weight for a
// unit-norm mixture.
const dIn = 32;
const dSae = 8;

function setup(seed: number) {
  const random = seededRandom(seed);
  const q = orthonormalDirections(dIn, dIn, random);
  const scaleOrFlip = () => (random() < 0.5 ? -1 : 1) * (0.2 + 3 * random());
  const scaled = (k: number) => combine([[scaleOrFlip(), q[k]]]);
  // A's feature f uses direction f for both its decoder and its encoder.
  const features = Array.from({ length: dSae }, (_, f) => f);
  const a = saeFromFeatures(features.map(scaled), features.map(scaled));
  return { random, q, scaled, a };
}

/** Places B's feature π(f) = build(f): `placed[π(f)] = build(f)`. */
function placeByPermutation<T>(permutation: number[], build: (f: number) => T): T[] {
  const placed = new Array<T>(permutation.length);
  permutation.forEach((target, f) => (placed[target] = build(f)));
  return placed;
}

describe('alignPair', () => {
  it('finds a permuted copy, ignores replaced features, and reports metrics derivable by hand', async () => {
    const { random, scaled, a } = setup(21);
    const replaced = new Set([2, 5]); // B gets fresh directions (orthogonal to all of A) here
    const kept = dSae - replaced.size;
    const fresh = (f: number) => scaled(dSae + f);
    const pi = shuffled(dSae, random);
    const b = saeFromFeatures(
      placeByPermutation(pi, (f) => (replaced.has(f) ? fresh(f) : scaled(f))),
      placeByPermutation(pi, (f) => (replaced.has(f) ? fresh(dSae + f) : scaled(f))),
    );

    const pair = await alignPair(a, b);
    const fractionKept = kept / dSae;
    // Kept rows and columns have best match 1, replaced ones 0, on both sides.
    expect(pair.metrics.mmcs).toBeCloseTo(fractionKept, 5);
    expect(pair.metrics.meanMatched).toBeCloseTo(fractionKept, 5);
    expect(pair.metrics.fracAboveTau).toBeCloseTo(fractionKept, 9);
    expect(pair.metrics.encoderMmcs).toBeCloseTo(fractionKept, 5);
    expect(pair.metrics.sharedCount).toBe(kept);
    expect(pair.metrics.sharedFrac).toBeCloseTo(fractionKept, 9);
    for (let f = 0; f < dSae; f++) {
      if (replaced.has(f)) {
        expect(pair.decoderMatched[f]).toBeCloseTo(0, 5);
        expect(pair.sharedPartner[f]).toBe(-1);
      } else {
        expect(pair.decoder.rowToCol[f]).toBe(pi[f]);
        expect(pair.decoderMatched[f]).toBeCloseTo(1, 5);
        expect(pair.sharedPartner[f]).toBe(pi[f]);
      }
    }
  });

  it('does not call a feature shared when the encoder matching disagrees or the encoder cosine is below tau', async () => {
    const { random, q, scaled, a } = setup(22);
    const pi = shuffled(dSae, random);
    // The encoder matching swaps the partners of features 0 and 1.
    const sigma = [...pi];
    [sigma[0], sigma[1]] = [pi[1], pi[0]];
    // Feature 3's encoder keeps only 0.6 of its direction (below tau); feature 4's keeps 0.75 (above).
    const encoderOverlap = new Map([
      [3, 0.6],
      [4, 0.75],
    ]);
    const encoder = (f: number) => {
      const c = encoderOverlap.get(f) ?? 1;
      return combine([
        [c, q[f]],
        [Math.sqrt(1 - c * c), q[dIn - 1 - f]],
      ]);
    };
    const b = saeFromFeatures(placeByPermutation(pi, scaled), placeByPermutation(sigma, encoder));

    const pair = await alignPair(a, b);
    const expectedShared = (f: number) => f !== 0 && f !== 1 && f !== 3;
    for (let f = 0; f < dSae; f++) {
      expect(pair.decoder.rowToCol[f]).toBe(pi[f]);
      expect(pair.sharedPartner[f]).toBe(expectedShared(f) ? pi[f] : -1);
    }
    expect(pair.metrics.sharedCount).toBe(dSae - 3);
    // The decoders still match perfectly: only "shared" sees the encoder.
    expect(pair.metrics.meanMatched).toBeCloseTo(1, 5);
    expect(pair.metrics.encoderMeanMatched).toBeCloseTo((dSae - 2 + 0.6 + 0.75) / dSae, 5);
  });

  it('handles SAEs of different widths and gives consistent views from both sides', async () => {
    const { random, scaled, a } = setup(23);
    const narrow = 5;
    const chosen = shuffled(dSae, random).slice(0, narrow); // B's feature k copies A's feature chosen[k]
    const b = saeFromFeatures(chosen.map(scaled), chosen.map(scaled));

    const pair = await alignPair(a, b);
    expect(pair.metrics.sharedCount).toBe(narrow);
    expect(pair.metrics.sharedFrac).toBeCloseTo(narrow / dSae, 9);
    expect(pair.metrics.meanMatched).toBeCloseTo(1, 5);
    expect(pair.metrics.mmcs).toBeCloseTo(0.5 * (narrow / dSae + 1), 5);

    const fromA = viewFromA(pair);
    const fromB = viewFromB(pair);
    for (let f = 0; f < dSae; f++) {
      const k = chosen.indexOf(f);
      expect(fromA.partner[f]).toBe(k);
      expect(fromA.matchedCosine[f]).toBeCloseTo(k >= 0 ? 1 : 0, 5);
    }
    chosen.forEach((f, k) => {
      expect(fromB.partner[k]).toBe(f);
      expect(fromB.sharedPartner[k]).toBe(f);
      expect(fromB.matchedCosine[k]).toBe(fromA.matchedCosine[f]);
    });
  });
});

describe('sharedPartners', () => {
  it('requires the same partner and both similarities at least tau', () => {
    const decoder = { rowToCol: Int32Array.from([0, 1, 2, 3, -1]), matched: Float32Array.from([0.9, 0.9, 0.69, 0.7, 0]) };
    const encoder = { rowToCol: Int32Array.from([0, 2, 2, 3, -1]), matched: Float32Array.from([0.8, 0.9, 0.9, 0.7, 0]) };
    const tau = Math.fround(0.7);
    // 0: agree, both high. 1: partners differ. 2: decoder below tau. 3: both exactly tau. 4: unmatched.
    expect(Array.from(sharedPartners(decoder, encoder, tau))).toEqual([0, -1, -1, 3, -1]);
  });
});
