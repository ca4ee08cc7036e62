import { afterAll, describe, expect, it } from 'vitest';
import { steerPrompt } from '../../../../src/core/analysis/lm';
import { generate, residPost } from '../../../../src/core/model';
import { Rng } from '../../../../src/core/rng';
import { TINY_SIZES } from '../../../helpers/tiny-neox';
import { referenceForward } from '../../model/reference-neox';
import { expectNoLeak, tinyModel } from './helpers';

const D = TINY_SIZES.hidden;
const PROMPT = [12, 40, 3, 27, 8];
const HOOK = residPost(0);
const { neox, model } = tinyModel({ seed: 6 });
afterAll(() => model.dispose());

const raw = new Rng(2).fillNormal(new Float32Array(D), 1);
const norm = Math.hypot(...raw);
const direction = raw.map((v) => v / norm);
const SAMPLING = { maxNewTokens: 12, temperature: 0.7, topP: 0.9, seed: 3 };

/** softmax in float64, written out here. */
function probabilities(logits: Float64Array): Float64Array {
  const max = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

describe('steerPrompt', () => {
  it('gives identical continuations and no next-token change at alpha 0', async () => {
    const result = await steerPrompt(model, { prompt: PROMPT, hook: HOOK, direction, alpha: 0, ...SAMPLING });
    expect(result.steered).toEqual(result.unsteered);
    expect(result.unsteered).toHaveLength(12);
    expect(result.nextToken).toEqual([]);
  });

  it('is reproducible for a seed, and its runs equal generate with and without the hook', async () => {
    const alpha = 8;
    const first = await steerPrompt(model, { prompt: PROMPT, hook: HOOK, direction, alpha, ...SAMPLING });
    expect(await steerPrompt(model, { prompt: PROMPT, hook: HOOK, direction, alpha, ...SAMPLING })).toEqual(first);
    const vector = direction.map((v) => alpha * v);
    const { seed, ...rest } = SAMPLING;
    expect(first.unsteered).toEqual((await generate(model, PROMPT, { ...rest, seed })).tokens);
    expect(first.steered).toEqual((await generate(model, PROMPT, { ...rest, seed, hooks: [{ hook: HOOK, vector, at: 'generated' }] })).tokens);
    // Steering on generated tokens only: the first new token comes from the unsteered last prompt position.
    expect(first.steered[0]).toBe(first.unsteered[0]);
    expect(first.steered).not.toEqual(first.unsteered); // the fixture steers strongly enough to show
  });

  it('lists the largest next-token rises and falls, equal to an independent softmax of two forward passes', async () => {
    const alpha = 4;
    const count = 3;
    const { nextToken } = await steerPrompt(model, { prompt: PROMPT, hook: HOOK, direction, alpha, ...SAMPLING, nextTokens: count });
    const lastRow = (additions: Parameters<typeof referenceForward>[3]) => {
      const { logits } = referenceForward(neox.config, neox.tensors, PROMPT, additions);
      return probabilities(logits[PROMPT.length - 1]);
    };
    const before = lastRow([]);
    const after = lastRow([{ hook: HOOK, vector: direction.map((v) => alpha * v), positions: [PROMPT.length - 1] }]);
    const tokens = Array.from({ length: before.length }, (_, t) => t);
    const change = (t: number) => after[t] - before[t];
    const rises = [...tokens].sort((a, b) => change(b) - change(a)).slice(0, count);
    const falls = [...tokens].sort((a, b) => change(a) - change(b)).slice(0, count);
    expect(nextToken.map((e) => e.token)).toEqual([...rises, ...falls]);
    for (const { token, before: p, after: q } of nextToken) {
      expect(p).toBeCloseTo(before[token], 5);
      expect(q).toBeCloseTo(after[token], 5);
    }
  });

  it('rejects an empty prompt and a direction of the wrong length', async () => {
    await expect(steerPrompt(model, { prompt: [], hook: HOOK, direction })).rejects.toThrow(/prompt must hold at least one token/);
    await expect(steerPrompt(model, { prompt: PROMPT, hook: HOOK, direction: [1, 2] })).rejects.toThrow(/direction has 2 values/);
    await expect(steerPrompt(model, { prompt: PROMPT, hook: HOOK, direction, alpha: NaN })).rejects.toThrow(/alpha NaN/);
  });

  it('leaves no tensor behind', async () => {
    await expectNoLeak(() => steerPrompt(model, { prompt: PROMPT, hook: HOOK, direction, ...SAMPLING, maxNewTokens: 4 }));
  });
});
