import { describe, expect, test } from 'vitest';
import type { StepMetrics } from '../../src/core/train/metrics';
import type { LabReady, LabSnapshot } from '../../src/runtime/protocol/lab-api';
import { experimentProblems, isStartable } from '../../src/ui/store/experiment';
import { createLabStore } from '../../src/ui/store/lab-store';
import { defaultExperiment, matchingPreset, presetById } from '../../src/ui/store/presets';
import { firstAndLatest, mergeMetricsUpdates, progressFraction, stepsPerSecond, timeLeftMs, totalTrainingMs } from '../../src/ui/store/runtime';
import { parseUrlState } from '../../src/ui/store/url-state';

const metrics = (step: number): StepMetrics => ({ step, epoch: 0, lr: 1e-3, loss: 1 / step, mse: 1, fvu: 1, l0: 5, deadFrac: 0, encNorm: 1, decNorm: 1, terms: {} });

describe('lab store: the experiment', () => {
  test('starts as the URL says, and as the default experiment without one', () => {
    expect(createLabStore().getState().experiment).toEqual(defaultExperiment());
    const { state, notes } = parseUrlState('width=16&seeds=2&side=B&feature=3');
    const store = createLabStore(state, notes).getState();
    expect(store.experiment.configs[1].d_sae).toBe(16);
    expect(store.selection).toMatchObject({ side: 1, feature: 3, seed: 0, pair: [0, 1] });
  });

  test('setConfigField sets one side or both, and refuses text that is not a value', () => {
    const store = createLabStore();
    expect(store.getState().setConfigField([0, 1], 'width', '32')).toBeNull();
    expect(store.getState().experiment.configs.map((c) => c.d_sae)).toEqual([32, 32]);
    expect(store.getState().setConfigField([1], 'pc', '0.01')).toBeNull();
    expect(store.getState().experiment.configs.map((c) => c.penalty.coeff)).toEqual([0, 0.01]);
    const before = store.getState().experiment;
    expect(store.getState().setConfigField([0], 'lr', 'fast')).toMatch(/learning rate must be a number/);
    expect(store.getState().experiment).toBe(before);
  });

  test('a value that makes a configuration invalid is kept, and its problem disables Start', () => {
    const store = createLabStore();
    store.getState().setConfigField([1], 'width', '0');
    const { experiment } = store.getState();
    expect(experimentProblems(experiment).perSide[1]).toEqual(['width d_sae must be a positive integer (got 0)']);
    expect(isStartable(experiment)).toBe(false);
    store.getState().setExperiment({ compare: false });
    // B is not trained in single mode: its problems do not count.
    expect(isStartable(store.getState().experiment)).toBe(true);
  });

  test('applyPreset replaces the configurations and keeps backend and data settings', () => {
    const store = createLabStore();
    store.getState().setExperiment({ backend: 'wasm', trainLimit: 500 });
    store.getState().applyPreset('mnist-paper-constrained');
    expect(store.getState().experiment).toEqual({
      ...presetById('mnist-paper-constrained').experiment(),
      backend: 'wasm',
      trainLimit: 500,
      autostart: true,
      dataset: 'mnist',
      shards: null,
      model: null,
      checkpointSeconds: 10,
    });
  });

  test('fewer seeds pull the selected seed and heatmap pair back into range', () => {
    const store = createLabStore();
    store.getState().select({ seed: 2, pair: [1, 2] });
    store.getState().setExperiment({ seedCount: 2 });
    expect(store.getState().selection).toMatchObject({ seed: 1, pair: [0, 1] });
  });

  test("the heatmap's zoom belongs to its pair: another pair, chosen or pulled back into range, starts unzoomed", () => {
    const store = createLabStore();
    const zoom = { range: { row0: 4, col0: 4, side: 8 }, size: 300 };
    store.getState().select({ pair: [1, 2] });
    store.getState().select({ heatmapView: zoom });
    // The same pair, another feature or digit: the zoom stays.
    store.getState().select({ feature: 3, digit: 2 });
    expect(store.getState().selection.heatmapView).toEqual(zoom);
    store.getState().select({ pair: [0, 2] });
    expect(store.getState().selection.heatmapView).toEqual({ range: null, size: 300 });
    store.getState().select({ heatmapView: zoom });
    store.getState().setExperiment({ seedCount: 2 });
    expect(store.getState().selection).toMatchObject({ pair: [0, 1], heatmapView: { range: null, size: 300 } });
  });
});

describe('lab store: runtime', () => {
  const run = { config: defaultExperiment().configs[0], seeds: [0, 1] };

  test('metrics append per seed, in order, with progress and time left', () => {
    const store = createLabStore();
    store.getState().startRun(0, run);
    store.getState().addMetrics(0, { perSeed: [{ seed: 0, metrics: [metrics(10)] }, { seed: 1, metrics: [metrics(10)] }], step: 10, totalSteps: 40, elapsedMs: 1000 });
    store.getState().addMetrics(0, { perSeed: [{ seed: 1, metrics: [metrics(20)] }], step: 20, totalSteps: 40, elapsedMs: 2000 });
    const runtime = store.getState().runtime[0];
    expect(runtime.phase).toBe('training');
    expect(runtime.perSeed.map((s) => s.metrics.map((m) => m.step))).toEqual([[10], [10, 20]]);
    expect(timeLeftMs(runtime)).toBe(2000);
    expect(progressFraction(runtime)).toBe(0.5);
    expect(store.getState().runtime[1].phase).toBe('idle');
  });

  test('no time-left estimate before the first step', () => {
    expect(timeLeftMs({ step: 0, totalSteps: 100, elapsedMs: 0, resumedFrom: null })).toBeNull();
  });

  test('a resumed run paces itself on the steps since it resumed, not on the steps before', () => {
    // Resumed at step 250 of 300 after 100 s; 10 steps in 2 s since: 5 steps/s, 40 steps (8 s) left.
    const resumed = { step: 260, totalSteps: 300, elapsedMs: 2000, resumedFrom: { step: 250, elapsedMs: 100_000 } };
    expect(stepsPerSecond(resumed)).toBeCloseTo(5, 12);
    expect(timeLeftMs(resumed)).toBeCloseTo(8000, 9);
    expect(totalTrainingMs(resumed)).toBe(102_000);
    expect(stepsPerSecond({ ...resumed, step: 250 })).toBeNull();
  });

  test('a new run forgets the last one but keeps what the worker reported at init', () => {
    const store = createLabStore();
    const ready: LabReady = {
      backend: { name: 'wasm', requested: 'wasm', reasons: [], detail: 'SIMD' },
      data: { name: 'MNIST', size: 10, d_in: 784 },
      mnist: { testSize: 5, classifierAccuracy: 0.9 },
      shards: null,
    };
    store.getState().patchRuntime(0, { phase: 'ready', ready });
    store.getState().startRun(0, run);
    store.getState().setSnapshot(0, { step: 5 } as LabSnapshot);
    store.getState().startRun(0, run);
    expect(store.getState().runtime[0]).toMatchObject({ ready, snapshot: null, step: 0, phase: 'training' });
  });

  test('a run narrower than the selected feature drops the selection and what was fetched for it', () => {
    const store = createLabStore();
    store.getState().selectFeature(0, 0, 50);
    store.getState().setInspection({ details: { feature: 50 } as never });
    store.getState().startRun(0, { ...run, config: { ...run.config, d_sae: 16 } });
    expect(store.getState().selection.feature).toBeNull();
    expect(store.getState().inspection).toMatchObject({ details: null, steering: null, lm: null, lmSteering: null });
  });
});

describe('lab store: selection', () => {
  test('selecting another feature drops its steering; another seed or side drops the details too', () => {
    const store = createLabStore();
    store.getState().selectFeature(0, 0, 1);
    store.getState().setInspection({ details: { feature: 1 } as never, steering: { digitIndex: 0 } as never });
    store.getState().selectFeature(0, 0, 2);
    expect(store.getState().inspection.steering).toBeNull();
    expect(store.getState().inspection.details).not.toBeNull();
    store.getState().selectFeature(1, 0, 2);
    expect(store.getState().inspection.details).toBeNull();
    expect(store.getState().selection).toMatchObject({ side: 1, seed: 0, feature: 2 });
  });
});

describe('progress readouts', () => {
  test('first and latest loss are averaged over the seeds that have read-backs', () => {
    const curve = (seed: number, losses: number[]) => ({ seed, metrics: losses.map((loss, i) => ({ ...metrics(i + 1), loss })) });
    expect(firstAndLatest([curve(0, [4, 2]), curve(1, [2, 1, 0]), curve(2, [])], (m) => m.loss)).toEqual({ first: 3, latest: 1 });
    expect(firstAndLatest([], (m) => m.loss)).toBeNull();
  });
});

describe('metrics updates', () => {
  test('several updates merge into one: read-backs concatenated per seed, progress from the last', () => {
    const merged = mergeMetricsUpdates([
      { perSeed: [{ seed: 0, metrics: [metrics(1)] }], step: 1, totalSteps: 9, elapsedMs: 10 },
      { perSeed: [{ seed: 0, metrics: [metrics(2)] }, { seed: 1, metrics: [metrics(2)] }], step: 2, totalSteps: 9, elapsedMs: 20 },
    ]);
    expect(merged?.perSeed.map((s) => [s.seed, s.metrics.map((m) => m.step)])).toEqual([
      [0, [1, 2]],
      [1, [2]],
    ]);
    expect(merged).toMatchObject({ step: 2, totalSteps: 9, elapsedMs: 20 });
    expect(mergeMetricsUpdates([])).toBeNull();
  });
});

describe('lab store: data', () => {
  test('switching to the language-model track takes its default preset, and back to MNIST the teaching demo', () => {
    const store = createLabStore();
    store.getState().setDataset('lm');
    const { experiment } = store.getState();
    expect(experiment.dataset).toBe('lm');
    expect(experiment.configs[0].activation.kind).toBe('topk');
    expect(matchingPreset(experiment)?.id).toBe('lm-gloss');
    // It opens on the WordNet gloss sample; with no shards at all it cannot start.
    expect(experiment.shards).toBe('sample');
    expect(isStartable(experiment)).toBe(true);
    store.getState().setExperiment({ shards: null });
    expect(isStartable(store.getState().experiment)).toBe(false);
    store.getState().setDataset('mnist');
    expect(store.getState().experiment.configs[0].activation.kind).toBe('relu');
  });

  test('fitDataWidth gives both configurations the data width and leaves the rest', () => {
    const store = createLabStore();
    store.getState().setDataset('lm');
    const before = store.getState().experiment.configs;
    store.getState().fitDataWidth(512);
    const after = store.getState().experiment.configs;
    expect(after.map((c) => c.d_in)).toEqual([512, 512]);
    expect(after.map((c) => ({ ...c, d_in: 0 }))).toEqual(before.map((c) => ({ ...c, d_in: 0 })));
  });
});
