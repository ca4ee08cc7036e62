import { describe, expect, test } from 'vitest';
import { UNCONSTRAINED } from '../../src/core/presets';
import { trainConfigProblems } from '../../src/core/train/validate';
import { allPresets } from '../../src/core/experiment-presets';
import { defaultExperiment, LAB_PRESETS, matchingPreset, presetById, presetsFor, sameJson } from '../../src/ui/store/presets';

describe('lab presets', () => {
  test.each(LAB_PRESETS.map((p) => [p.id, p] as const))('%s compares L2 off with L2 on and keeps everything else equal', (_, preset) => {
    const { compare, configs, seedCount } = preset.experiment();
    expect(compare).toBe(true);
    expect(seedCount).toBe(3);
    for (const config of configs) expect(trainConfigProblems(config)).toEqual([]);
    expect(configs[0].penalty.kind).toBe('none');
    expect(configs[1].penalty.coeff).toBeGreaterThan(0);
    expect({ ...configs[0], penalty: null }).toEqual({ ...configs[1], penalty: null });
  });

  test("the paper's constrained runs use unsquared L2 1e-5 with tied init and a unit-norm decoder", () => {
    const [, b] = presetById('mnist-paper-constrained').experiment().configs;
    expect(b.penalty).toEqual({ kind: 'l2-unsquared', coeff: 1e-5, on: 'both' });
    // The paper's MNIST code renormalises the decoder but keeps the gradient's parallel component.
    expect(b.init).toMatchObject({ tied: true, unitNormDecoder: true, removeParallelGrad: false, bDecInit: 'geometric-median' });
    expect(b).toMatchObject({ d_sae: 1568, batchSize: 512, length: { unit: 'epochs', value: 100 } });
  });

  test("the paper's unconstrained runs use squared L2 1e-5, independent init and no biases", () => {
    const [, b] = presetById('mnist-paper-unconstrained').experiment().configs;
    expect(b.penalty).toEqual({ kind: 'l2', coeff: 1e-5, on: 'both' });
    expect(b.init).toEqual(UNCONSTRAINED);
  });

  test('the teaching demo is small, constrained, and uses a stronger penalty than the paper, and says so', () => {
    const preset = presetById('mnist-demo');
    const [, b] = preset.experiment().configs;
    expect(b.d_sae).toBeLessThanOrEqual(128);
    expect(b.init).toMatchObject({ tied: true, unitNormDecoder: true, removeParallelGrad: false });
    expect(b.penalty).toEqual({ kind: 'l2-unsquared', coeff: 1e-3, on: 'both' });
    expect(preset.note).toMatch(/1e-5/);
    expect(preset.note).toMatch(/100 epochs/);
  });

  test("the Pythia presets neither renormalise the decoder nor remove parallel gradients, as the paper's TopK trainer", () => {
    for (const preset of presetsFor('lm')) for (const c of preset.experiment().configs) expect(c.init).toMatchObject({ unitNormDecoder: false, removeParallelGrad: false });
  });

  test('a first visit gets the teaching demo, on the best backend, starting by itself', () => {
    const experiment = defaultExperiment();
    expect(matchingPreset(experiment)?.id).toBe('mnist-demo');
    expect(experiment).toMatchObject({ backend: 'auto', trainLimit: null, autostart: true });
  });

  test("the page offers every two-configuration preset of the shared table as A and B, and not the runner's grid", () => {
    const pairs = allPresets().filter((p) => p.entries.length === 2);
    expect(LAB_PRESETS.map((p) => p.id)).toEqual(pairs.map((p) => p.id));
    expect(LAB_PRESETS.map((p) => p.id)).not.toContain('mnist-paper');
    expect(() => presetById('mnist-paper')).toThrow(/unknown preset/);
    for (const core of pairs) {
      const page = presetById(core.id);
      expect(page.experiment()).toEqual({ compare: true, seedCount: core.seeds.length, configs: [core.entries[0].config, core.entries[1].config] });
      expect([page.dataset, page.title, page.note]).toEqual([core.data, core.title, core.note]);
    }
    expect(presetsFor('mnist').map((p) => p.id)).toEqual(['mnist-demo', 'mnist-quick', 'mnist-paper-constrained', 'mnist-paper-unconstrained']);
    expect(presetsFor('lm').map((p) => p.id)).toEqual(['lm-gloss', 'lm-sample', 'lm-pythia-laptop', 'lm-pythia-paper']);
  });

  test('an edited experiment matches no preset', () => {
    const experiment = defaultExperiment();
    const [a, b] = experiment.configs;
    expect(matchingPreset({ ...experiment, configs: [a, { ...b, d_sae: 7 }] })).toBeNull();
    expect(matchingPreset({ ...experiment, seedCount: 2 })).toBeNull();
  });

  test('sameJson ignores key order and compares deeply', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
  });
});
