/**
 * Per-feature statistics of one SAE over a labelled digit set, for every feature at once (the
 * inspector then reads any feature instantly): firing frequency, a histogram of the non-zero
 * activations, the mean activation per class, the preferred class and the top-activating digits.
 *
 * The device only encodes; each batch of activations [batch, d_sae] is read back and tallied on the
 * CPU, so memory stays at one batch. (Tallying on the device was slower on tfjs-wasm: its
 * element-wise comparisons and casts cost more than the read-back.) Two passes: the first finds
 * each feature's top digits, whose first is its largest activation; the second bins activations
 * between 0 and that maximum.
 */
import { MNIST_CLASSES } from '../data/mnist';
import { forEachBatch } from './batches';
import type { DeviceSae } from './device-sae';
import type { DigitSet } from './digits';

export interface FeatureStatsOptions {
  /** Digits encoded at once. */
  batchSize?: number;
  /** Histogram bins over [0, max activation]. */
  bins?: number;
  /** Top-activating digits kept per feature. */
  topK?: number;
}

export interface FeatureStats {
  d_sae: number;
  digits: number;
  bins: number;
  topK: number;
  /** [d_sae]: fraction of digits on which the feature fires (activation > 0). */
  frequency: Float32Array;
  /** [d_sae]: largest activation; the histogram spans [0, maxActivation]. */
  maxActivation: Float32Array;
  /**
   * [d_sae, bins]: counts of non-zero activations v by bin b = min(bins − 1, ⌊v / max · bins⌋),
   * i.e. edge_b ≤ v < edge_(b+1) with edge_b = max · b / bins, the maximum itself in the last bin.
   */
  histogram: Int32Array;
  /** [d_sae, 10]: mean activation (zeros included) over the digits of each class. */
  classProfile: Float32Array;
  /** [d_sae]: argmax of the class profile; -1 for a feature that never fires. */
  preferredClass: Int8Array;
  /** [d_sae, topK]: digit indices by decreasing activation (ties: lower index first), -1 past the feature's firing digits. */
  topIndices: Int32Array;
  /** [d_sae, topK]: their activations (0 where the index is -1). */
  topActivations: Float32Array;
}

const DEFAULTS: Required<FeatureStatsOptions> = { batchSize: 500, bins: 20, topK: 12 };

export async function computeFeatureStats(sae: DeviceSae, digits: DigitSet, options: FeatureStatsOptions = {}): Promise<FeatureStats> {
  const { batchSize, bins, topK } = { ...DEFAULTS, ...options };
  const { d_sae } = sae;
  const { labels, count } = digits.split;
  const firedOn = new Float64Array(d_sae);
  const classSums = new Float64Array(d_sae * MNIST_CLASSES);
  const top = new TopDigits(d_sae, topK);
  await forEachActivationBatch(sae, digits, batchSize, (f, rows, start) => {
    for (let r = 0; r < rows; r++) {
      const digit = start + r;
      const label = labels[digit];
      for (let i = 0, k = r * d_sae; i < d_sae; i++, k++) {
        const v = f[k];
        if (v <= 0) continue;
        firedOn[i]++;
        classSums[i * MNIST_CLASSES + label] += v;
        top.offer(i, digit, v);
      }
    }
  });

  const maxActivation = Float32Array.from({ length: d_sae }, (_, i) => top.values[i * topK]);
  const histogram = new Int32Array(d_sae * bins);
  await forEachActivationBatch(sae, digits, batchSize, (f, rows) => {
    for (let r = 0; r < rows; r++) {
      for (let i = 0, k = r * d_sae; i < d_sae; i++, k++) {
        const v = f[k];
        if (v > 0) histogram[i * bins + Math.min(bins - 1, Math.floor((v / maxActivation[i]) * bins))]++;
      }
    }
  });

  const frequency = Float32Array.from(firedOn, (n) => n / count);
  const classProfile = meanPerClass(classSums, labels.subarray(0, count), d_sae);
  return {
    d_sae,
    digits: count,
    bins,
    topK,
    frequency,
    maxActivation,
    histogram,
    classProfile,
    preferredClass: preferredClasses(classProfile, frequency),
    topIndices: top.indices,
    topActivations: top.values,
  };
}

/** One feature's slice of the stats, as plain numbers for the inspector. */
export function featureSummary(stats: FeatureStats, feature: number) {
  const { bins, topK } = stats;
  const max = stats.maxActivation[feature];
  const top: { index: number; activation: number }[] = [];
  for (let k = 0; k < topK && stats.topIndices[feature * topK + k] >= 0; k++) {
    top.push({ index: stats.topIndices[feature * topK + k], activation: stats.topActivations[feature * topK + k] });
  }
  return {
    frequency: stats.frequency[feature],
    histogram: {
      edges: Array.from({ length: bins + 1 }, (_, b) => (max * b) / bins),
      counts: Array.from(stats.histogram.subarray(feature * bins, (feature + 1) * bins)),
    },
    classProfile: Array.from(stats.classProfile.subarray(feature * MNIST_CLASSES, (feature + 1) * MNIST_CLASSES)),
    preferredClass: stats.preferredClass[feature],
    top,
  };
}

/** Encodes the digits batch by batch and hands each batch's activations [rows, d_sae] to `visit`. */
function forEachActivationBatch(
  sae: DeviceSae,
  digits: DigitSet,
  batchSize: number,
  visit: (f: Float32Array, rows: number, start: number) => void,
): Promise<void> {
  return forEachBatch(digits.rows, batchSize, async (x, start) => {
    const f = sae.encode(x);
    try {
      visit((await f.data()) as Float32Array, x.shape[0], start);
    } finally {
      f.dispose();
    }
  });
}

/** Each feature's `topK` largest activations and their digits, sorted descending. */
class TopDigits {
  readonly indices: Int32Array;
  readonly values: Float32Array;

  constructor(
    d_sae: number,
    private readonly topK: number,
  ) {
    this.indices = new Int32Array(d_sae * topK).fill(-1);
    this.values = new Float32Array(d_sae * topK);
  }

  /** Digits arrive in increasing index order, so an equal value never displaces an earlier digit. */
  offer(feature: number, digit: number, value: number): void {
    const base = feature * this.topK;
    const last = base + this.topK - 1;
    if (this.indices[last] >= 0 && value <= this.values[last]) return;
    let k = last;
    while (k > base && (this.indices[k - 1] < 0 || value > this.values[k - 1])) {
      this.values[k] = this.values[k - 1];
      this.indices[k] = this.indices[k - 1];
      k--;
    }
    this.values[k] = value;
    this.indices[k] = digit;
  }
}

/** Class sums [d_sae, 10] divided by each class's digit count (0 for a class with no digits). */
function meanPerClass(sums: Float64Array, labels: Uint8Array, d_sae: number): Float32Array {
  const perClass = new Array<number>(MNIST_CLASSES).fill(0);
  for (const label of labels) perClass[label]++;
  return Float32Array.from({ length: d_sae * MNIST_CLASSES }, (_, k) => {
    const c = k % MNIST_CLASSES;
    return perClass[c] > 0 ? sums[k] / perClass[c] : 0;
  });
}

function preferredClasses(classProfile: Float32Array, frequency: Float32Array): Int8Array {
  return Int8Array.from(frequency, (freq, i) => {
    if (freq === 0) return -1;
    let best = 0;
    for (let c = 1; c < MNIST_CLASSES; c++) if (classProfile[i * MNIST_CLASSES + c] > classProfile[i * MNIST_CLASSES + best]) best = c;
    return best;
  });
}
