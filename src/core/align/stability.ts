// Per-feature view of a multi-seed alignment: how well each feature of one seed is reproduced by
// every other seed, for sorting and colouring features in the UI, and the reference seed's
// "shared across seeds" counts.

import type { DirectedMatch } from './pair';

export interface FeatureStability {
  seed: number;
  /** The other seeds, in the order of the per-seed arrays below. */
  otherSeeds: number[];
  /** Per other seed: decoder-matching partner of each feature, or -1. */
  partner: Int32Array[];
  /** Per other seed: decoder |cos| of each feature with its partner (0 when it has none). */
  matchedCosine: Float32Array[];
  /** Per other seed: partner when the feature is shared with that seed, else -1. */
  sharedPartner: Int32Array[];
  /** Per other seed: encoder |cos| of each feature with its decoder partner (0 when it has none). */
  encoderCosine: Float32Array[];
  /** Per other seed: encoder-matching partner of each feature, or -1 (shared needs it to equal `partner`). */
  encoderPartner: Int32Array[];
  /** Per other seed: encoder |cos| of each feature with its encoder partner. */
  encoderPartnerCosine: Float32Array[];
  /** Per feature, over the other seeds: mean and minimum of `matchedCosine`. */
  meanMatched: Float32Array;
  minMatched: Float32Array;
  /** Per feature: with how many other seeds it is shared. */
  sharedCount: Int32Array;
}

/** Collects one seed's directed matches against each other seed into per-feature arrays. */
export function featureStability(seed: number, dSae: number, against: Map<number, DirectedMatch>): FeatureStability {
  const otherSeeds = [...against.keys()].sort((x, y) => x - y);
  const matches = otherSeeds.map((other) => against.get(other) as DirectedMatch);
  const meanMatched = new Float32Array(dSae);
  const minMatched = new Float32Array(dSae).fill(otherSeeds.length > 0 ? Infinity : 0);
  const sharedCount = new Int32Array(dSae);
  for (const match of matches) {
    for (let i = 0; i < dSae; i++) {
      const c = match.matchedCosine[i];
      meanMatched[i] += c / matches.length;
      if (c < minMatched[i]) minMatched[i] = c;
      if (match.sharedPartner[i] >= 0) sharedCount[i]++;
    }
  }
  return {
    seed,
    otherSeeds,
    partner: matches.map((m) => m.partner),
    matchedCosine: matches.map((m) => m.matchedCosine),
    sharedPartner: matches.map((m) => m.sharedPartner),
    encoderCosine: matches.map((m) => m.encoderCosine),
    encoderPartner: matches.map((m) => m.encoderPartner),
    encoderPartnerCosine: matches.map((m) => m.encoderPartnerCosine),
    meanMatched,
    minMatched,
    sharedCount,
  };
}

/**
 * How the reference seed's features are shared across the other seeds.
 *
 * Definitions (counts over the reference seed's d_sae features; "pair" = the reference seed with one
 * other seed, so there are N−1 such pairs):
 * - always: shared (paper's criterion) in every one of the N−1 pairs;
 * - sometimes: shared in at least one but not all of them;
 * - never: shared in none.
 * For N = 3 the paper speaks of "three pairs"; the two pairs involving the reference seed decide
 * always/sometimes/never here, and `sharedInAllPairs` adds the third: an "always" feature whose
 * partners in the other seeds are also shared with each other (a consistent feature across all
 * N(N−1)/2 pairs).
 */
export interface ReferenceSharing {
  referenceSeed: number;
  features: number;
  always: number;
  sometimes: number;
  never: number;
  /** always / features: the fraction shared with every other seed. */
  sharedWithAllFrac: number;
  sharedInAllPairs: number;
  sharedInAllPairsFrac: number;
}

/** `stability[s]` is seed s's `featureStability`; all seeds must be present. */
export function referenceSharing(stability: FeatureStability[], referenceSeed: number): ReferenceSharing {
  const reference = stability[referenceSeed];
  const others = reference.otherSeeds.length;
  const features = reference.sharedCount.length;
  let always = 0;
  let never = 0;
  let sharedInAllPairs = 0;
  for (let i = 0; i < features; i++) {
    const count = reference.sharedCount[i];
    if (count === 0) never++;
    if (count < others || others === 0) continue;
    always++;
    if (partnersSharedWithEachOther(stability, reference, i)) sharedInAllPairs++;
  }
  const fraction = (n: number) => (features === 0 ? 0 : n / features);
  return {
    referenceSeed,
    features,
    always,
    sometimes: features - always - never,
    never,
    sharedWithAllFrac: fraction(always),
    sharedInAllPairs,
    sharedInAllPairsFrac: fraction(sharedInAllPairs),
  };
}

/** For a feature shared with every other seed: are its partners pairwise shared with each other too? */
function partnersSharedWithEachOther(stability: FeatureStability[], reference: FeatureStability, feature: number): boolean {
  const partnerIn = new Map(reference.otherSeeds.map((s, k) => [s, reference.sharedPartner[k][feature]]));
  for (const [s, partnerInS] of partnerIn) {
    const fromS = stability[s];
    for (let k = 0; k < fromS.otherSeeds.length; k++) {
      const t = fromS.otherSeeds[k];
      if (t === reference.seed) continue;
      if (fromS.sharedPartner[k][partnerInS] !== partnerIn.get(t)) return false;
    }
  }
  return true;
}
