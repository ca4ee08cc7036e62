// Cross-seed alignment of N ≥ 2 SAEs trained with different seeds: every pair is aligned once and
// the results are split into a plain-JSON summary (for alignment.json and headline numbers) and
// per-feature typed arrays (for sorting and colouring features in the UI).

import { yieldToEventLoop } from '../event-loop';
import { DEFAULT_TAU, histogram, mean } from './metrics';
import { LOCAL_COSINE, type CosineEngine } from './cosine';
import { alignPair, viewFromA, viewFromB, type DirectedMatch, type PairMetrics } from './pair';
import { featureStability, referenceSharing, type FeatureStability, type ReferenceSharing } from './stability';
import { checkWeightShapes, type SaeWeights } from '../sae/weights';

export interface AlignSeedsOptions {
  /** Threshold for "paired" and "shared"; default 0.7 as in the paper. */
  tau?: number;
  /** Seed whose features the across-seeds sharing counts are about; default 0. */
  referenceSeed?: number;
  /** Bins of each pair's matched-cosine histogram over [0, 1]; default 20. */
  histogramBins?: number;
  /** Called after each pair, e.g. to drive a progress bar (pairs are the slow part). */
  onProgress?: (pairsDone: number, pairsTotal: number) => void;
  /** Checked before each pair: an abort ends the alignment between pairs with the signal's reason. */
  signal?: AbortSignal;
  /** What computes each pair's |cos| matrices (see alignPair). */
  cosine?: CosineEngine;
}

export interface PairSummary extends PairMetrics {
  /** Seed indices: A's features are the rows, B's the columns. */
  seedA: number;
  seedB: number;
  /** Counts of decoder |cos| over the optimal decoder matching's pairs, in equal bins over [0, 1]. */
  matchedHistogram: number[];
  /**
   * The same for the encoder: counts of encoder |cos| over the optimal encoder matching's pairs (its
   * own assignment, the one "shared" checks against the decoder's). Runs saved before it existed lack it.
   */
  encoderMatchedHistogram: number[];
}

/** Only numbers, strings and plain arrays: `JSON.stringify` gives alignment.json as is. */
export interface AlignmentSummary {
  seeds: number;
  dIn: number;
  dSae: number[];
  tau: number;
  pairs: PairSummary[];
  /** Unweighted mean of each headline metric over all pairs. */
  meanOverPairs: { mmcs: number; meanMatched: number; fracAboveTau: number; sharedFrac: number };
  acrossSeeds: ReferenceSharing;
}

export interface AlignmentReport {
  summary: AlignmentSummary;
  /** features[s] describes seed s's features against every other seed (typed arrays, not JSON). */
  features: FeatureStability[];
}

export async function alignSeeds(weights: SaeWeights[], options: AlignSeedsOptions = {}): Promise<AlignmentReport> {
  const tau = options.tau ?? DEFAULT_TAU;
  const referenceSeed = options.referenceSeed ?? 0;
  const bins = options.histogramBins ?? 20;
  checkInputs(weights, referenceSeed);

  const n = weights.length;
  const pairsTotal = (n * (n - 1)) / 2;
  const pairs: PairSummary[] = [];
  // against[s] maps each other seed t to s's features matched into t.
  const against = weights.map(() => new Map<number, DirectedMatch>());
  const cosine = options.cosine ?? LOCAL_COSINE;
  let matrix: Float32Array | undefined;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (options.signal) {
        // Its abort arrives as a message, which only a macrotask turn lets in (the pairs' work awaits
        // nothing slower than microtasks on wasm).
        await yieldToEventLoop();
        options.signal.throwIfAborted();
      }
      // Every pair is built in one buffer (see alignPair's `matrix`).
      const length = weights[a].d_sae * weights[b].d_sae;
      if (matrix?.length !== length) matrix = cosine.newMatrix(length);
      const pair = await alignPair(weights[a], weights[b], { tau, cosine, matrix });
      against[a].set(b, viewFromA(pair));
      against[b].set(a, viewFromB(pair));
      // Only matched rows count: with unequal widths the wider side's leftovers have no partner (their 0 is not a cosine).
      const decoderMatched = pair.decoderMatched.filter((_, i) => pair.decoder.rowToCol[i] >= 0);
      const encoderMatched = pair.encoderMatched.filter((_, i) => pair.encoder.rowToCol[i] >= 0);
      pairs.push({
        seedA: a,
        seedB: b,
        ...pair.metrics,
        matchedHistogram: histogram(decoderMatched, bins),
        encoderMatchedHistogram: histogram(encoderMatched, bins),
      });
      options.onProgress?.(pairs.length, pairsTotal);
    }
  }

  const features = against.map((matches, s) => featureStability(s, weights[s].d_sae, matches));
  const meanOf = (key: 'mmcs' | 'meanMatched' | 'fracAboveTau' | 'sharedFrac') => mean(pairs.map((p) => p[key]));
  return {
    summary: {
      seeds: n,
      dIn: weights[0].d_in,
      dSae: weights.map((w) => w.d_sae),
      tau,
      pairs,
      meanOverPairs: {
        mmcs: meanOf('mmcs'),
        meanMatched: meanOf('meanMatched'),
        fracAboveTau: meanOf('fracAboveTau'),
        sharedFrac: meanOf('sharedFrac'),
      },
      acrossSeeds: referenceSharing(features, referenceSeed),
    },
    features,
  };
}

function checkInputs(weights: SaeWeights[], referenceSeed: number): void {
  if (weights.length < 2) throw new Error(`cross-seed alignment needs at least 2 SAEs, got ${weights.length}`);
  if (!Number.isInteger(referenceSeed) || referenceSeed < 0 || referenceSeed >= weights.length) {
    throw new Error(`reference seed ${referenceSeed} is not one of the ${weights.length} SAEs`);
  }
  weights.forEach(checkWeightShapes);
  const dIn = weights[0].d_in;
  if (weights.some((w) => w.d_in !== dIn)) throw new Error('all SAEs must share d_in to be compared');
}
