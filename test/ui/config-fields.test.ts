import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { trainConfigSchema } from '../../src/core/train/schema';
import { CONFIG_FIELDS, configField, fieldPaths, NOT_IN_URL } from '../../src/ui/store/config-fields';
import { defaultUrlState, parseUrlState, serializeUrlState } from '../../src/ui/store/url-state';

/** Every leaf path of the TrainConfig schema, through both activation kinds. */
function schemaLeaves(schema: unknown, at = ''): string[] {
  if (schema instanceof z.ZodObject) return Object.entries(schema.shape).flatMap(([key, child]) => schemaLeaves(child, at ? `${at}.${key}` : key));
  if (schema instanceof z.ZodDiscriminatedUnion) return [...new Set((schema.options as z.ZodObject[]).flatMap((o) => schemaLeaves(o, at)))];
  return [at];
}

describe('configuration fields', () => {
  test('every setting of a TrainConfig but d_in and seed has a field, keyed by its path; no field names a setting that is not one', () => {
    const leaves = schemaLeaves(trainConfigSchema);
    expect(leaves).toContain('optim.beta1');
    expect(leaves).toContain('activation.kAux');
    const covered = new Set(CONFIG_FIELDS.flatMap(fieldPaths));
    expect(leaves.filter((leaf) => !covered.has(leaf) && !(NOT_IN_URL as readonly string[]).includes(leaf))).toEqual([]);
    expect([...covered].filter((path) => !leaves.includes(path))).toEqual([]);
  });

  test('the former short keys find the same fields as the paths', () => {
    expect(configField('width')).toBe(configField('d_sae'));
    expect(configField('pc')).toBe(configField('penalty.coeff'));
    expect(configField('every')).toBe(configField('metricsEvery'));
    expect(() => configField('beta1')).toThrow(/no configuration field 'beta1'/);
  });
});

describe('the settings added to the URL', () => {
  test("Adam's settings, clipping, the schedule and the dead threshold are read from a link and written back", () => {
    const query = 'optim.beta1=0.8&optim.beta2=0.99,0.95&optim.eps=0.000001&optim.clipGradNorm=2&optim.warmupSteps=10&optim.decayStartFrac=0.5&deadAfterTokens=5000';
    const { state, notes } = parseUrlState(query);
    expect(notes).toEqual([]);
    const [a, b] = state.experiment.configs;
    expect(a.optim).toEqual({ ...defaultUrlState().experiment.configs[0].optim, beta1: 0.8, beta2: 0.99, eps: 1e-6, clipGradNorm: 2, warmupSteps: 10, decayStartFrac: 0.5 });
    expect(b.optim.beta2).toBe(0.95);
    expect([a.deadAfterTokens, b.deadAfterTokens]).toEqual([5000, 5000]);
    expect(serializeUrlState(state)).toBe(query);
  });

  test("TopK's AuxK settings are read after the activation kind, and written only where TopK is", () => {
    const { state, notes } = parseUrlState('activation.kAux=32&activation.auxkCoeff=0.1&activation.kind=relu,topk');
    expect(notes).toEqual([]);
    const [a, b] = state.experiment.configs;
    expect(a.activation).toEqual({ kind: 'relu', l1Coeff: 0.1 });
    expect(b.activation).toEqual({ kind: 'topk', k: 16, auxkCoeff: 0.1, kAux: 32 });
    const query = serializeUrlState(state);
    expect(query).toBe('activation.kind=relu,topk&activation.l1Coeff=0.1,&activation.k=,16&activation.auxkCoeff=,0.1&activation.kAux=,32');
    expect(parseUrlState(query).state).toEqual(state);
  });

  test('an old link with short keys opens the same experiment as the paths, and is written with the paths', () => {
    const old = 'width=32&pen=l1&pc=0.002&pon=encoder&tied=0&unit=0&bdec=mean&bias=0&act=topk&k=8&lr=0.01&batch=64&steps=50&every=5';
    const long =
      'd_sae=32&penalty.kind=l1&penalty.coeff=0.002&penalty.on=encoder&init.tied=0&init.unitNormDecoder=0&init.bDecInit=mean&init.biases=0' +
      '&activation.kind=topk&activation.k=8&optim.lr=0.01&batchSize=64&steps=50&metricsEvery=5';
    const fromOld = parseUrlState(old);
    expect(fromOld.notes).toEqual([]);
    expect(fromOld.state).toEqual(parseUrlState(long).state);
    expect(fromOld.state.experiment.configs[1]).toMatchObject({ d_sae: 32, penalty: { kind: 'l1', coeff: 0.002, on: 'encoder' }, activation: { kind: 'topk', k: 8 }, batchSize: 64, metricsEvery: 5 });
    const written = serializeUrlState(fromOld.state);
    expect(written).toMatch(/^d_sae=32&penalty\.kind=l1&/);
    expect(parseUrlState(written).state).toEqual(fromOld.state);
  });
});
