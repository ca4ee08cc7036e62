/**
 * How often steering with an SAE's features moves a digit to the class those features stand for,
 * as judged by the lab's classifier: MNIST's counterpart of the paper's LLM-judged steering
 * success rate (6.3% without L2, 13.0% with it).
 *
 * Success is the classifier's top class becoming the feature's preferred class, not a rise in
 * that class's probability by some margin: the top class is what a reader would say the image now
 * shows, and it does not depend on how well the classifier's probabilities are calibrated.
 * Only digits whose reconstruction the classifier still reads as their true label take part, so
 * that a poor reconstruction cannot count as a success of steering.
 */
import type { tf } from '../tf';
import { Rng } from '../rng';
import type { DigitClassifier } from './classifier';
import type { DeviceSae } from './device-sae';
import type { DigitSet } from './digits';
import type { FeatureStats } from './features';
import { steerRows } from './steering';
import type { FeatureSuccess } from '../stats/feature-rates';
import { successRate } from './wilson';

/**
 * α in units of pixel-space length. A test digit's own length ‖x‖ is 9.3 on average, so 5 adds a
 * pattern about half as long as a digit. Measured on 300-step teaching runs (wasm, 500 trials),
 * it leaves the rate mid-range (about 0.4 at width 64, 0.15 at width 256, against 0.15 and 0.03
 * at α = 3, 0.68 and 0.29 at α = 8), where a difference between two configurations can show in
 * either direction. The paper's own steering strength is 5.0 too (on Pythia's residual stream).
 */
export const STEERING_ALPHA = 5;
export const STEERING_FEATURES = 50;
export const STEERING_DIGITS_PER_FEATURE = 10;

export const STEERING_SUCCESS_DEFINITION =
  `Each of up to ${STEERING_FEATURES} randomly chosen (seeded) live features steers ${STEERING_DIGITS_PER_FEATURE} test digits ` +
  `of other classes, whose reconstructions the classifier reads correctly, by adding ${STEERING_ALPHA} × its unit decoder ` +
  `direction to the reconstruction; a trial succeeds when the classifier then reads the image as the feature's ` +
  `preferred class (the class it fires on most).`;

export interface SteeringSuccessOptions {
  alpha?: number;
  features?: number;
  digitsPerFeature?: number;
  /** Test digits drawn (seeded) as candidates; their reconstructions are classified once. */
  pool?: number;
  /** Seed of the feature and digit draws: the same seed gives two SAEs the same digit pool. */
  seed?: number;
  /** Images steered and classified at once. */
  batchSize?: number;
}

export interface SteeringSuccessRate {
  rate: number;
  ci95: [number, number];
  successes: number;
  trials: number;
  features: number;
  alpha: number;
  /**
   * Each steered feature's own count, in the order drawn. A feature's trials share its direction,
   * so they are not independent: compare SAEs by these (compareFeatureRates), not by pooled trials.
   */
  perFeature: FeatureSuccess[];
}

interface Trials {
  digits: Int32Array;
  features: Int32Array;
  targets: Int32Array;
}

export async function steeringSuccessRate(
  sae: DeviceSae,
  stats: FeatureStats,
  classifier: DigitClassifier,
  digits: DigitSet,
  options: SteeringSuccessOptions = {},
): Promise<SteeringSuccessRate> {
  const alpha = options.alpha ?? STEERING_ALPHA;
  const batchSize = options.batchSize ?? 1000;
  const rng = new Rng(options.seed ?? 0);
  const pool = rng.permutation(digits.split.count).subarray(0, options.pool ?? 2000);
  const readable = await correctlyReadReconstructions(sae, classifier, digits, pool, batchSize);
  const chosen = sampleLiveFeatures(stats, options.features ?? STEERING_FEATURES, rng);
  const trials = drawTrials(chosen, stats, readable, digits.split.labels, options.digitsPerFeature ?? STEERING_DIGITS_PER_FEATURE, rng);

  const byFeature = new Map(Array.from(chosen, (feature) => [feature, { feature, successes: 0, trials: 0 }]));
  let successes = 0;
  for (let start = 0; start < trials.digits.length; start += batchSize) {
    const end = Math.min(trials.digits.length, start + batchSize);
    const predicted = await classifyRows(classifier, digits, trials.digits.subarray(start, end), (x) =>
      steerRows(sae, x, trials.features.subarray(start, end), alpha),
    );
    predicted.forEach((c, k) => {
      const own = byFeature.get(trials.features[start + k])!;
      own.trials++;
      if (c === trials.targets[start + k]) {
        successes++;
        own.successes++;
      }
    });
  }
  const count = trials.digits.length;
  return {
    ...successRate(successes, count),
    features: chosen.length,
    alpha,
    perFeature: [...byFeature.values()],
  };
}

/** The pool's digits whose clipped reconstruction the classifier reads as their label. */
async function correctlyReadReconstructions(sae: DeviceSae, classifier: DigitClassifier, digits: DigitSet, pool: Int32Array, batchSize: number): Promise<Int32Array> {
  const keep: number[] = [];
  for (let start = 0; start < pool.length; start += batchSize) {
    const batch = pool.subarray(start, Math.min(pool.length, start + batchSize));
    const predicted = await classifyRows(classifier, digits, batch, (x) => steerRows(sae, x, new Int32Array(x.shape[0]), 0));
    predicted.forEach((c, k) => {
      if (c === digits.split.labels[batch[k]]) keep.push(batch[k]);
    });
  }
  return Int32Array.from(keep);
}

/** The classifier's reading of `transform` applied to the digits at `indices` (one read-back). */
async function classifyRows(
  classifier: DigitClassifier,
  digits: DigitSet,
  indices: Int32Array,
  transform: (x: tf.Tensor2D) => tf.Tensor2D,
): Promise<Int32Array> {
  const x = digits.rows.gather(indices);
  const images = transform(x);
  const predicted = classifier.predict(images);
  x.dispose();
  images.dispose();
  try {
    return (await predicted.data()) as Int32Array;
  } finally {
    predicted.dispose();
  }
}

/** Up to `count` features that fire on some digit, drawn without replacement. */
function sampleLiveFeatures(stats: FeatureStats, count: number, rng: Rng): Int32Array {
  const live = Int32Array.from(stats.preferredClass.keys()).filter((i) => stats.preferredClass[i] >= 0);
  const order = rng.permutation(live.length);
  return Int32Array.from(order.subarray(0, Math.min(count, live.length)), (k) => live[k]);
}

/** For each feature, up to `perFeature` readable digits not of its preferred class, drawn without replacement. */
function drawTrials(features: Int32Array, stats: FeatureStats, readable: Int32Array, labels: Uint8Array, perFeature: number, rng: Rng): Trials {
  const out = { digits: [] as number[], features: [] as number[], targets: [] as number[] };
  for (const feature of features) {
    const target = stats.preferredClass[feature];
    const candidates = readable.filter((d) => labels[d] !== target);
    const order = rng.permutation(candidates.length);
    for (let k = 0; k < Math.min(perFeature, candidates.length); k++) {
      out.digits.push(candidates[order[k]]);
      out.features.push(feature);
      out.targets.push(target);
    }
  }
  return { digits: Int32Array.from(out.digits), features: Int32Array.from(out.features), targets: Int32Array.from(out.targets) };
}
