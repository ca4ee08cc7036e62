import { describe, expect, test } from 'vitest';
import { withOverrides } from '../../src/core/presets';
import { CONFIG_FIELDS } from '../../src/ui/store/config-fields';
import { LAB_PRESETS } from '../../src/ui/store/presets';
import type { Experiment } from '../../src/ui/store/experiment';
import { defaultUrlState, parseUrlState, serializeUrlState, URL_FIELDS, type UrlState } from '../../src/ui/store/url-state';

const roundTrip = (state: UrlState) => parseUrlState(serializeUrlState(state));

function withConfigs(state: UrlState, a: Parameters<typeof withOverrides>[1], b: Parameters<typeof withOverrides>[1] = a): UrlState {
  const [ca, cb] = state.experiment.configs;
  return { ...state, experiment: { ...state.experiment, configs: [withOverrides(ca, a), withOverrides(cb, b)] } };
}

describe('URL field table', () => {
  test('the default state writes an empty query and reads back from one', () => {
    expect(serializeUrlState(defaultUrlState())).toBe('');
    expect(parseUrlState('')).toEqual({ state: defaultUrlState(), notes: [] });
  });

  test('keys and former keys are unique, and every configuration field is in the URL', () => {
    const keys = URL_FIELDS.flatMap((f) => (f.alias ? [f.key, f.alias] : [f.key]));
    expect(new Set(keys).size).toBe(keys.length);
    for (const field of CONFIG_FIELDS) expect(keys).toContain(field.key);
  });

  test.each(LAB_PRESETS.map((p) => [p.id, p] as const))('preset %s survives a round trip', (_, preset) => {
    // d_in is not in a link: the data sets it once loaded (the synthetic sample's 64, Pythia's 512).
    const base = parseUrlState(`data=${preset.dataset}`).state;
    const d_in = base.experiment.configs[0].d_in;
    const configs = preset.experiment().configs.map((c) => ({ ...c, d_in })) as Experiment['configs'];
    const state: UrlState = { ...base, experiment: { ...base.experiment, ...preset.experiment(), configs } };
    expect(roundTrip(state)).toEqual({ state, notes: [] });
  });

  test('every setting and the linked selection survive a round trip', () => {
    const base = defaultUrlState();
    const state = withConfigs(
      {
        experiment: { ...base.experiment, compare: false, seedCount: 4, backend: 'wasm', trainLimit: 2000, autostart: false },
        link: { side: 1, seed: 3, feature: 17, digit: 42 },
      },
      {
        d_sae: 48,
        optim: { lr: 3e-4 },
        batchSize: 64,
        length: { unit: 'epochs', value: 2 },
        metricsEvery: 7,
        init: { tied: false, unitNormDecoder: false, bDecInit: 'mean', biases: false },
        penalty: { kind: 'l1', coeff: 2e-3, on: 'encoder' },
      },
      { d_sae: 48, activation: { kind: 'topk', k: 12, auxkCoeff: 1 / 32, kAux: 64 }, penalty: { kind: 'l2', coeff: 1e-5, on: 'decoder' }, init: { removeParallelGrad: true } },
    );
    expect(roundTrip(state)).toEqual({ state, notes: [] });
  });

  test('a value shared by A and B is written once, differing values as A,B with readable commas', () => {
    const query = serializeUrlState(withConfigs(defaultUrlState(), { d_sae: 32 }));
    expect(query).toBe('d_sae=32');
    expect(serializeUrlState(withConfigs(defaultUrlState(), { d_sae: 32 }, { d_sae: 64 }))).toBe('d_sae=32,64');
  });

  test('the README example reads without notes, and a field that applies to neither side is not written', () => {
    const { state, notes } = parseUrlState('?width=128&pc=0,1e-5&epochs=3');
    expect(notes).toEqual([]);
    expect(state.experiment.configs.map((c) => [c.d_sae, c.penalty.coeff, c.length.unit, c.length.value])).toEqual([
      [128, 0, 'epochs', 3],
      [128, 1e-5, 'epochs', 3],
    ]);
    // A has no penalty, so its coefficient is not written.
    expect(serializeUrlState(state)).toBe('d_sae=128&penalty.coeff=,0.00001&epochs=3');
  });

  test('a field that applies to one side only leaves the other part empty', () => {
    const state = withConfigs(defaultUrlState(), {}, { activation: { kind: 'topk', k: 10, auxkCoeff: 1 / 32, kAux: 64 } });
    const query = serializeUrlState(state);
    expect(query).toContain('activation.kind=relu,topk');
    expect(query).toContain('activation.k=,10');
    expect(parseUrlState(query).state).toEqual(state);
  });

  test('reads a test link: tiny run, forced backend, limited data', () => {
    const { state, notes } = parseUrlState('?backend=wasm&steps=40&width=32&batch=64&every=4&images=2000&seeds=2&auto=0');
    expect(notes).toEqual([]);
    expect(state.experiment).toMatchObject({ backend: 'wasm', trainLimit: 2000, seedCount: 2, autostart: false });
    for (const config of state.experiment.configs) {
      expect(config).toMatchObject({ d_sae: 32, batchSize: 64, metricsEvery: 4, length: { unit: 'steps', value: 40 } });
    }
    // The default comparison's difference (the penalty) is kept.
    expect(state.experiment.configs.map((c) => c.penalty.kind)).toEqual(['none', 'l2-unsquared']);
  });

  test('turns parallel-gradient removal on by its own key, leaving the unit-norm constraint as it was', () => {
    const { state, notes } = parseUrlState('?perp=0,1');
    expect(notes).toEqual([]);
    expect(state.experiment.configs.map((c) => c.init.removeParallelGrad)).toEqual([false, true]);
    expect(state.experiment.configs.map((c) => c.init.unitNormDecoder)).toEqual([true, true]);
    expect(serializeUrlState(state)).toBe('init.removeParallelGrad=0,1');
  });

  test.each([
    ['perp=yes', /remove parallel gradient must be 1 or 0/],
    ['width=abc', /width.*must be a number/],
    ['width=0', /width d_sae must be a positive integer/],
    ['width=1.5', /width d_sae must be a positive integer/],
    ['pen=l3', /weight penalty must be one of/],
    ['pc=-1', /penalty coefficient must be ≥ 0/],
    ['act=topk&k=999', /k = 999 is larger than the width/],
    ['seeds=9', /seeds must be a whole number from 1 to 6/],
    ['backend=metal', /backend must be one of auto, webgpu, webgl, wasm, cpu/],
    ['images=-3', /images must be a positive whole number/],
    ['mode=both', /mode must be compare or single/],
    ['width=1,2,3', /one value, or two/],
    ['seed=3', /seed must be a whole number below the number of seeds \(3\)/],
    ['feature=500', /feature must be a whole number below the width/],
    ['frobnicate=1', /unknown parameter "frobnicate"/],
    ['data=text', /data must be mnist or lm/],
    ['optim.beta1=1', /Adam beta1 must be in \[0, 1\) \(got 1\)/],
    ['optim.eps=0', /Adam eps must be positive/],
    ['optim.warmupSteps=1.5', /warm-up steps must be a whole number ≥ 0/],
    ['optim.decayStartFrac=2', /decay start must be in \[0, 1\]/],
    ['optim.clipGradNorm=-1', /gradient clipping norm must be ≥ 0/],
    ['deadAfterTokens=many', /dead after \(tokens\) must be a number/],
    ['act=topk&activation.kAux=0', /k_aux must be a positive integer/],
    ['width=20&d_sae=30', /Ignored width: d_sae sets the same field/],
    ['shards=javascript:alert(1)', /shards must be "sample" \(the WordNet gloss sample\), "synthetic" \(the random-weight control\) or an http\(s\) URL/],
    ['model=file:///etc', /model must be "sample" .* or an http\(s\) URL/],
  ])('ignores %s with a note and keeps the rest', (query, note) => {
    const { state, notes } = parseUrlState(`${query}&batch=32`);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(note);
    expect(state.experiment.configs[0].batchSize).toBe(32);
    expect(state.link).toEqual(defaultUrlState().link);
  });

  test('a refused part of an A,B pair leaves both sides as they were', () => {
    const { state, notes } = parseUrlState('width=32,0');
    expect(notes[0]).toMatch(/^Ignored width=32,0: width d_sae/);
    expect(state.experiment.configs).toEqual(defaultUrlState().experiment.configs);
  });

  test('a language-model link: data first, then the fields that differ from its default preset, and back', () => {
    // The track opens on the WordNet gloss sample when the link names no shards.
    expect(parseUrlState('data=lm').state.experiment).toMatchObject({ shards: 'sample', model: null });
    const { state, notes } = parseUrlState('data=lm&shards=synthetic&model=sample&width=1024&seeds=2');
    expect(notes).toEqual([]);
    expect(state.experiment).toMatchObject({ dataset: 'lm', shards: 'synthetic', model: 'sample', seedCount: 2 });
    expect(state.experiment.configs.map((c) => [c.activation.kind, c.d_sae])).toEqual([
      ['topk', 1024],
      ['topk', 1024],
    ]);
    const query = serializeUrlState(state);
    // Only what differs from the track's defaults is written, and it reads back the same.
    expect(query).toBe('data=lm&shards=synthetic&model=sample&seeds=2&d_sae=1024');
    expect(parseUrlState(query).state).toEqual(state);
  });

  test('picked files are not written to a link', () => {
    const { state } = parseUrlState('data=lm');
    const query = serializeUrlState({ ...state, experiment: { ...state.experiment, shards: 'files', model: 'files' } });
    expect(query).toBe('data=lm');
  });

  test("a link from before the track was named lm (data=shards) opens the same experiment, and is written with the new name", () => {
    const old = parseUrlState('data=shards&shards=sample&seeds=2');
    expect(old.notes).toEqual([]);
    expect(old.state).toEqual(parseUrlState('data=lm&shards=sample&seeds=2').state);
    expect(serializeUrlState(old.state)).toBe('data=lm&seeds=2');
  });
});
