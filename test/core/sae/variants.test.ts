// Every registered SAE variant against an independent double-precision reference written in this
// file from PAPER.md's definitions: its encoding, its own loss terms (dense and, where it has one,
// sparse), its SAELens architecture string, and its defaults. REFERENCE is typed by kind, so a
// variant added to the registry without a reference here does not compile.
import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/core/tf';
import { readSaeLens, writeSaeLens } from '../../../src/core/formats/saelens';
import { decode, disposeParams, paramsFromWeights, preActivations } from '../../../src/core/sae/model';
import { variantMath, type DenseBatch } from '../../../src/core/sae/variant-math';
import { SAE_VARIANTS, saeArchitecture, saeVariant, VARIANT_KINDS, type ActivationOf, type VariantKind } from '../../../src/core/sae/variants';
import type { Activation } from '../../../src/core/train/config';
import { configProblems } from '../../../src/core/train/schema';
import type { SaeWeights } from '../../../src/core/sae/weights';
import { decode as decode64, pre, topk as topk64, type Weights64 } from '../../helpers/reference-sae';
import { lcg, randomArray, tinyConfig } from '../../helpers/configs';

const n = 5;
const d_in = 4;
const d_sae = 7;
const dead = [true, false, true, true, false, false, true];

interface Reference<A extends Activation> {
  /** Settings that exercise every term. */
  settings: A;
  /** cfg.json's `architecture` as SAELens spells it. */
  saelens: string;
  encode(z: Float64Array, a: A): Float64Array;
  /** The variant's own terms from pre-activations z, the residual x − x̂ and the batch x. */
  terms(w: Weights64, x: Float64Array, z: Float64Array, residual: Float64Array, a: A): Record<string, number>;
}

const sum = (values: ArrayLike<number>, g: (v: number) => number) => Array.from(values).reduce((t, v) => t + g(v), 0);

const REFERENCE: { [K in VariantKind]: Reference<ActivationOf<K>> } = {
  relu: {
    settings: { kind: 'relu', l1Coeff: 0.3 },
    saelens: 'standard',
    encode: (z) => z.map((v) => Math.max(0, v)),
    terms: (_w, _x, z, _r, a) => ({ sparsity: (a.l1Coeff * sum(z, (v) => Math.max(0, v))) / z.length }),
  },
  topk: {
    // k_aux above the 4 dead latents, so AuxK's scale min(#dead / k_aux, 1) is below 1.
    settings: { kind: 'topk', k: 3, auxkCoeff: 0.5, kAux: 5 },
    saelens: 'topk',
    encode: (z, a) => topk64(z, n, d_sae, a.k),
    terms(w, x, z, residual, a) {
      const eHat = decode64(w, topk64(z, n, d_sae, a.kAux, dead), n, false);
      const error = sum(eHat.map((v, i) => v - residual[i]), (v) => v * v);
      const mean = Array.from({ length: d_in }, (_, i) => sum(x.filter((_, j) => j % d_in === i), (v) => v) / n);
      const variance = sum(x.map((v, j) => v - mean[j % d_in]), (v) => v * v);
      return { auxk: a.auxkCoeff * Math.min(dead.filter(Boolean).length / a.kAux, 1) * (error / variance) };
    },
  },
};

/** Float32 weights, and the same values in float64 for the reference. */
function weights(seed: number): { w32: SaeWeights; w64: Weights64 } {
  const r = lcg(seed);
  const arrays = { W_enc: randomArray(d_in * d_sae, r), b_enc: randomArray(d_sae, r, 0.2), W_dec: randomArray(d_sae * d_in, r), b_dec: randomArray(d_in, r, 0.2) };
  const w32 = { d_in, d_sae, ...Object.fromEntries(Object.entries(arrays).map(([k, v]) => [k, Float32Array.from(v)])) } as SaeWeights;
  const w64 = { d_in, d_sae, ...Object.fromEntries(Object.entries(w32).filter(([k]) => k !== 'd_in' && k !== 'd_sae').map(([k, v]) => [k, Float64Array.from(v as Float32Array)])) } as Weights64;
  return { w32, w64 };
}

const batch = Float64Array.from(Float32Array.from(randomArray(n * d_in, lcg(7), 2)));

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i])));
}

describe.each(VARIANT_KINDS)('SAE variant %s', (kind) => {
  const reference = REFERENCE[kind] as Reference<Activation>;
  const a = reference.settings;

  it('encodes pre-activations as the reference does', () => {
    const z = Float64Array.from(Float32Array.from(randomArray(n * d_sae, lcg(3), 2)));
    const f = tf.tidy(() => variantMath(a).encode(tf.tensor2d(Float32Array.from(z), [n, d_sae]), a).dataSync());
    expectClose(f, reference.encode(z, a));
  });

  it('computes its own loss terms as the reference does, on every path, leaving no tensor behind', () => {
    const { w32, w64 } = weights(11);
    const z64 = pre(w64, batch, n);
    const residual64 = batch.map((v, i) => v - decode64(w64, reference.encode(z64, a), n)[i]);
    const expected = reference.terms(w64, batch, z64, residual64, a);
    const params = paramsFromWeights(w32, true);
    const math = variantMath(a);
    const before = tf.memory().numTensors;
    const read = (terms: Record<string, tf.Scalar>) => Object.fromEntries(Object.entries(terms).map(([name, t]) => [name, t.dataSync()[0]]));
    const dense = tf.tidy(() => {
      const x = tf.tensor2d(Float32Array.from(batch), [n, d_in]);
      const z = preActivations(params, x);
      const f = math.encode(z, a);
      const step: DenseBatch = { params, x, z, f, residual: tf.sub(x, decode(params, f)) as tf.Tensor2D, dead: tf.tensor1d(dead.map(Number)) };
      return read(math.lossTerms(step, a));
    });
    const sparse =
      math.sparse &&
      tf.tidy(() => {
        const x = tf.tensor2d(Float32Array.from(batch), [n, d_in]);
        const encoded = math.sparse!.encode(params, x, a, tf.tensor1d(dead.map(Number)));
        return read(encoded.terms(tf.sub(x, encoded.xHat) as tf.Tensor2D));
      });
    expect(tf.memory().numTensors).toBe(before);
    disposeParams(params);
    for (const got of sparse ? [dense, sparse] : [dense]) {
      expect(Object.keys(got)).toEqual(Object.keys(expected));
      expectClose(Object.values(got), Object.values(expected));
    }
  });

  it('writes its SAELens architecture string and reads the same architecture and training back', () => {
    const training = tinyConfig({ d_in, d_sae, activation: a });
    const files = writeSaeLens(weights(5).w32, { hookName: 'h', architecture: saeArchitecture(a), training });
    const cfg = JSON.parse(files['cfg.json']) as Record<string, unknown>;
    expect([cfg.architecture, cfg.activation_fn_str]).toEqual([reference.saelens, kind]);
    const loaded = readSaeLens(files, 'run');
    expect(loaded.architecture).toEqual(saeArchitecture(a));
    expect(loaded.training).toEqual(training);
    // A foreign SAE declaring only the architecture string reads as this variant too.
    const foreign = readSaeLens({ ...files, 'cfg.json': JSON.stringify({ ...cfg, lab_training: undefined, activation_fn_str: undefined }) }, 'foreign');
    expect(foreign.architecture).toEqual(saeArchitecture(a));
  });

  it('starts from valid defaults, and describes a foreign SAE with its own settings', () => {
    const variant = saeVariant(kind);
    expect(variant.defaults.kind).toBe(kind);
    expect(configProblems(tinyConfig({ d_sae: 256, activation: variant.defaults }))).toEqual([]);
    const described = variant.fromArchitecture(saeArchitecture(a), tinyConfig().activation);
    expect(described.kind).toBe(kind);
    expect(saeArchitecture(described)).toEqual(saeArchitecture(a));
  });
});

describe('the variant registry', () => {
  it('has one entry per kind, each with a distinct SAELens architecture string', () => {
    expect([...VARIANT_KINDS].sort()).toEqual(Object.keys(REFERENCE).sort());
    const names = VARIANT_KINDS.map((kind) => SAE_VARIANTS[kind].saelens.architecture);
    expect(new Set(names).size).toBe(names.length);
  });
});
