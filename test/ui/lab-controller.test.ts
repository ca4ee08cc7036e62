/**
 * The controller against fake workers: what the workers stream lands in the store, and the
 * selection fetches what it needs from the right worker, with stale answers dropped.
 */
import { describe, expect, test, vi } from 'vitest';
import type { ZoomRange } from '../../src/core/analysis/heatmap-pool';
import type { FeatureDetails, LabInitOptions, LabMetricsUpdate, LabReady, LabSnapshot, PairHeatmap, RunSpec, SteeringResult } from '../../src/runtime/protocol/lab-api';
import type { LabClient } from '../../src/runtime/page/lab-client';
import type { RunEnd } from '../../src/runtime/protocol/trainer-api';
import type { RunRecord } from '../../src/runtime/protocol/run-records';
import type { RunStore } from '../../src/runtime/storage/run-store';
import { createLabController } from '../../src/ui/lab-controller';
import { createLabStore } from '../../src/ui/store/lab-store';
import { parseUrlState } from '../../src/ui/store/url-state';

const READY: LabReady = {
  backend: { name: 'wasm', requested: 'wasm', reasons: [], detail: 'SIMD' },
  data: { name: 'MNIST train', size: 100, d_in: 784 },
  mnist: { testSize: 50, classifierAccuracy: 0.95 },
  shards: null,
};

interface FakeWorker {
  name: string;
  spec: RunSpec | null;
  onMetrics: (u: LabMetricsUpdate) => void;
  onSnapshot: (s: LabSnapshot) => void;
  finish(end: RunEnd): void;
  crash(error: Error): void;
  api: Record<string, ReturnType<typeof vi.fn>>;
  terminated: boolean;
  resumed?: string;
}

function fakeWorkers(initWith: (options: LabInitOptions) => Promise<LabReady> = async () => READY) {
  const started: FakeWorker[] = [];
  const startWorker = (name: string): LabClient => {
    let finish: (end: RunEnd) => void = () => undefined;
    let crash: (error: Error) => void = () => undefined;
    const worker: FakeWorker = {
      name,
      spec: null,
      onMetrics: () => undefined,
      onSnapshot: () => undefined,
      finish: (end) => finish(end),
      crash: (error) => crash(error),
      terminated: false,
      api: {
        init: vi.fn(initWith),
        loadModel: vi.fn(async () => ({ name: 'tiny', layers: 4, d_model: 64, vocab: 200 })),
        inspectLm: vi.fn(async (seed: number, feature: number) => ({ seed, feature })),
        ping: vi.fn(async () => true),
        renameRun: vi.fn(async () => true),
        pause: vi.fn(async () => undefined),
        resume: vi.fn(async () => undefined),
        stop: vi.fn(async () => undefined),
        pairHeatmap: vi.fn(async (seedA: number, seedB: number, range: ZoomRange | null, size: number) => ({ seedA, seedB, n: 2, pooled: { range, size } }) as unknown as PairHeatmap),
        inspect: vi.fn(async (seed: number, feature: number) => ({ seed, feature }) as FeatureDetails),
        steer: vi.fn(async (_s: number, _f: number, digitIndex: number, alphas: number[]) => ({ digitIndex, alphas }) as SteeringResult),
        steeringSuccess: vi.fn(async () => ({ rate: 0.5, definition: 'judged by the classifier' })),
        exportSaeLens: vi.fn(),
      },
    };
    started.push(worker);
    return {
      api: worker.api as unknown as LabClient['api'],
      resumeRun(runId, onMetrics, onSnapshot) {
        Object.assign(worker, { resumed: runId, onMetrics, onSnapshot });
        return new Promise<RunEnd>((resolve, reject) => {
          finish = resolve;
          crash = reject;
        });
      },
      openRun: () => new Promise<RunEnd>(() => undefined),
      importSaes: () => new Promise(() => undefined),
      init: (options, onProgress) => (worker.api.init as unknown as LabClient["init"])(options, onProgress),
      start(spec, onMetrics, onSnapshot) {
        Object.assign(worker, { spec, onMetrics, onSnapshot });
        return new Promise<RunEnd>((resolve, reject) => {
          finish = resolve;
          crash = reject;
        });
      },
      terminate: () => void (worker.terminated = true),
    };
  };
  return { started, startWorker };
}

const snapshot = (step: number) => ({ step, seeds: [0, 1, 2], d_sae: 16 }) as LabSnapshot;

function setUp(query = 'backend=wasm&width=16&seeds=3', initWith?: (options: LabInitOptions) => Promise<LabReady>, runs?: RunStore) {
  const store = createLabStore(parseUrlState(query).state);
  const workers = fakeWorkers(initWith);
  const controller = createLabController(store, workers.startWorker, 'http://127.0.0.1/', async () => runs ?? null);
  return { store, controller, ...workers };
}

/** A run store whose every run has a checkpoint at step 12. */
function savedRuns(): RunStore {
  return {
    get: async (id: string) => ({ id, checkpointStep: 12, config: parseUrlState('').state.experiment.configs[0], seeds: [0], totalSteps: 300, elapsedMs: 1, step: 12 }),
    metrics: async () => [],
    list: async () => [],
  } as unknown as RunStore;
}

describe('lab controller', () => {
  test('prepare starts one worker per configuration with the backend and data limit of the URL', async () => {
    const { store, controller, started } = setUp('backend=wasm&images=500');
    await controller.prepare();
    expect(started.map((w) => w.name)).toEqual(['lab A', 'lab B']);
    for (const w of started) expect(w.api.init).toHaveBeenCalledWith({ backend: 'wasm', appBaseUrl: 'http://127.0.0.1/', trainLimit: 500 }, expect.any(Function));
    expect(store.getState().runtime.map((r) => r.phase)).toEqual(['ready', 'ready']);
    // Nothing changed: the same workers serve the next prepare.
    await controller.prepare();
    expect(started).toHaveLength(2);
    store.getState().setExperiment({ backend: 'cpu' });
    await controller.prepare();
    expect(started).toHaveLength(4);
    expect(started[0].terminated && started[1].terminated).toBe(true);
  });

  test('one start trains both configurations with their seeds; updates and snapshots land per side', async () => {
    const { store, controller, started } = setUp();
    const running = controller.start();
    await vi.waitFor(() => expect(started.every((w) => w.spec)).toBe(true));
    const [a, b] = started;
    expect(a.spec?.seeds).toEqual([0, 1, 2]);
    expect([a.spec?.config.penalty.kind, b.spec?.config.penalty.kind]).toEqual(['none', 'l2-unsquared']);
    let metricRenders = 0;
    store.subscribe((now, before) => void (now.runtime[0].perSeed !== before.runtime[0].perSeed && metricRenders++));
    a.onMetrics({ perSeed: [{ seed: 1, metrics: [{ step: 5 } as never] }], step: 5, totalSteps: 300, elapsedMs: 100 });
    a.onMetrics({ perSeed: [{ seed: 1, metrics: [{ step: 10 } as never] }], step: 10, totalSteps: 300, elapsedMs: 200 });
    b.onSnapshot(snapshot(5));
    expect(store.getState().runtime[1].snapshot?.step).toBe(5);
    // Metrics are rendered a few times a second, not per message: both updates arrive as one.
    await vi.waitFor(() => expect(store.getState().runtime[0]).toMatchObject({ step: 10, totalSteps: 300, phase: 'training' }));
    expect(store.getState().runtime[0].perSeed[1].metrics.map((m) => m.step)).toEqual([5, 10]);
    expect(metricRenders).toBe(1);
    a.finish({ reason: 'done', step: 300, elapsedMs: 1000 });
    b.finish({ reason: 'stopped', step: 120, elapsedMs: 900 });
    await running;
    expect(store.getState().runtime.map((r) => r.phase)).toEqual(['done', 'stopped']);
  });

  test('messages of a replaced run never reach the new one', async () => {
    const { store, controller, started } = setUp('mode=single&width=16');
    void controller.start();
    await vi.waitFor(() => expect(started[0]?.spec).toBeTruthy());
    const first = { ...started[0] };
    void controller.start();
    await vi.waitFor(() => expect(started[0].onSnapshot).not.toBe(first.onSnapshot));
    first.onSnapshot(snapshot(99));
    first.onMetrics({ perSeed: [{ seed: 0, metrics: [{ step: 99 } as never] }], step: 99, totalSteps: 300, elapsedMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(store.getState().runtime[0]).toMatchObject({ snapshot: null, step: 0 });
  });

  test('pause, resume and stop reach every training worker', async () => {
    const { store, controller, started } = setUp();
    void controller.start();
    await vi.waitFor(() => expect(started.every((w) => w.spec)).toBe(true));
    controller.pause();
    expect(store.getState().runtime.map((r) => r.phase)).toEqual(['paused', 'paused']);
    controller.resume();
    controller.stop();
    for (const w of started) {
      expect(w.api.pause).toHaveBeenCalledOnce();
      expect(w.api.resume).toHaveBeenCalledOnce();
      expect(w.api.stop).toHaveBeenCalledOnce();
    }
  });

  test('a snapshot of the shown side fetches its heatmap pair; a new pair, a zoom or another canvas size fetch again', async () => {
    const { store, controller, started } = setUp();
    void controller.start();
    await vi.waitFor(() => expect(started.every((w) => w.spec)).toBe(true));
    const [a, b] = started;
    const heatmap = () => store.getState().runtime[0].pairHeatmap;
    b.onSnapshot(snapshot(1));
    expect(b.api.pairHeatmap).not.toHaveBeenCalled();
    a.onSnapshot(snapshot(1));
    await vi.waitFor(() => expect(heatmap()).toMatchObject({ seedA: 0, seedB: 1 }));
    expect(a.api.pairHeatmap).toHaveBeenLastCalledWith(0, 1, null, 512);

    // The view reports a zoom and its canvas: that block of the same pair, pooled to that size.
    const block = { row0: 4, col0: 2, side: 8 };
    store.getState().select({ heatmapView: { range: block, size: 300 } });
    await vi.waitFor(() => expect(heatmap()?.pooled).toEqual({ range: block, size: 300 }));
    expect(a.api.pairHeatmap).toHaveBeenLastCalledWith(0, 1, block, 300);
    const calls = a.api.pairHeatmap.mock.calls.length;
    store.getState().select({ heatmapView: { range: { ...block }, size: 300 } });
    // A new pair starts unzoomed; the same view again asked for nothing.
    store.getState().select({ pair: [1, 2] });
    await vi.waitFor(() => expect(heatmap()).toMatchObject({ seedA: 1, seedB: 2 }));
    expect(a.api.pairHeatmap).toHaveBeenLastCalledWith(1, 2, null, 300);
    expect(a.api.pairHeatmap).toHaveBeenCalledTimes(calls + 1);

    // A zoom that does not fit this side's matrix (one of a wider run's) asks for all of it.
    store.getState().select({ heatmapView: { range: { row0: 10, col0: 10, side: 8 }, size: 300 } });
    await vi.waitFor(() => expect(a.api.pairHeatmap).toHaveBeenCalledTimes(calls + 2));
    expect(a.api.pairHeatmap).toHaveBeenLastCalledWith(1, 2, null, 300);
  });

  test('selecting a feature inspects and steers it; moving α steers again after the slider rests', async () => {
    const { store, controller, started } = setUp();
    void controller.start();
    await vi.waitFor(() => expect(started.every((w) => w.spec)).toBe(true));
    const b = started[1];
    b.onSnapshot(snapshot(1));
    store.getState().selectFeature(1, 2, 7);
    await vi.waitFor(() => expect(store.getState().inspection.details).toMatchObject({ seed: 2, feature: 7 }));
    await vi.waitFor(() => expect(store.getState().inspection.steering).not.toBeNull());
    expect(b.api.inspect).toHaveBeenCalledWith(2, 7);
    store.getState().select({ alpha: 3 });
    store.getState().select({ alpha: 5.5 });
    await vi.waitFor(() => expect(store.getState().inspection.steering?.alphas).toContain(5.5));
    // Two slider moves in quick succession: one steering call for them.
    expect(b.api.steer).toHaveBeenCalledTimes(2);
  });

  test('an answer for a feature no longer selected is dropped', async () => {
    const { store, controller, started } = setUp();
    void controller.start();
    await vi.waitFor(() => expect(started.every((w) => w.spec)).toBe(true));
    const a = started[0];
    let answer: (d: FeatureDetails) => void = () => undefined;
    a.api.inspect.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    a.onSnapshot(snapshot(1));
    store.getState().selectFeature(0, 0, 3);
    store.getState().selectFeature(0, 0, 4);
    answer({ seed: 0, feature: 3 } as FeatureDetails);
    await vi.waitFor(() => expect(store.getState().inspection.details).toMatchObject({ feature: 4 }));
  });

  test('steering success is measured in both configurations for the shown seed', async () => {
    const { store, controller, started } = setUp();
    void controller.start();
    await vi.waitFor(() => expect(started.every((w) => w.spec)).toBe(true));
    for (const w of started) w.onSnapshot(snapshot(1));
    store.getState().select({ seed: 2 });
    await controller.measureSteering();
    for (const w of started) expect(w.api.steeringSuccess).toHaveBeenCalledWith(2, undefined);
    expect(store.getState().runtime.map((r) => r.steeringSuccess?.rate)).toEqual([0.5, 0.5]);
  });

  test('single mode starts and trains A only', async () => {
    const { store, controller, started } = setUp('mode=single&width=16');
    void controller.start();
    await vi.waitFor(() => expect(started[0]?.spec).toBeTruthy());
    expect(started).toHaveLength(1);
    expect(store.getState().runtime[1].phase).toBe('idle');
  });

  test('an invalid experiment does not start', async () => {
    const { store, controller, started } = setUp();
    store.getState().setConfigField([0], 'width', '0');
    await controller.start();
    expect(started).toHaveLength(0);
  });

  test('shards load into fresh workers that replace the current ones only when every load succeeded', async () => {
    const shardsReady = (d_model: number): LabReady => ({
      ...READY,
      data: { name: 'shards', size: 1000, d_in: d_model },
      mnist: null,
      shards: { model: 'm', hook: 'blocks.3.hook_resid_post', d_model, totalTokens: 1000, rows: 1000, sampled: false, maxBytes: 1, scale: 1, hasTokens: true, synthetic: true, note: null, files: ['a'] },
    });
    const { store, controller, started } = setUp('data=lm&backend=wasm', async (options) => {
      const url = options.shards?.kind === 'url' ? options.shards.manifestUrl : '';
      if (url.includes('broken')) throw new Error('broken/manifest.json: "d_model" must be a positive integer');
      return shardsReady(url.includes('wide') ? 128 : 64);
    });
    // The language-model track opens on the WordNet gloss sample, whose own model follows it.
    await controller.prepare();
    expect(started).toHaveLength(2);
    expect(started[0].api.init).toHaveBeenCalledWith(
      { backend: 'wasm', appBaseUrl: 'http://127.0.0.1/', shards: { kind: 'url', manifestUrl: 'http://127.0.0.1/samples/wordnet-gloss/manifest.json' } },
      expect.any(Function),
    );
    await vi.waitFor(() => expect(started[0].api.loadModel).toHaveBeenCalledWith({ kind: 'url', baseUrl: 'http://127.0.0.1/samples/wordnet-gloss/model/' }));

    // The random-weight control brings the control's model instead.
    expect(await controller.chooseShards({ kind: 'sample', name: 'synthetic' })).toBe(true);
    expect(started).toHaveLength(4);
    expect(started[2].api.init).toHaveBeenCalledWith(
      { backend: 'wasm', appBaseUrl: 'http://127.0.0.1/', shards: { kind: 'url', manifestUrl: 'http://127.0.0.1/samples/synthetic/manifest.json' } },
      expect.any(Function),
    );
    await vi.waitFor(() => expect(started[2].api.loadModel).toHaveBeenCalledWith({ kind: 'url', baseUrl: 'http://127.0.0.1/samples/synthetic/model/' }));
    expect(await controller.chooseShards({ kind: 'sample', name: 'sample' })).toBe(true);
    started.splice(0, 4);
    expect(store.getState().experiment.shards).toBe('sample');
    expect(store.getState().experiment.configs.map((c) => c.d_in)).toEqual([64, 64]);
    expect(store.getState().dataLoad.phase).toBe('ready');

    const run = controller.start();
    await vi.waitFor(() => expect(started[1].spec).toBeTruthy());
    started[0].onSnapshot(snapshot(7));

    // A bad manifest: its candidate workers are thrown away, the loaded data and the run stay.
    expect(await controller.chooseShards({ kind: 'url', url: 'http://127.0.0.1/broken/manifest.json' })).toBe(false);
    expect(started.slice(2).every((w) => w.terminated)).toBe(true);
    expect(started.slice(0, 2).some((w) => w.terminated)).toBe(false);
    expect(store.getState().dataLoad).toMatchObject({ phase: 'error', error: expect.stringMatching(/broken\/manifest.json: "d_model"/) });
    expect(store.getState().experiment.shards).toBe('sample');
    expect(store.getState().runtime[0].snapshot?.step).toBe(7);

    // A good one replaces them and fits the width.
    expect(await controller.chooseShards({ kind: 'url', url: 'http://127.0.0.1/wide/manifest.json' })).toBe(true);
    expect(started.slice(0, 2).every((w) => w.terminated)).toBe(true);
    expect(store.getState().experiment.shards).toBe('http://127.0.0.1/wide/manifest.json');
    expect(store.getState().experiment.configs.map((c) => c.d_in)).toEqual([128, 128]);
    expect(store.getState().runtime[0]).toMatchObject({ phase: 'ready', snapshot: null });
    started[0].finish({ reason: 'stopped', step: 7, elapsedMs: 1 });
    started[1].finish({ reason: 'stopped', step: 7, elapsedMs: 1 });
    await run;
  });

  test('a model loads into every shard worker; a failure keeps the model before it', async () => {
    const { store, controller, started } = setUp('data=lm&shards=sample&backend=wasm', async () => ({
      ...READY,
      mnist: null,
      shards: { model: 'm', hook: 'h', d_model: 64, totalTokens: 1, rows: 1, sampled: false, maxBytes: 1, scale: 1, hasTokens: true, synthetic: true, note: null, files: [] },
    }));
    await controller.prepare();
    expect(started).toHaveLength(2);
    expect(await controller.chooseModel({ kind: 'sample', name: 'sample' })).toBe(true);
    for (const w of started) expect(w.api.loadModel).toHaveBeenCalledWith({ kind: 'url', baseUrl: 'http://127.0.0.1/samples/wordnet-gloss/model/' });
    expect(store.getState().modelLoad).toMatchObject({ phase: 'ready', info: { name: 'tiny' } });
    expect(store.getState().experiment.model).toBe('sample');
    started[1].api.loadModel.mockRejectedValueOnce(new Error('config.json: hidden_size 32, shards d_model 64'));
    expect(await controller.chooseModel({ kind: 'url', url: 'http://127.0.0.1/other/' })).toBe(false);
    expect(store.getState().modelLoad).toMatchObject({ phase: 'ready', info: { name: 'tiny' }, error: expect.stringMatching(/hidden_size/) });
    expect(store.getState().experiment.model).toBe('sample');
  });

  test('a run that fails with a lost GPU device resumes from its checkpoint on a fresh worker, on the next backend', async () => {
    const runs = savedRuns();
    const { store, controller, started } = setUp('backend=auto&width=16&seeds=1&mode=single', async () => ({ ...READY, backend: { name: 'webgpu', requested: 'auto', reasons: [], detail: 'GPU' } }), runs);
    void controller.start();
    await vi.waitFor(() => expect(started[0]?.spec?.persist?.runId).toBeTruthy());
    const runId = started[0].spec!.persist!.runId;
    started[0].crash(new Error('the GPU device was lost'));
    await vi.waitFor(() => expect(started[1]?.resumed).toBe(runId));
    expect(started[0].terminated).toBe(true);
    expect(started[1].api.init).toHaveBeenCalledWith(expect.objectContaining({ backend: 'webgl' }), expect.any(Function));
    expect(store.getState().runtime[0].notice).toMatch(/device was lost.*on webgl resumed the run from its checkpoint at step 12/);
  });

  test('a run a worker trains is renamed by that worker, the others in the store; a training run is not deleted', async () => {
    const inStore: string[] = [];
    const deleted: string[] = [];
    const runs = Object.assign(savedRuns(), { rename: async (id: string) => void inStore.push(id), delete: async (id: string) => void deleted.push(id) });
    const { store, controller, started } = setUp('backend=wasm&width=16&seeds=1', undefined, runs);
    void controller.start();
    await vi.waitFor(() => expect(started.length === 2 && started.every((w) => w.spec?.persist)).toBe(true));
    const [a, b] = started.map((w) => w.spec!.persist!);
    const listed = () => store.getState().setLibrary({ comparisons: [{ id: a.comparisonId, runs: [a, b].map((p) => ({ id: p.runId, side: p.side, name: p.name }) as RunRecord) }] });
    listed();
    // B's run has just ended in its worker: the worker says so, and the page writes the store.
    started[1].api.renameRun.mockResolvedValueOnce(false);
    await controller.renameComparison(a.comparisonId, 'mine');
    expect(started[0].api.renameRun).toHaveBeenCalledWith(a.runId, 'mine');
    expect(inStore).toEqual([b.runId]);
    listed();
    await controller.deleteComparison(a.comparisonId);
    expect(deleted).toEqual([]);
    expect(store.getState().library.problem).toMatch(/is still training: stop it before deleting it/);
  });

  test('a training worker that stops answering pings is resumed on a fresh worker; three times, then given up naming the attempts', async () => {
    vi.useFakeTimers();
    try {
      const { store, controller, started } = setUp('backend=wasm&width=16&seeds=1&mode=single', undefined, savedRuns());
      void controller.start();
      await vi.waitFor(() => expect(started[0]?.spec?.persist?.runId).toBeTruthy());
      const runId = started[0].spec!.persist!.runId;
      // Answers pings while silent: kept.
      await vi.advanceTimersByTimeAsync(60_000);
      expect(started[0].api.ping).toHaveBeenCalled();
      expect(started).toHaveLength(1);
      // Silent and deaf: after 10 s of silence and 10 s more for the ping, a fresh worker takes the run over.
      started[0].api.ping.mockImplementation(() => new Promise(() => undefined));
      await vi.advanceTimersByTimeAsync(20_000);
      await vi.waitFor(() => expect(started[1]?.resumed).toBe(runId));
      expect(started[0].terminated).toBe(true);
      expect(store.getState().runtime[0].notice).toMatch(/stopped responding.*resumed the run from its checkpoint at step 12/);
      // It keeps failing: two more fresh workers, then the fourth failure is final.
      started[1].crash(new Error('memory access out of bounds'));
      await vi.waitFor(() => expect(started[2]?.resumed).toBe(runId));
      started[2].crash(new Error('memory access out of bounds'));
      await vi.waitFor(() => expect(started[3]?.resumed).toBe(runId));
      started[3].crash(new Error('memory access out of bounds'));
      await vi.waitFor(() => expect(store.getState().runtime[0].phase).toBe('error'));
      expect(started).toHaveLength(4);
      expect(store.getState().runtime[0].error).toMatch(/the A worker failed: memory access out of bounds\. Gave up after 3 attempts to resume the run/);
    } finally {
      vi.useRealTimers();
    }
  });
});
