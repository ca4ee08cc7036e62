import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/core/tf';
import { computeFeatureStats, DeviceSae, featureSummary, uploadDigits, type FeatureStats } from '../../../src/core/analysis';
import type { Activation } from '../../../src/core/train/config';
import type { SaeWeights } from '../../../src/core/sae/weights';
import type { MnistSplit } from '../../../src/core/data/mnist';
import { randomSae, seededRandom } from '../align/helpers';
import { randomDigits, referenceEncode } from './helpers';

const D_IN = 6;
const D_SAE = 7;
const BINS = 5;
const TOP_K = 4;

/** Every statistic by direct loops over a plainly encoded activation matrix. */
function bruteForce(w: SaeWeights, digits: MnistSplit, activation: Activation) {
  const f = Array.from({ length: digits.count }, (_, r) => referenceEncode(w, digits.images.subarray(r * D_IN, (r + 1) * D_IN), activation));
  return Array.from({ length: D_SAE }, (_, i) => {
    const column = f.map((row) => row[i]);
    const firing = column.map((v, digit) => ({ v, digit })).filter((e) => e.v > 0);
    const max = Math.max(0, ...column);
    const histogram = new Array<number>(BINS).fill(0);
    for (const { v } of firing) histogram[Math.min(BINS - 1, Math.floor((v / max) * BINS))]++;
    const classProfile = Array.from({ length: 10 }, (_, c) => {
      const ofClass = column.filter((_, digit) => digits.labels[digit] === c);
      return ofClass.length === 0 ? 0 : ofClass.reduce((a, b) => a + b, 0) / ofClass.length;
    });
    const top = [...firing].sort((a, b) => b.v - a.v || a.digit - b.digit).slice(0, TOP_K);
    const preferred = firing.length === 0 ? -1 : classProfile.indexOf(Math.max(...classProfile));
    return { frequency: firing.length / digits.count, max, histogram, classProfile, top, preferred };
  });
}

async function statsOf(w: SaeWeights, digits: MnistSplit, activation: Activation): Promise<FeatureStats> {
  const sae = new DeviceSae(w, activation);
  const set = uploadDigits(digits);
  try {
    // A batch size that does not divide the digit count: the last batch is partial.
    return await computeFeatureStats(sae, set, { batchSize: 8, bins: BINS, topK: TOP_K });
  } finally {
    sae.dispose();
    set.rows.dispose();
  }
}

function tinySae(seed: number): SaeWeights {
  const random = seededRandom(seed);
  const w = randomSae(D_IN, D_SAE, random);
  // Biases make some features fire rarely and one never.
  w.b_enc.set([-0.5, 0, 0.3, -1.5, 0.1, -0.2, -100]);
  w.b_dec.set(Float32Array.from({ length: D_IN }, () => random() * 0.2));
  return w;
}

describe.each<Activation>([
  { kind: 'relu', l1Coeff: 0.1 },
  { kind: 'topk', k: 3, auxkCoeff: 0, kAux: 1 },
])('computeFeatureStats ($kind)', (activation) => {
  const w = tinySae(5);
  const digits = randomDigits(37, D_IN, seededRandom(9));

  it('matches a brute-force loop over the activations, feature by feature', async () => {
    const stats = await statsOf(w, digits, activation);
    const expected = bruteForce(w, digits, activation);
    expect(expected.filter((e) => e.frequency > 0 && e.frequency < 1).length).toBeGreaterThan(2);
    expected.forEach((e, i) => {
      const got = featureSummary(stats, i);
      expect(got.frequency).toBeCloseTo(e.frequency, 6);
      expect(stats.maxActivation[i]).toBeCloseTo(e.max, 4);
      expect(got.histogram.counts).toEqual(e.histogram);
      expect(got.histogram.edges[0]).toBe(0);
      expect(got.histogram.edges[BINS]).toBeCloseTo(e.max, 4);
      got.classProfile.forEach((v, c) => expect(v).toBeCloseTo(e.classProfile[c], 4));
      expect(got.preferredClass).toBe(e.preferred);
      expect(got.top.map((t) => t.index)).toEqual(e.top.map((t) => t.digit));
      got.top.forEach((t, k) => expect(t.activation).toBeCloseTo(e.top[k].v, 4));
    });
  });

  it('reports a feature that never fires as such', async () => {
    const stats = await statsOf(w, digits, activation);
    const dead = featureSummary(stats, D_SAE - 1);
    expect(dead).toMatchObject({ frequency: 0, preferredClass: -1, top: [] });
    expect(dead.histogram.counts.every((n) => n === 0)).toBe(true);
  });
});

describe('computeFeatureStats', () => {
  it('leaves no tensors behind', async () => {
    const w = tinySae(6);
    const digits = randomDigits(20, D_IN, seededRandom(1));
    await statsOf(w, digits, { kind: 'relu', l1Coeff: 0.1 }); // warm-up: kernels may cache on first use
    const before = tf.memory().numTensors;
    await statsOf(w, digits, { kind: 'relu', l1Coeff: 0.1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
