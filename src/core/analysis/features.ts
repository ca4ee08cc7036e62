/**
 * Per-feature statistics of one SAE over a labelled digit set, for every feature at once (the
 * inspector reads any feature from the result instantly): firing frequency, a histogram of the
 * non-zero activations, the mean activation per class, the preferred class and the top-activating
 * digits. Two passes over the digits, one batch of activations [batch, d_sae] alive at a time: the
 * first finds each feature's top digits (whose first is its largest activation), the second bins
 * activations between 0 and that maximum.
 */
import { tf } from '../tf';
import { MNIST_CLASSES } from '../data/mnist';
import { forEachBatch } from './batches';
import type { DeviceSae } from './device-sae';
import type { DigitSet } from './digits';

export interface FeatureStatsOptions {
  /** Digits encoded at once. */
  batchSize?: number;
  /** Histogram bins over (0, max activation]. */
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
  /** [d_sae]: largest activation; the histogram spans (0, maxActivation]. */
  maxActivation: Float32Array;
  /** [d_sae, bins]: bin b counts activations v with max·b/bins < v ≤ max·(b+1)/bins. */
  histogram: Int32Array;
  /** [d_sae, 10]: mean activation (zeros included) over the digits of each class. */
  classProfile: Float32Array;
  /** [d_sae]: argmax of the class profile; -1 for a feature that never fires. */
  preferredClass: Int8Array;
  /** [d_sae, topK]: digit indices by decreasing activation, -1 past the feature's firing digits. */
  topIndices: Int32Array;
  /** [d_sae, topK]: their activations (0 where the index is -1). */
  topActivations: Float32Array;
}

const DEFAULTS: Required<FeatureStatsOptions> = { batchSize: 500, bins: 20, topK: 12 };

export async function computeFeatureStats(sae: DeviceSae, digits: DigitSet, options: FeatureStatsOptions = {}): Promise<FeatureStats> {
  const { batchSize, bins, topK } = { ...DEFAULTS, ...options };
  const { d_sae } = sae;
  const { labels, count } = digits.split;
  const top = { indices: new Int32Array(d_sae * topK).fill(-1), values: new Float32Array(d_sae * topK) };
  const firedOn = deviceCounter([d_sae]);
  const classSums = deviceCounter([MNIST_CLASSES, d_sae]);
  try {
    await forEachBatch(digits.rows, batchSize, async (x, start) => {
      const f = sae.encode(x);
      tf.tidy(() => {
        firedOn.assign(tf.add(firedOn, tf.sum(tf.cast(tf.greater(f, 0), 'float32'), 0)));
        const oneHot = tf.oneHot(tf.tensor1d(Int32Array.from(labels.subarray(start, start + x.shape[0])), 'int32'), MNIST_CLASSES);
        classSums.assign(tf.add(classSums, tf.matMul(tf.transpose(tf.cast(oneHot, 'float32')), f)));
      });
      const k = Math.min(topK, x.shape[0]);
      const batchTop = tf.tidy(() => tf.topk(tf.transpose(f), k));
      f.dispose();
      const [values, indices] = await Promise.all([batchTop.values.data(), batchTop.indices.data()]);
      tf.dispose([batchTop.values, batchTop.indices]);
      mergeTop(top, topK, values as Float32Array, indices as Int32Array, k, start);
    });
    const maxActivation = Float32Array.from({ length: d_sae }, (_, i) => top.values[i * topK]);
    const frequency = Float32Array.from(await firedOn.data(), (n) => n / count);
    const classProfile = meanPerClass(transposed(await classSums.data(), MNIST_CLASSES, d_sae), labels.subarray(0, count), d_sae);
    return {
      d_sae,
      digits: count,
      bins,
      topK,
      frequency,
      maxActivation,
      histogram: await histograms(sae, digits, maxActivation, bins, batchSize),
      classProfile,
      preferredClass: preferredClasses(classProfile, frequency),
      topIndices: top.indices,
      topActivations: top.values,
    };
  } finally {
    firedOn.dispose();
    classSums.dispose();
  }
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
      edges: Array.from({ length: bins + 1 }, (_, b) => histogramEdge(max, b, bins)),
      counts: Array.from(stats.histogram.subarray(feature * bins, (feature + 1) * bins)),
    },
    classProfile: Array.from(stats.classProfile.subarray(feature * MNIST_CLASSES, (feature + 1) * MNIST_CLASSES)),
    preferredClass: stats.preferredClass[feature],
    top,
  };
}

/** Edge b of a feature's histogram, rounded to float32 as the device compares with it. */
function histogramEdge(max: number, b: number, bins: number): number {
  return Math.fround((max * b) / bins);
}

/**
 * Merges a batch's per-feature top k (values and batch-local indices [d_sae, k], sorted
 * descending) into the running top [d_sae, topK]; only activations > 0 count as firing.
 */
function mergeTop(top: { indices: Int32Array; values: Float32Array }, topK: number, values: Float32Array, indices: Int32Array, k: number, offset: number): void {
  const mergedValues = new Float32Array(topK);
  const mergedIndices = new Int32Array(topK);
  for (let i = 0; i < values.length / k; i++) {
    let a = i * topK; // running list
    let b = i * k; // this batch
    const aEnd = a + topK;
    const bEnd = b + k;
    for (let m = 0; m < topK; m++) {
      const fromBatch = b < bEnd && values[b] > 0 && (a >= aEnd || top.indices[a] < 0 || values[b] > top.values[a]);
      if (fromBatch) {
        mergedValues[m] = values[b];
        mergedIndices[m] = offset + indices[b++];
      } else if (a < aEnd && top.indices[a] >= 0) {
        mergedValues[m] = top.values[a];
        mergedIndices[m] = top.indices[a++];
      } else {
        mergedValues[m] = 0;
        mergedIndices[m] = -1;
      }
    }
    top.values.set(mergedValues, i * topK);
    top.indices.set(mergedIndices, i * topK);
  }
}

/** Second pass: counts per feature and bin, from how many activations exceed each inner edge. */
async function histograms(sae: DeviceSae, digits: DigitSet, maxActivation: Float32Array, bins: number, batchSize: number): Promise<Int32Array> {
  const { d_sae } = sae;
  // edges[b] [d_sae] for b = 0 … bins − 1; edge 0 is 0, so row 0 counts the firing activations.
  const edgeValues = new Float32Array(bins * d_sae);
  for (let b = 0; b < bins; b++) for (let i = 0; i < d_sae; i++) edgeValues[b * d_sae + i] = histogramEdge(maxActivation[i], b, bins);
  const edges = tf.tensor2d(edgeValues, [bins, d_sae]);
  const above = deviceCounter([bins, d_sae]);
  try {
    await forEachBatch(digits.rows, batchSize, (x) => {
      const f = sae.encode(x);
      // One edge at a time: comparing all at once would hold [batch, bins, d_sae] on the device.
      const counts = Array.from({ length: bins }, (_, b) =>
        tf.tidy(() => tf.sum(tf.cast(tf.greater(f, tf.slice(edges, [b, 0], [1, d_sae])), 'float32'), 0)),
      );
      tf.tidy(() => above.assign(tf.add(above, tf.stack(counts))));
      tf.dispose([f, ...counts]);
    });
    const exceeding = await above.data();
    const out = new Int32Array(d_sae * bins);
    for (let i = 0; i < d_sae; i++) {
      for (let b = 0; b < bins; b++) {
        const next = b + 1 < bins ? exceeding[(b + 1) * d_sae + i] : 0;
        out[i * bins + b] = exceeding[b * d_sae + i] - next;
      }
    }
    return out;
  } finally {
    edges.dispose();
    above.dispose();
  }
}

/** A zero-filled accumulator on the device; tidy frees the initial zeros, which tf.variable would keep. */
function deviceCounter(shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros(shape), false));
}

function transposed(m: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c];
  return out;
}

/** Class sums [d_sae, 10] divided by each class's digit count (0 for a class with no digits). */
function meanPerClass(sums: Float32Array, labels: Uint8Array, d_sae: number): Float32Array {
  const perClass = new Array<number>(MNIST_CLASSES).fill(0);
  for (const label of labels) perClass[label]++;
  for (let i = 0; i < d_sae; i++) {
    for (let c = 0; c < MNIST_CLASSES; c++) sums[i * MNIST_CLASSES + c] = perClass[c] > 0 ? sums[i * MNIST_CLASSES + c] / perClass[c] : 0;
  }
  return sums;
}

function preferredClasses(classProfile: Float32Array, frequency: Float32Array): Int8Array {
  return Int8Array.from(frequency, (freq, i) => {
    if (freq === 0) return -1;
    let best = 0;
    for (let c = 1; c < MNIST_CLASSES; c++) if (classProfile[i * MNIST_CLASSES + c] > classProfile[i * MNIST_CLASSES + best]) best = c;
    return best;
  });
}
