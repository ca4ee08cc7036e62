// Alignment of two SAEs (A, B): similarity, optimal matching, the paper's metrics and its "shared"
// criterion. Each similarity matrix is reduced to per-feature arrays as soon as it has been used, and
// the second is built in the first one's buffer, so a pair holds one [d_sae, d_sae] matrix.

import { linearSumAssignment, type Assignment } from './assignment';
import { sparseLinearSumAssignment } from './sparse-assignment';
import { decoderCosine, encoderCosine, LOCAL_COSINE, type CosineEngine, type SimilarityMatrix } from './cosine';
import {
  DEFAULT_TAU,
  fractionBestAtLeast,
  matchedSimilarities,
  meanMatchedSimilarity,
  meanMaxCosine,
} from './metrics';
import type { SaeWeights } from '../sae/weights';

export interface PairMetrics {
  /** Mean max cosine of the decoder similarity (symmetric in A and B). */
  mmcs: number;
  /** Mean decoder |cos| over the optimal one-to-one decoder matching. */
  meanMatched: number;
  /** Fraction of A's features whose best decoder match is ≥ tau. */
  fracAboveTau: number;
  /** Number of A's features shared with B, and that count over A's d_sae. */
  sharedCount: number;
  sharedFrac: number;
  /** The same two summaries on the encoder similarity, for comparison. */
  encoderMmcs: number;
  encoderMeanMatched: number;
}

/** Everything the multi-seed analysis needs from one pair, as per-feature arrays over A's features. */
export interface PairAlignment {
  metrics: PairMetrics;
  /** Optimal one-to-one matching on decoder similarity (A rows, B columns). */
  decoder: Assignment;
  /** Decoder |cos| of each A feature with its decoder partner (0 when it has none). */
  decoderMatched: Float32Array;
  /** Optimal one-to-one matching on encoder similarity: "shared" needs it to agree with the decoder's. */
  encoder: Assignment;
  /** Encoder |cos| of each A feature with its encoder partner (0 when it has none). */
  encoderMatched: Float32Array;
  /**
   * Encoder |cos| of each A feature with its decoder partner (0 when it has none): next to
   * `decoderMatched` it shows why a well-matched decoder pair is or is not shared.
   */
  encoderAtDecoderPartner: Float32Array;
  /** For each A feature its partner in B when shared (see `sharedPartners`), else -1. */
  sharedPartner: Int32Array;
}

export interface PairOptions {
  /** Threshold for "paired" and "shared"; the paper uses 0.7. */
  tau?: number;
  /** What computes the two |cos| matrices; the active backend in this thread by default. */
  cosine?: CosineEngine;
  /**
   * a.d_sae · b.d_sae values to build both matrices in (one from `cosine.newMatrix` otherwise): pairs
   * aligned one after another can share one, so that a fresh 1 GiB (at 16,384 features) is not paged
   * in for every pair, about 3 s each here, nor left to the garbage collector.
   */
  matrix?: Float32Array;
}

export async function alignPair(a: SaeWeights, b: SaeWeights, options: PairOptions = {}): Promise<PairAlignment> {
  const tau = options.tau ?? DEFAULT_TAU;

  // Each matrix is reduced to per-feature arrays (copies) by `reduce`, and the encoder's matrix is
  // then written into the decoder's buffer: one [d_sae, d_sae] buffer per pair (1 GiB at 16,384
  // features), whatever the garbage collector does: a dropped matrix is otherwise freed only when
  // the collector gets to it, which need not be before the next one is allocated.
  const cosine = options.cosine ?? LOCAL_COSINE;
  const engine = cosine.absCosine;
  const matrix = await decoderCosine(a, b, { engine, out: options.matrix ?? cosine.newMatrix(a.d_sae * b.d_sae) });
  const decoder = reduce(matrix, tau);
  // The encoder matrix is also read at the decoder's pairs before it is dropped.
  const encoder = reduce(await encoderCosine(a, b, { out: matrix.values, engine }), tau, decoder.assignment.rowToCol);

  const sharedPartner = sharedPartners(
    { rowToCol: decoder.assignment.rowToCol, matched: decoder.matched },
    { rowToCol: encoder.assignment.rowToCol, matched: encoder.matched },
    tau,
  );
  const sharedCount = sharedPartner.reduce((n, j) => (j >= 0 ? n + 1 : n), 0);

  return {
    metrics: {
      mmcs: decoder.mmcs,
      meanMatched: decoder.meanMatched,
      fracAboveTau: decoder.fracAboveTau,
      sharedCount,
      sharedFrac: a.d_sae === 0 ? 0 : sharedCount / a.d_sae,
      encoderMmcs: encoder.mmcs,
      encoderMeanMatched: encoder.meanMatched,
    },
    decoder: decoder.assignment,
    decoderMatched: decoder.matched,
    encoder: encoder.assignment,
    encoderMatched: encoder.matched,
    encoderAtDecoderPartner: encoder.atOther ?? new Float32Array(a.d_sae),
    sharedPartner,
  };
}

/** Everything alignPair needs from one similarity matrix, so the matrix itself can be dropped. */
interface Reduced {
  assignment: Assignment;
  matched: Float32Array;
  mmcs: number;
  meanMatched: number;
  fracAboveTau: number;
  /** The matrix read at another matching's pairs (`otherRowToCol`), when one was given. */
  atOther: Float32Array | null;
}

/**
 * Square matrices from this many features up go to the sparse solver: the same optimum (it certifies
 * it on the whole matrix) in less time. Best of 5 on half-planted |cos|-like matrices: 512 features
 * 11 ms sparse vs 13 ms dense, 1024: 31 vs 65 ms, 2048: 93 vs 508 ms; below 512 the dense one is
 * as fast or faster (BENCHMARKS.md, "Cross-seed assignment").
 */
export const SPARSE_ASSIGNMENT_MIN = 1024;

/** The optimal one-to-one matching maximising total similarity, by whichever exact solver is faster. */
export function optimalMatching(s: SimilarityMatrix): Assignment {
  if (s.rows === s.cols && s.rows >= SPARSE_ASSIGNMENT_MIN) {
    const { rowToCol, colToRow } = sparseLinearSumAssignment(s.values, s.rows, s.cols, { maximize: true });
    return { rowToCol, colToRow };
  }
  return linearSumAssignment(s.values, s.rows, s.cols, { maximize: true });
}

function reduce(s: SimilarityMatrix, tau: number, otherRowToCol?: Int32Array): Reduced {
  const assignment = optimalMatching(s);
  return {
    assignment,
    matched: matchedSimilarities(s, assignment.rowToCol),
    atOther: otherRowToCol ? matchedSimilarities(s, otherRowToCol) : null,
    mmcs: meanMaxCosine(s),
    meanMatched: meanMatchedSimilarity(s, assignment),
    fracAboveTau: fractionBestAtLeast(s, tau),
  };
}

/** One similarity's matching seen from A: partner per feature and |cos| with it. */
export interface MatchedSide {
  rowToCol: Int32Array;
  matched: Float32Array;
}

/**
 * The paper's criterion: feature i of A is shared with B when the encoder matching and the decoder
 * matching give it the same partner j and both matched similarities are ≥ tau. Returns j, or -1.
 */
export function sharedPartners(decoder: MatchedSide, encoder: MatchedSide, tau = DEFAULT_TAU): Int32Array {
  const out = new Int32Array(decoder.rowToCol.length).fill(-1);
  for (let i = 0; i < out.length; i++) {
    const j = decoder.rowToCol[i];
    if (j >= 0 && encoder.rowToCol[i] === j && decoder.matched[i] >= tau && encoder.matched[i] >= tau) out[i] = j;
  }
  return out;
}

/** A pair's per-feature results seen from one of its SAEs, indexed by that SAE's features. */
export interface DirectedMatch {
  /** Decoder-matching partner in the other SAE, or -1. */
  partner: Int32Array;
  /** Decoder |cos| with that partner (0 when there is none). */
  matchedCosine: Float32Array;
  /** Partner when shared, else -1. */
  sharedPartner: Int32Array;
  /** Encoder |cos| with the decoder partner (0 when there is none). */
  encoderCosine: Float32Array;
  /** Encoder-matching partner in the other SAE, or -1; "shared" needs it to equal `partner`. */
  encoderPartner: Int32Array;
  /** Encoder |cos| with the encoder partner (0 when there is none). */
  encoderPartnerCosine: Float32Array;
}

export function viewFromA(pair: PairAlignment): DirectedMatch {
  return {
    partner: pair.decoder.rowToCol,
    matchedCosine: pair.decoderMatched,
    sharedPartner: pair.sharedPartner,
    encoderCosine: pair.encoderAtDecoderPartner,
    encoderPartner: pair.encoder.rowToCol,
    encoderPartnerCosine: pair.encoderMatched,
  };
}

/** The same pair seen from B; a matching is one-to-one, so B's view is the inverse of A's. */
export function viewFromB(pair: PairAlignment): DirectedMatch {
  const partner = pair.decoder.colToRow;
  // |cos| is symmetric, so B's feature j and its partner i share the entry A's feature i has.
  const fromRows = (partnerOf: Int32Array, values: Float32Array) => {
    const out = new Float32Array(partnerOf.length);
    partnerOf.forEach((i, j) => {
      if (i >= 0) out[j] = values[i];
    });
    return out;
  };
  const sharedPartner = new Int32Array(partner.length).fill(-1);
  pair.sharedPartner.forEach((j, i) => {
    if (j >= 0) sharedPartner[j] = i;
  });
  return {
    partner,
    matchedCosine: fromRows(partner, pair.decoderMatched),
    sharedPartner,
    encoderCosine: fromRows(partner, pair.encoderAtDecoderPartner),
    encoderPartner: pair.encoder.colToRow,
    encoderPartnerCosine: fromRows(pair.encoder.colToRow, pair.encoderMatched),
  };
}
