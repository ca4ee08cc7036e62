import { describe, expect, it } from 'vitest';
import { DeviceSae, wilsonInterval } from '../../../../src/core/analysis';
import { lmSteeringSuccess, sampleLiveFeatures, type LmSteeringSuccess } from '../../../../src/core/analysis/lm';
import { generate } from '../../../../src/core/model';
import { referenceForward } from '../../model/reference-neox';
import { referenceEncode } from '../helpers';
import { expectNoLeak } from './helpers';
import { D, HOOK, model, neox, PROMPTS, RELU, TARGET, weights } from './planted-steering';

const SAMPLING = { maxNewTokens: 20, temperature: 0.7, topP: 0.9, seed: 5 };

async function run(alpha: number, features = [0, 1, 2]): Promise<LmSteeringSuccess> {
  const sae = new DeviceSae(weights, RELU);
  try {
    return await lmSteeringSuccess(model, sae, { hook: HOOK, features, prompts: PROMPTS, alpha, ...SAMPLING });
  } finally {
    sae.dispose();
  }
}

/** Firings on generated positions, recounted with a float64 forward pass and plain encode. */
function recount(prompt: number[], continuation: number[], feature: number): number {
  const tokens = [...prompt, ...continuation];
  const stream = referenceForward(neox.config, neox.tensors, tokens).residPre[0];
  return stream.slice(prompt.length).filter((x) => referenceEncode(weights, x, RELU)[feature] > 0).length;
}

describe('lmSteeringSuccess', () => {
  it('succeeds for a feature planted to be written by its own direction, with counts equal to a recount', async () => {
    expect(TARGET).toBeDefined();
    const result = await run(200);
    expect(result.trials).toBe(9);
    expect(result.features).toBe(3);
    const planted = result.perTrial.filter((trial) => trial.feature === 0);
    expect(planted).toHaveLength(3);
    for (const trial of planted) {
      expect(trial.success).toBe(true);
      expect(trial.steeredFirings - trial.unsteeredFirings).toBeGreaterThanOrEqual(result.minExtraFirings);
    }
    for (const trial of result.perTrial) {
      const prompt = PROMPTS[trial.prompt];
      expect(trial.steeredFirings).toBe(recount(prompt, trial.steered, trial.feature));
      expect(trial.unsteeredFirings).toBe(recount(prompt, trial.unsteered, trial.feature));
      expect(trial.success).toBe(trial.steeredFirings - trial.unsteeredFirings >= 5);
    }
    // The continuations are the model's own, steered on generated tokens only.
    const trial = result.perTrial[1];
    const { seed, ...rest } = SAMPLING;
    expect(trial.unsteered).toEqual((await generate(model, PROMPTS[1], { ...rest, seed })).tokens);
    const vector = Float32Array.from(weights.W_dec.subarray(0, D), (v) => 200 * v);
    expect(trial.steered).toEqual((await generate(model, PROMPTS[1], { ...rest, seed, hooks: [{ hook: HOOK, vector, at: 'generated' }] })).tokens);
    const successes = result.perTrial.filter((t) => t.success).length;
    expect(result).toMatchObject({ successes, rate: successes / 9, ci95: wilsonInterval(successes, 9), alpha: 200 });
  });

  it('never succeeds at alpha 0', async () => {
    const result = await run(0);
    expect(result.successes).toBe(0);
    for (const trial of result.perTrial) {
      expect(trial.steered).toEqual(trial.unsteered);
      expect(trial.steeredFirings).toBe(trial.unsteeredFirings);
    }
  });

  it('reports progress and stops when aborted', async () => {
    const sae = new DeviceSae(weights, RELU);
    const seen: [number, number][] = [];
    await lmSteeringSuccess(model, sae, { hook: HOOK, features: [0, 2], prompts: PROMPTS.slice(0, 2), ...SAMPLING, maxNewTokens: 3, onProgress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    const controller = new AbortController();
    let calls = 0;
    const aborted = lmSteeringSuccess(model, sae, { hook: HOOK, features: [0, 1], prompts: PROMPTS, ...SAMPLING, signal: controller.signal, onProgress: () => {
        calls++;
        controller.abort();
      },
    });
    await expect(aborted).rejects.toThrow(/abort/i);
    expect(calls).toBe(1); // stopped before the second trial
    sae.dispose();
  });

  it('rejects bad features, margins and prompts too long for the model', async () => {
    const sae = new DeviceSae(weights, RELU);
    const options = { hook: HOOK, features: [0], prompts: PROMPTS };
    await expect(lmSteeringSuccess(model, sae, { ...options, features: [3] })).rejects.toThrow(/feature 3 is not a feature index/);
    await expect(lmSteeringSuccess(model, sae, { ...options, minExtraFirings: 0 })).rejects.toThrow(/minExtraFirings 0 must be an integer ≥ 1/);
    await expect(lmSteeringSuccess(model, sae, { ...options, prompts: [new Array(40).fill(3)] })).rejects.toThrow(/prompt 0 has 40 tokens.*max_position_embeddings 64/);
    await expect(lmSteeringSuccess(model, sae, { ...options, prompts: [[]] })).rejects.toThrow(/prompt 0 is empty/);
    sae.dispose();
  });

  it('leaves no tensor behind', async () => {
    const sae = new DeviceSae(weights, RELU);
    await expectNoLeak(() => lmSteeringSuccess(model, sae, { hook: HOOK, features: [0, 1], prompts: PROMPTS.slice(0, 1), ...SAMPLING, maxNewTokens: 4 }));
    sae.dispose();
  });
});

describe('sampleLiveFeatures', () => {
  const frequency = Float32Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 0 : 0.01 * i));

  it('draws distinct live features, reproducibly for a seed', () => {
    const drawn = sampleLiveFeatures(frequency, 10, 4);
    expect(drawn).toHaveLength(10);
    expect(new Set(drawn).size).toBe(10);
    for (const feature of drawn) expect(frequency[feature]).toBeGreaterThan(0);
    expect(sampleLiveFeatures(frequency, 10, 4)).toEqual(drawn);
    expect(sampleLiveFeatures(frequency, 10, 5)).not.toEqual(drawn);
  });

  it('returns every live feature when asked for more than there are', () => {
    const live = Array.from({ length: 40 }, (_, i) => i).filter((i) => frequency[i] > 0);
    expect([...sampleLiveFeatures(frequency, 100, 0)].sort((a, b) => a - b)).toEqual(live);
    expect(() => sampleLiveFeatures(frequency, -1, 0)).toThrow(/count -1/);
  });
});
