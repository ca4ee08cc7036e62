import { describe, expect, it } from 'vitest';
import { mnistPaperConfig, pythiaPaperConfig } from '../../../src/core/presets';
import { configProblems, editDistance, parseTrainConfig } from '../../../src/core/train/schema';

const messages = (value: unknown) => configProblems(value).map((p) => p.message);

describe('trainConfigSchema', () => {
  it('accepts the presets', () => {
    expect(configProblems(mnistPaperConfig())).toEqual([]);
    expect(configProblems(pythiaPaperConfig())).toEqual([]);
  });

  it('refuses a misspelt key by name, with the nearest valid key', () => {
    const config = { ...mnistPaperConfig(), penalty: { kind: 'l2', coef: 0.001, coeff: 0, on: 'both' } };
    expect(messages(config)).toEqual(['penalty.coef is not a setting (did you mean penalty.coeff?)']);
  });

  it('refuses unknown keys at the top and inside the activation, whose keys depend on its kind', () => {
    const config = { ...pythiaPaperConfig(), widht: 8, activation: { ...pythiaPaperConfig().activation, kaux: 3 } };
    expect(messages(config)).toEqual(['activation.kaux is not a setting (did you mean activation.kAux?)', 'widht is not a setting']);
  });

  it('names the range of a value out of range, and the path when a file is read', () => {
    const config = mnistPaperConfig({ optim: { beta1: 1.5 } });
    expect(messages(config)).toEqual(['Adam beta1 must be in [0, 1) (got 1.5)']);
    expect(() => parseTrainConfig(config, 'run.json')).toThrow('run.json: optim.beta1: Adam beta1 must be in [0, 1) (got 1.5)');
    expect(messages({ ...mnistPaperConfig(), penalty: { kind: 'l3', coeff: 0, on: 'both' } })).toEqual(["weight penalty must be none, l1, l2 or l2-unsquared (got 'l3')"]);
    expect(messages({ ...mnistPaperConfig(), activation: { kind: 'gelu' } })).toEqual(["activation must be relu or topk (got 'gelu')"]);
  });

  it('names a missing field and checks rules across fields', () => {
    const noSeed: Partial<ReturnType<typeof mnistPaperConfig>> = mnistPaperConfig();
    delete noSeed.seed;
    expect(messages(noSeed)).toEqual(['seed is missing (it must be a whole number ≥ 0)']);
    expect(messages(pythiaPaperConfig({ d_sae: 16, activation: { k: 40 } }))).toEqual(['k = 40 is larger than the width d_sae = 16']);
  });

  it('measures edit distance', () => {
    expect(editDistance('coef', 'coeff')).toBe(1);
    expect(editDistance('kaux', 'kAux')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
