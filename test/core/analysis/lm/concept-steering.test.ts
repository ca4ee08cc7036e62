import { describe, expect, it } from 'vitest';
import { DeviceSae, wilsonInterval } from '../../../../src/core/analysis';
import { conceptFeatures, conceptSteeringSuccess, type ConceptFeature } from '../../../../src/core/analysis/lm/concept-steering';
import type { FeatureTopLabels } from '../../../../src/core/analysis/lm';
import { Rng } from '../../../../src/core/rng';
import { HOOK, model, PROMPTS, RELU, TARGET, V, weights } from './planted-steering';

/** A toy judge with a known rule: a token's class is its id mod 5; a text's class, the most common among its tokens (ties: the lowest). */
const CLASSES = 5;
const judge = (tokens: readonly number[]) => {
  const counts = new Array<number>(CLASSES).fill(0);
  for (const t of tokens) counts[t % CLASSES]++;
  return counts.indexOf(Math.max(...counts));
};
const SAMPLING = { maxNewTokens: 20, temperature: 0.7, topP: 0.9, seed: 5 };

async function steer(alpha: number, features: ConceptFeature[]) {
  const sae = new DeviceSae(weights, RELU);
  try {
    return await conceptSteeringSuccess(model, sae, { hook: HOOK, features, prompts: PROMPTS, alpha, classify: judge, ...SAMPLING });
  } finally {
    sae.dispose();
  }
}

describe('concept-grounded steering success', () => {
  it("succeeds for a feature planted to write a token of its concept, and each verdict follows the judge's rule", async () => {
    const concept = TARGET % CLASSES;
    const other = (concept + 1) % CLASSES;
    // Feature 0 writes TARGET; feature 2 is random and is given a concept it has no reason to reach.
    const result = await steer(200, [
      { feature: 0, concept, purity: 1 },
      { feature: 2, concept: other, purity: 1 },
    ]);
    expect(result.trials).toBe(2 * PROMPTS.length);
    for (const trial of result.perTrial) {
      expect(trial.steeredClass).toBe(judge(trial.steered));
      expect(trial.cleanClass).toBe(judge(trial.clean));
      expect(trial.success).toBe(trial.steeredClass === trial.concept && trial.cleanClass !== trial.concept);
    }
    const planted = result.perTrial.filter((t) => t.feature === 0);
    // Steering writes TARGET over and over: the steered text is in its concept wherever the clean one is not.
    for (const trial of planted) expect(trial.steeredClass).toBe(concept);
    expect(planted.filter((t) => t.success).length).toBe(planted.filter((t) => t.cleanClass !== concept).length);
    expect(planted.some((t) => t.success)).toBe(true);
    const successes = result.perTrial.filter((t) => t.success).length;
    expect(result).toMatchObject({ successes, rate: successes / result.trials, ci95: wilsonInterval(successes, result.trials), features: 2, alpha: 200 });
  });

  it('never succeeds at α = 0: the steered continuation is the clean one', async () => {
    // The planted feature with every concept, its own among them: none can succeed.
    const features = Array.from({ length: CLASSES }, (_, concept) => ({ feature: 0, concept, purity: 1 }));
    const result = await steer(0, features);
    expect(result.successes).toBe(0);
    for (const trial of result.perTrial) expect(trial.steered).toEqual(trial.clean);
  });

  it('chooses features whose top contexts mostly share a label the judge knows, with a seed', () => {
    const rng = new Rng(4);
    const n = 300;
    const labels: FeatureTopLabels = {
      label: Int32Array.from({ length: n }, () => Math.floor(rng.next() * 8) - 1),
      count: new Int32Array(n),
      total: Int32Array.from({ length: n }, () => Math.floor(rng.next() * 21)),
      sampleRows: 1000,
    };
    labels.count.forEach((_, i) => (labels.count[i] = Math.floor(rng.next() * (labels.total[i] + 1))));
    const known = (label: number) => (label === 6 ? null : label + 10);
    // Brute force: every feature that qualifies.
    const qualifying = new Set<number>();
    for (let i = 0; i < n; i++) if (labels.label[i] >= 0 && labels.label[i] !== 6 && labels.total[i] >= 10 && labels.count[i] >= 0.5 * labels.total[i]) qualifying.add(i);
    const all = conceptFeatures(labels, known, { count: n, minPurity: 0.5, minContexts: 10 });
    expect(new Set(all.map((f) => f.feature))).toEqual(qualifying);
    for (const f of all) expect(f).toEqual({ feature: f.feature, concept: labels.label[f.feature] + 10, purity: labels.count[f.feature] / labels.total[f.feature] });
    const some = conceptFeatures(labels, known, { count: 7, minPurity: 0.5, minContexts: 10, seed: 3 });
    expect(some).toHaveLength(7);
    expect(conceptFeatures(labels, known, { count: 7, minPurity: 0.5, minContexts: 10, seed: 3 })).toEqual(some);
    expect(conceptFeatures(labels, known, { count: 7, minPurity: 0.5, minContexts: 10, seed: 4 })).not.toEqual(some);
    expect(V).toBeGreaterThan(CLASSES);
  });
});
