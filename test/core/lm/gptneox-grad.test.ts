/**
 * The backward pass of the full GPT-NeoX language-model loss (the lab's inference forward on tf.Variables,
 * tfjs gradients, the custom embedding and cross-entropy gradients) against central finite differences of an
 * independent float64 forward (test/core/model/reference-neox.ts) and a float64 cross-entropy written here.
 */
import { describe, expect, it } from 'vitest';
import { nextTokenLoss } from '../../../src/core/lm/lm-loss';
import { GptNeox } from '../../../src/core/model/gptneox';
import { scatterRows } from '../../../src/core/model/layers';
import { assignParams, gptNeoxConfigJson, initTrainableWeights, namedParams, trainingConfig } from '../../../src/core/model/trainable-weights';
import { disposeGptNeoxWeights } from '../../../src/core/model/weights';
import { Rng } from '../../../src/core/rng';
import { tf } from '../../../src/core/tf';
import type { HfTensor } from '../../helpers/tiny-neox';
import { referenceForward } from '../model/reference-neox';

const CONFIG = trainingConfig({ layers: 2, dModel: 16, heads: 2, context: 8, vocabSize: 11 });
const SEQUENCES = [
  [3, 7, 0, 10, 4, 4],
  [9, 1, 5, 2, 8, 6],
];

/** float64 mean over all positions of −log softmax(logits)[next token]. */
function referenceLoss(tensors: Record<string, HfTensor>): number {
  const json = gptNeoxConfigJson(CONFIG);
  let total = 0;
  let count = 0;
  for (const row of SEQUENCES) {
    const { logits } = referenceForward(json, tensors, row.slice(0, -1));
    logits.forEach((z, position) => {
      const max = Math.max(...z);
      const logSum = max + Math.log(z.reduce((acc, value) => acc + Math.exp(value - max), 0));
      total += logSum - z[row[position + 1]];
      count += 1;
    });
  }
  return total / count;
}

describe('GPT-NeoX language-model gradients', () => {
  it('match central finite differences of a float64 reference for every kind of parameter', async () => {
    const weights = initTrainableWeights(CONFIG, 5);
    const params = namedParams(weights);
    // A generic point: random values everywhere (LayerNorms away from 1 and 0, biases non-zero).
    const rng = new Rng(11);
    const values = params.map((p) => {
      const data = rng.fillNormal(new Float32Array(p.tensor.size), p.name.includes('layernorm') ? 0.3 : 0.4);
      if (p.name.endsWith('layernorm.weight') || p.name.endsWith('final_layer_norm.weight')) for (let i = 0; i < data.length; i++) data[i] += 1;
      return data;
    });
    assignParams(weights, values);
    const model = new GptNeox(CONFIG, weights);

    const variables = params.map((p) => p.tensor as tf.Variable);
    const inputs = SEQUENCES.map((row) => row.slice(0, -1));
    const targets = tf.tensor2d(SEQUENCES.map((row) => row.slice(1)), undefined, 'int32');
    const { value, grads } = tf.variableGrads(() => nextTokenLoss(model.forward(inputs).logits!, targets), variables);
    const lossValue = (await value.data())[0];
    const gradValues = await Promise.all(variables.map(async (v) => (await grads[v.name].data()) as Float32Array));
    tf.dispose([value, targets, ...Object.values(grads)]);

    // HF layout for the reference: linear weights [in, out] here → [out, in] there.
    const hf: Record<string, HfTensor> = {};
    const hfIndex = (p: (typeof params)[number], i: number) => {
      if (p.layout !== 'linear') return i;
      const [, outputs] = p.tensor.shape;
      const [row, col] = [Math.floor(i / outputs), i % outputs];
      return col * p.tensor.shape[0] + row;
    };
    params.forEach((p, k) => {
      const data = new Float32Array(values[k].length);
      values[k].forEach((x, i) => (data[hfIndex(p, i)] = x));
      hf[p.name] = { shape: [], data };
    });
    expect(lossValue).toBeCloseTo(referenceLoss(hf), 4);

    const kinds = new Set<string>();
    const sample = new Rng(3);
    params.forEach((p, k) => {
      const picks = Array.from({ length: 4 }, () => Math.floor(sample.next() * p.tensor.size));
      const analytic: number[] = [];
      const numeric: number[] = [];
      for (const i of picks) {
        const data = hf[p.name].data;
        const j = hfIndex(p, i);
        const original = data[j];
        data[j] = original + 1e-3;
        const plus = referenceLoss(hf);
        const up = data[j];
        data[j] = original - 1e-3;
        const minus = referenceLoss(hf);
        const down = data[j];
        data[j] = original;
        numeric.push((plus - minus) / (up - down));
        analytic.push(gradValues[k][i]);
      }
      const scale = Math.max(...numeric.map(Math.abs));
      const error = Math.max(...numeric.map((n, t) => Math.abs(n - analytic[t])));
      expect(scale, p.name).toBeGreaterThan(1e-6);
      expect(error / scale, `${p.name}: analytic ${analytic} vs numeric ${numeric}`).toBeLessThan(2e-3);
      kinds.add(p.name.replace(/layers\.\d+\./, 'layers.N.'));
    });
    expect(kinds.size).toBe(16); // embed_in, 12 per layer, final LN weight and bias, embed_out
    disposeGptNeoxWeights(weights);
  });

  it('sums embedding rows alike with and without the UnsortedSegmentSum kernel (the wasm path)', async () => {
    const dy = tf.tensor3d(new Rng(1).fillNormal(new Float32Array(2 * 3 * 4)), [2, 3, 4]);
    const ids = tf.tensor2d([[1, 0, 1], [4, 1, 0]], [2, 3], 'int32');
    const viaKernel = await scatterRows(dy, ids, 5, 4, true).data();
    const viaCpu = await scatterRows(dy, ids, 5, 4, false).data();
    const d = await dy.data();
    const expected = new Float64Array(20);
    [1, 0, 1, 4, 1, 0].forEach((id, position) => {
      for (let c = 0; c < 4; c++) expected[id * 4 + c] += d[position * 4 + c];
    });
    for (let i = 0; i < 20; i++) {
      expect(viaCpu[i]).toBeCloseTo(expected[i], 5);
      expect(viaKernel[i]).toBeCloseTo(expected[i], 5);
    }
    expect(expected.slice(8, 16).every((x) => x === 0)).toBe(true); // ids 2 and 3 never occur
  });
});
