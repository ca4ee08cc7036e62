import { afterAll, describe, expect, it } from 'vitest';
import { logitLens } from '../../../../src/core/analysis/lm';
import { Rng } from '../../../../src/core/rng';
import { TINY_SIZES, type HfTensor } from '../../../helpers/tiny-neox';
import { expectNoLeak, tinyModel } from './helpers';

const D = TINY_SIZES.hidden;
const V = TINY_SIZES.vocab;
const { neox, model } = tinyModel({ seed: 4 });
afterAll(() => model.dispose());

/** W_U·d from the HF tensor [vocab, d_model], in float64. */
function referenceLens(unembed: HfTensor, direction: Float32Array): Float64Array {
  return Float64Array.from({ length: V }, (_, t) => {
    let sum = 0;
    for (let i = 0; i < D; i++) sum += unembed.data[t * D + i] * direction[i];
    return sum;
  });
}

describe('logitLens', () => {
  const direction = new Rng(11).fillNormal(new Float32Array(D), 1);

  function expectLens(lens: Awaited<ReturnType<typeof logitLens>>, expected: Float64Array, topN: number) {
    const order = Array.from({ length: V }, (_, t) => t).sort((a, b) => expected[b] - expected[a]);
    expect(lens.promoted.map((e) => e.token)).toEqual(order.slice(0, topN));
    expect(lens.suppressed.map((e) => e.token)).toEqual(order.slice(-topN).reverse());
    for (const { token, logit } of [...lens.promoted, ...lens.suppressed]) expect(logit).toBeCloseTo(expected[token], 4);
  }

  it("ranks tokens by the unembedding times the direction (the model's embed_out.weight)", async () => {
    expectLens(await logitLens(model, direction, 6), referenceLens(neox.tensors['embed_out.weight'], direction), 6);
  });

  it('uses the input embedding when the model ties them', async () => {
    const tied = tinyModel({ seed: 4, tied: true });
    expect(tied.neox.tensors['embed_out.weight']).toBeUndefined();
    expectLens(await logitLens(tied.model, direction, 4), referenceLens(tied.neox.tensors['gpt_neox.embed_in.weight'], direction), 4);
    tied.model.dispose();
  });

  it('rejects a direction of the wrong length and leaves no tensor behind', async () => {
    await expect(logitLens(model, new Float32Array(D + 1), 3)).rejects.toThrow(/direction has 33 values, the model's d_model is 32/);
    await expectNoLeak(() => logitLens(model, direction, 3));
  });
});
