// Shared fixtures for the analysis tests: small labelled digit sets, a plain-JavaScript SAE
// encoder to check the device against, and MNIST subsets for the tests that need real digits.
import type { MnistSplit } from '../../../src/core/data/mnist';
import { DigitClassifier, type ClassifierConfig } from '../../../src/core/analysis';
import { tensorSource } from '../../../src/core/train/source';
import type { SaeWeights } from '../../../src/core/sae/weights';
import type { Activation } from '../../../src/core/train/config';
import { loadMnistNode } from '../../../src/io/mnist-node';
import { initNodeBackend } from '../../../src/cli/node-backend';
import { Rng } from '../../../src/core/rng';

/** `count` random rows of width `d_in` in [0, 1) (about a third of pixels exactly 0), random labels 0–9. */
export function randomDigits(count: number, d_in: number, random: () => number): MnistSplit {
  const images = Float32Array.from({ length: count * d_in }, () => (random() < 0.35 ? 0 : random()));
  const labels = Uint8Array.from({ length: count }, () => Math.floor(random() * 10));
  return { images, labels, count };
}

/** Rows [from, from + count) of a split (views, not copies). */
export function splitRows(split: MnistSplit, from: number, count: number): MnistSplit {
  const width = split.images.length / split.count;
  return { images: split.images.subarray(from * width, (from + count) * width), labels: split.labels.subarray(from, from + count), count };
}

/** f = act(W_encᵀ(x − b_dec) + b_enc) for one row, in float64 loops. */
export function referenceEncode(w: SaeWeights, x: ArrayLike<number>, activation: Activation): Float64Array {
  const z = new Float64Array(w.d_sae);
  for (let j = 0; j < w.d_sae; j++) {
    let s = w.b_enc[j];
    for (let i = 0; i < w.d_in; i++) s += (x[i] - w.b_dec[i]) * w.W_enc[i * w.d_sae + j];
    z[j] = Math.max(0, s);
  }
  if (activation.kind === 'relu') return z;
  const kth = [...z].sort((a, b) => b - a)[activation.k - 1];
  return z.map((v) => (v >= kth && v > 0 ? v : 0));
}

/** x̂ = W_decᵀ f + b_dec for one row. */
export function referenceDecode(w: SaeWeights, f: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(w.b_dec);
  for (let j = 0; j < w.d_sae; j++) for (let i = 0; i < w.d_in; i++) out[i] += f[j] * w.W_dec[j * w.d_in + i];
  return out;
}

/**
 * Tests that train on real MNIST switch their file to the wasm backend (the Node runner's default):
 * on this two-core machine the cpu backend needs minutes for what wasm does in seconds.
 */
export async function useWasmBackend(): Promise<void> {
  await initNodeBackend('wasm');
}

/** `count` test digits drawn at random (seeded): the split's first digits are harder than the rest. */
export function sampleDigits(split: MnistSplit, count: number, seed: number): MnistSplit {
  const width = split.images.length / split.count;
  const picked = new Rng(seed).permutation(split.count).subarray(0, count);
  const images = new Float32Array(count * width);
  picked.forEach((d, r) => images.set(split.images.subarray(d * width, (d + 1) * width), r * width));
  return { images, labels: Uint8Array.from(picked, (d) => split.labels[d]), count };
}

/** A classifier trained on the first `count` MNIST training digits (a few seconds on wasm). */
export async function smallMnistClassifier(count = 8000, config: ClassifierConfig = { hidden: 64, epochs: 3, batchSize: 64, lr: 2e-3, seed: 0 }) {
  const mnist = await loadMnistNode();
  const train = splitRows(mnist.train, 0, count);
  const rows = tensorSource(train.images, 784);
  const classifier = await DigitClassifier.train({ rows, labels: train.labels }, config);
  rows.dispose();
  return { mnist, classifier };
}
