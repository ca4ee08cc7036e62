import { afterAll, describe, expect, it } from 'vitest';
import { DeviceSae } from '../../../../src/core/analysis';
import { tokenActivations, tokenFeatureActivations } from '../../../../src/core/analysis/lm';
import { residPost, residPre } from '../../../../src/core/model';
import type { Activation } from '../../../../src/core/train/config';
import { TINY_SIZES } from '../../../helpers/tiny-neox';
import { referenceForward } from '../../model/reference-neox';
import { referenceEncode } from '../helpers';
import { expectNoLeak, randomSaeWeights, tinyModel } from './helpers';

const D = TINY_SIZES.hidden;
const TOKENS = [5, 17, 17, 40, 2, 33, 9, 48, 21];
const { neox, model } = tinyModel({ seed: 4 });
const weights = randomSaeWeights(D, 24, 8, 0.2);
afterAll(() => model.dispose());

describe('tokenActivations', () => {
  it.each([
    ['TopK', { kind: 'topk', k: 3, auxkCoeff: 0, kAux: 1 } as Activation, residPost(0)],
    ['ReLU', { kind: 'relu', l1Coeff: 0 } as Activation, residPre(1)],
  ] as const)('equals a float64 forward pass and plain encode (%s SAE at %s)', async (_, activation, hook) => {
    const reference = referenceForward(neox.config, neox.tensors, TOKENS);
    const layer = Number(hook.split('.')[1]);
    const stream = hook.endsWith('pre') ? reference.residPre[layer] : reference.residPost[layer];
    const expected = stream.map((x) => referenceEncode(weights, x, activation));
    const sae = new DeviceSae(weights, activation);
    try {
      for (const feature of [0, 7, 23]) {
        const values = await tokenActivations(model, sae, hook, TOKENS, feature);
        expect(values).toHaveLength(TOKENS.length);
        values.forEach((v, position) => expect(v).toBeCloseTo(expected[position][feature], 4));
      }
      const several = await tokenFeatureActivations(model, sae, hook, TOKENS, [23, 0]);
      expect(several[0]).toEqual(await tokenActivations(model, sae, hook, TOKENS, 23));
      expect(several[1]).toEqual(await tokenActivations(model, sae, hook, TOKENS, 0));
      // The fixture is only a check if the feature fires somewhere and not everywhere.
      const firing = expected.flatMap((row) => [...row]).filter((v) => v > 0).length;
      expect(firing).toBeGreaterThan(0);
      expect(firing).toBeLessThan(expected.length * weights.d_sae);
    } finally {
      sae.dispose();
    }
  });

  it('rejects a feature out of range and an SAE of another width', async () => {
    const sae = new DeviceSae(weights, { kind: 'relu', l1Coeff: 0 });
    const narrow = new DeviceSae(randomSaeWeights(16, 4, 1), { kind: 'relu', l1Coeff: 0 });
    await expect(tokenActivations(model, sae, residPost(0), TOKENS, 24)).rejects.toThrow(/feature 24 is not a feature index/);
    await expect(tokenActivations(model, narrow, residPost(0), TOKENS, 0)).rejects.toThrow(/d_in 16.*d_model 32/);
    sae.dispose();
    narrow.dispose();
  });

  it('leaves no tensor behind', async () => {
    const sae = new DeviceSae(weights, { kind: 'topk', k: 3, auxkCoeff: 0, kAux: 1 });
    await expectNoLeak(() => tokenActivations(model, sae, residPost(1), TOKENS, 3));
    sae.dispose();
  });
});
