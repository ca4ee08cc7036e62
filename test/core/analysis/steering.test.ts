import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/core/tf';
import {
  DeviceSae,
  steerRows,
  steeringStrip,
  steeringSuccessRate,
  uploadDigits,
  wilsonInterval,
  type DigitClassifier,
  type DigitSet,
  type FeatureStats,
} from '../../../src/core/analysis';
import type { MnistDataset } from '../../../src/core/data/mnist';
import type { SaeWeights } from '../../../src/core/sae/weights';
import { randomSae, seededRandom } from '../align/helpers';
import { referenceDecode, referenceEncode, sampleDigits, smallMnistClassifier, splitRows, useWasmBackend } from './helpers';

const RELU = { kind: 'relu', l1Coeff: 0.1 } as const;

describe('steeringStrip', () => {
  it('is clip(decode(encode(x)) + α·d̂_i, 0, 1) with the unit decoder direction, computed independently', async () => {
    const random = seededRandom(2);
    const w = randomSae(9, 5, random);
    w.b_dec.set(Float32Array.from({ length: 9 }, () => random()));
    const x = Float32Array.from({ length: 9 }, () => random());
    const feature = 3;
    const alphas = [-2, 0, 0.5, 3];
    const sae = new DeviceSae(w, RELU);
    const strip = await steeringStrip(sae, x, feature, alphas);
    sae.dispose();

    const reconstruction = referenceDecode(w, referenceEncode(w, x, RELU));
    const row = w.W_dec.subarray(feature * 9, (feature + 1) * 9);
    const norm = Math.hypot(...row);
    const clip = (v: number) => Math.min(1, Math.max(0, v));
    strip.reconstruction.forEach((v, i) => expect(v).toBeCloseTo(clip(reconstruction[i]), 5));
    alphas.forEach((alpha, k) => strip.images[k].forEach((v, i) => expect(v).toBeCloseTo(clip(reconstruction[i] + (alpha * row[i]) / norm), 5)));
    // Clipping must have mattered somewhere, or the test would not check it.
    expect(strip.images.some((image, k) => image.some((v, i) => v !== reconstruction[i] + (alphas[k] * row[i]) / norm))).toBe(true);
  });
});

describe('wilsonInterval', () => {
  it('gives the textbook 95% intervals', () => {
    const [lo, hi] = wilsonInterval(5, 10);
    expect(lo).toBeCloseTo(0.2366, 4);
    expect(hi).toBeCloseTo(0.7634, 4);
    const [zeroLo, zeroHi] = wilsonInterval(0, 10);
    expect(zeroLo).toBe(0);
    expect(zeroHi).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

describe('steering MNIST digits with planted features', () => {
  let mnist: MnistDataset;
  let classifier: DigitClassifier;
  let digits: DigitSet;
  let planted: SaeWeights;

  /**
   * 794 features: 784 pixel features (W_enc = W_dec = identity, so the reconstruction is the digit
   * itself) and then one per class whose decoder direction is the mean image of that class and
   * which never fires on its own (zero encoder).
   */
  function plantedSae(): SaeWeights {
    const d_in = 784;
    const d_sae = d_in + 10;
    const W_enc = new Float32Array(d_in * d_sae);
    const W_dec = new Float32Array(d_sae * d_in);
    for (let i = 0; i < d_in; i++) {
      W_enc[i * d_sae + i] = 1;
      W_dec[i * d_in + i] = 1;
    }
    const train = splitRows(mnist.train, 0, 3000);
    for (let r = 0; r < train.count; r++) {
      const row = (d_in + train.labels[r]) * d_in;
      for (let i = 0; i < d_in; i++) W_dec[row + i] += train.images[r * d_in + i];
    }
    return { d_in, d_sae, W_enc, b_enc: new Float32Array(d_sae), W_dec, b_dec: new Float32Array(d_in) };
  }

  /** Stats in which only the class features are live, each preferring `classOf(c)`. */
  function classFeatureStats(classOf: (c: number) => number): FeatureStats {
    const preferredClass = new Int8Array(planted.d_sae).fill(-1);
    for (let c = 0; c < 10; c++) preferredClass[784 + c] = classOf(c);
    return { preferredClass } as FeatureStats;
  }

  beforeAll(async () => {
    await useWasmBackend();
    ({ mnist, classifier } = await smallMnistClassifier());
    digits = uploadDigits(sampleDigits(mnist.test, 1000, 2));
    planted = plantedSae();
  });

  it('moves predictions toward class c as α grows along the mean image of class c', async () => {
    const sae = new DeviceSae(planted, RELU);
    const c = 0;
    const others = Int32Array.from({ length: 1000 }, (_, i) => i).filter((i) => digits.split.labels[i] !== c).subarray(0, 200);
    const shareReadAsC = async (alpha: number) => {
      const x = digits.rows.gather(others);
      const steered = steerRows(sae, x, new Int32Array(others.length).fill(784 + c), alpha);
      const predicted = classifier.predict(steered);
      const classes = await predicted.data();
      tf.dispose([x, steered, predicted]);
      return classes.filter((k) => k === c).length / others.length;
    };
    const shares = [await shareReadAsC(0), await shareReadAsC(4), await shareReadAsC(8), await shareReadAsC(16)];
    sae.dispose();
    expect(shares[0]).toBeLessThan(0.05);
    for (let k = 1; k < shares.length; k++) expect(shares[k]).toBeGreaterThan(shares[k - 1]);
    expect(shares[3]).toBeGreaterThan(0.6);
  });

  it("succeeds far more often when a feature's preferred class is the class its direction depicts", async () => {
    const sae = new DeviceSae(planted, RELU);
    // α well above the lab's default: a class-mean direction is blurry, and this test is about
    // the rate's bookkeeping (which feature, which target, which digits), not the choice of α.
    const options = { alpha: 12, pool: 1000, features: 10, digitsPerFeature: 20 };
    const matching = await steeringSuccessRate(sae, classFeatureStats((c) => c), classifier, digits, options);
    const mismatched = await steeringSuccessRate(sae, classFeatureStats((c) => (c + 1) % 10), classifier, digits, options);
    sae.dispose();
    expect(matching).toMatchObject({ trials: 200, features: 10 });
    // Each feature's own count, for comparisons that respect that its trials share a direction.
    expect(matching.perFeature.map((f) => f.trials)).toEqual(new Array(10).fill(20));
    expect(new Set(matching.perFeature.map((f) => f.feature)).size).toBe(10);
    expect(matching.perFeature.reduce((s, f) => s + f.successes, 0)).toBe(matching.successes);
    expect(matching.successes).toBe(Math.round(matching.rate * 200));
    expect(matching.ci95[0]).toBeLessThanOrEqual(matching.rate);
    expect(matching.ci95[1]).toBeGreaterThanOrEqual(matching.rate);
    expect(matching.rate).toBeGreaterThan(0.5);
    expect(mismatched.rate).toBeLessThan(0.2);
    expect(matching.ci95[0]).toBeGreaterThan(mismatched.ci95[1]);
  });
});
