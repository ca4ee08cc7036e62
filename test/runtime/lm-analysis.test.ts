/**
 * The language-model analysis of a run, as the worker drives it, on the tiny GPT-NeoX: TopK seeds
 * train on normalised activations; the export, the contexts and steering work on the model's raw
 * stream through the folded scale; steering success is measured, and scored by a stand-in judge.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSaeLens } from '../../src/core/formats/saelens';
import { loadGptNeoxModel, type HookName } from '../../src/core/model';
import { syntheticSampleConfig } from '../../src/core/presets';
import { Rng } from '../../src/core/rng';
import { tensorSource } from '../../src/core/train/source';
import { tf } from '../../src/core/tf';
import { LabSession } from '../../src/runtime/worker/lab-session';
import { LmAnalysis } from '../../src/runtime/worker/lm-analysis';
import type { LoadedModel, LmData } from '../../src/runtime/worker/lm-data';
import { referenceEncode } from '../core/analysis/helpers';
import { buildTinyNeox, TINY_SIZES } from '../helpers/tiny-neox';

const HOOK: HookName = 'blocks.1.hook_resid_post';
const WINDOW = 16;
const SCALE = 0.5;
const CONTEXT = 24;

let loaded: LoadedModel;
let data: LmData;
let session: LabSession<LmAnalysis>;
let modelShown: LoadedModel | null;

/** Activations of random contexts (each after a bos), as the exporter would write them, scaled and with their context windows. */
async function collect(contexts: number): Promise<LmData> {
  const rng = new Rng(3);
  const d = TINY_SIZES.hidden;
  const rows: number[] = [];
  const tokens: number[] = [];
  const windows: number[] = [];
  for (let c = 0; c < contexts; c++) {
    const ids = [0, ...Array.from({ length: CONTEXT }, () => 2 + Math.floor(rng.next() * (TINY_SIZES.vocab - 2)))];
    const { activations } = loaded.model.forward([ids], { capture: [HOOK], stopAt: HOOK });
    const values = (await activations[HOOK]!.data()) as Float32Array;
    activations[HOOK]!.dispose();
    for (let p = 1; p < ids.length; p++) {
      for (let j = 0; j < d; j++) rows.push(values[p * d + j] * SCALE);
      tokens.push(ids[p]);
      for (let w = p - WINDOW; w < p; w++) windows.push(w >= 1 ? ids[w] : -1);
    }
  }
  const count = tokens.length;
  return {
    rows: Float32Array.from(rows),
    tokens: Int32Array.from(tokens),
    contexts: Int32Array.from(windows),
    contextWindow: WINDOW,
    hook: HOOK,
    info: { model: 'tiny', hook: HOOK, d_model: d, totalTokens: count, rows: count, sampled: false, maxBytes: 1 << 30, scale: SCALE, hasTokens: true, synthetic: true, note: null, files: ['memory'] },
  };
}

beforeAll(async () => {
  const neox = buildTinyNeox({ seed: 5 });
  const neoxModel = loadGptNeoxModel({ config: neox.config, weights: neox.safetensors, tokenizer: neox.tokenizerJson, tokenizerConfig: neox.tokenizerConfig });
  loaded = { ...neoxModel, info: { name: 'tiny', layers: 2, d_model: TINY_SIZES.hidden, vocab: TINY_SIZES.vocab } };
  modelShown = loaded;
  data = await collect(40);
  session = new LabSession(tensorSource(data.rows, TINY_SIZES.hidden), (state) => new LmAnalysis(state, data, () => modelShown), { pacing: { minIntervalMs: 0, maxShare: 1 } });
  const config = syntheticSampleConfig({ d_in: TINY_SIZES.hidden, d_sae: 48, activation: { kind: 'topk', k: 4, auxkCoeff: 1 / 32, kAux: 16 }, batchSize: 64, length: { unit: 'steps', value: 40 } });
  const end = await session.start({ config, seeds: [0, 1] }, () => undefined, () => undefined);
  expect(end.reason).toBe('done');
}, 120_000);

afterAll(() => loaded?.model.dispose());

function liveFeature(analysis: LmAnalysis, seedIndex: number): number {
  const frequency = analysis.state.firingFrequency[seedIndex];
  const order = Array.from(frequency.keys()).sort((a, b) => frequency[b] - frequency[a]);
  return order[0];
}

describe('LmAnalysis', () => {
  it('exports an SAE for the raw stream: it encodes raw activations as the trained SAE encodes normalised ones', async () => {
    const analysis = await session.latest();
    const exported = readSaeLens(analysis.exportSaeLens(1));
    expect(exported.hookName).toBe(HOOK);
    const trained = analysis.state.weights[1];
    const activation = analysis.state.config.activation;
    for (const row of [0, 17, 300]) {
      const scaled = data.rows.subarray(row * 32, (row + 1) * 32);
      const raw = scaled.map((v) => v / SCALE);
      const expected = referenceEncode(trained, scaled, activation);
      const actual = referenceEncode(exported.weights, raw, activation);
      for (let j = 0; j < expected.length; j++) expect(actual[j]).toBeCloseTo(expected[j], 4);
    }
  });

  it('shows a live feature’s top contexts as tokens, each re-read by the model, ending on the row’s own token', async () => {
    const analysis = await session.latest();
    const feature = liveFeature(analysis, 0);
    const details = await analysis.inspectLm(0, feature);
    expect(details.contexts.length).toBeGreaterThan(0);
    const activations = details.contexts.map((c) => c.activation);
    expect([...activations].sort((a, b) => b - a)).toEqual(activations);
    for (const context of details.contexts) {
      expect(context.tokenActivations).toHaveLength(context.tokens.length);
      expect(context.tokens.every((t) => typeof t === 'string' && !t.startsWith('#'))).toBe(true);
    }
    expect(details.logitLens?.promoted).toHaveLength(8);
    expect(details.partners.map((p) => p.seed)).toEqual([1]);
    // Without a model the same feature still has its contexts, as token ids.
    modelShown = null;
    try {
      const bare = await analysis.inspectLm(0, feature);
      expect(bare.logitLens).toBeNull();
      expect(bare.contexts[0].tokens.every((t) => /^#\d+$/.test(t))).toBe(true);
      await expect(analysis.steerLm(0, feature, { prompt: 'the cat', alpha: 5, samplingSeed: 0 })).rejects.toThrow(/load a GPT-NeoX model/);
    } finally {
      modelShown = loaded;
    }
  });

  it('labelled rows: each top context carries its row’s label, and the summary is their most common one', async () => {
    const analysis = await session.latest();
    const feature = liveFeature(analysis, 0);
    const plain = await analysis.inspectLm(0, feature);
    expect(plain.topLabel).toBeUndefined();
    expect(plain.contexts.every((c) => c.label === undefined)).toBe(true);
    expect(await analysis.lmFeatureLabels(0)).toBeNull();
    const names = ['noun.animal', 'noun.plant', 'verb.motion'];
    // Row r: the label of its context (24 rows each), none for every fourth context.
    const rowsLabel = Int32Array.from({ length: data.tokens.length }, (_, r) => (Math.floor(r / CONTEXT) % 4 === 3 ? -1 : Math.floor(r / CONTEXT) % 3));
    data.labels = { names, rows: rowsLabel };
    try {
      const details = await analysis.inspectLm(0, feature);
      // The same contexts, each labelled: the count is recomputed here from the shown labels.
      expect(details.contexts.map((c) => c.tokens)).toEqual(plain.contexts.map((c) => c.tokens));
      const shown = details.contexts.map((c) => c.label);
      expect(shown.every((l) => l === null || names.includes(l!))).toBe(true);
      const counts = new Map<string, number>();
      for (const l of shown) if (l) counts.set(l, (counts.get(l) ?? 0) + 1);
      const max = Math.max(0, ...counts.values());
      expect(details.topLabel?.count ?? 0).toBe(max);
      if (max > 0) expect(counts.get(details.topLabel!.label)).toBe(max);
      expect(details.topLabel?.total ?? shown.length).toBe(shown.length);
      const table = await analysis.lmFeatureLabels(0);
      expect(table).toMatchObject({ seed: 0, names, sampleRows: data.tokens.length });
      expect(table!.label).toHaveLength(48);
      // All rows are sampled, so the live feature's table entry summarises the same top contexts.
      expect(table!.label[feature] < 0 ? null : names[table!.label[feature]]).toBe(details.topLabel?.label ?? null);
      expect(table!.count[feature]).toBe(max);
    } finally {
      delete data.labels;
    }
  });

  it('labelled rows with a concept judge: a concept-grounded rate over the features of clear concept, none at α = 0', async () => {
    const analysis = await session.latest();
    const names = ['noun.animal', 'noun.plant', 'verb.motion'];
    // Every context's rows share its label, so features that fire on a few contexts get a clear concept.
    data.labels = { names, rows: Int32Array.from({ length: data.tokens.length }, (_, r) => Math.floor(r / CONTEXT) % 3) };
    // A toy judge with a known rule: token t votes for class t mod 3 (its judge categories: the same names reversed).
    const classes = 3;
    const weights = new Float64Array(TINY_SIZES.vocab * classes);
    for (let t = 0; t < TINY_SIZES.vocab; t++) weights[t * classes + (t % classes)] = 1;
    data.judge = { classifier: { vocabSize: TINY_SIZES.vocab, classes, weights, bias: new Float64Array(classes) }, categories: [...names].reverse(), accuracy: 0.5, majority: 0.2, heldOut: 10 };
    try {
      const table = (await analysis.lmFeatureLabels(0))!;
      const clear = Array.from(table.label).filter((label, f) => label >= 0 && table.total[f] >= 10 && table.count[f] >= 0.5 * table.total[f]).length;
      expect(clear).toBeGreaterThan(0);
      const result = await analysis.steeringSuccess(0, { alpha: 30 });
      expect(result.concept).toMatchObject({ features: Math.min(30, clear), trials: Math.min(30, clear) * 3, alpha: 30, judge: { accuracy: 0.5, majority: 0.2, heldOut: 10 } });
      expect(result.concept!.perFeature.reduce((n, f) => n + f.successes, 0)).toBe(result.concept!.successes);
      expect(result.concept!.definition).toMatch(/concept judge/);
      expect((await analysis.steeringSuccess(0, { alpha: 0 })).concept!.successes).toBe(0);
    } finally {
      delete data.labels;
      delete data.judge;
    }
  }, 120_000);

  it('steers: α = 0 continues exactly as unsteered, and a bad α is refused', async () => {
    const analysis = await session.latest();
    const feature = liveFeature(analysis, 0);
    const still = await analysis.steerLm(0, feature, { prompt: 'the cat', alpha: 0, samplingSeed: 3 });
    expect(still.steered).toBe(still.unsteered);
    expect(still.nextToken).toEqual([]);
    const pushed = await analysis.steerLm(0, feature, { prompt: 'the cat', alpha: 60, samplingSeed: 3 });
    expect(pushed.nextToken.length).toBeGreaterThan(0);
    await expect(analysis.steerLm(0, feature, { prompt: 'the cat', alpha: Number.NaN, samplingSeed: 0 })).rejects.toThrow(/finite/);
  });

  it('measures steering success over live features and the three prompts, and a stand-in judge scores the same trials', async () => {
    const received: string[] = [];
    const server: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push(body);
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: received.length % 2 === 0 ? '5' : '2' } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const analysis = await session.latest();
      const before = tf.memory().numTensors;
      const plain = await analysis.steeringSuccess(0);
      const live = Array.from(analysis.state.firingFrequency[0]).filter((f) => f > 0).length;
      expect(plain.trials).toBe(Math.min(30, live) * 3);
      expect(plain.definition).toMatch(/clean pass of the model/);
      expect(plain.judged).toBeNull();
      expect(plain.concept).toBeNull(); // no labels, no judge
      // No push, no extra firings: α = 0 never succeeds.
      expect((await analysis.steeringSuccess(0, { alpha: 0 })).successes).toBe(0);
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const judged = await analysis.steeringSuccess(0, { judge: { baseUrl, model: 'stand-in' } });
      expect(received).toHaveLength(plain.trials);
      expect(judged.judged).toMatchObject({ trials: plain.trials, successes: Math.floor(plain.trials / 2) });
      // The judge is shown the feature's evidence and both texts.
      expect(JSON.parse(received[0]).messages.map((m: { content: string }) => m.content).join('\n')).toMatch(/Fires on text like|more likely to write/);
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      server.close();
    }
  }, 120_000);
});
