/**
 * The lab worker: a comlink shell around a LabSession, which trains every seed of one configuration
 * side by side, on MNIST digits or on language-model activation shards, and answers the inspector.
 * The science is in src/core; the scheduling in src/runtime. Results cross to the page with their
 * typed arrays transferred, not copied.
 */
import * as Comlink from 'comlink';
import { foldInputScaleInPlace } from '../src/core/shards/normalise';
import { tensorSource } from '../src/core/train/source';
import { selectBackend } from '../src/runtime/worker/backend';
import type { ImportProgress, LabWorkerApi } from '../src/runtime/protocol/lab-api';
import { LabSession } from '../src/runtime/worker/lab-session';
import type { MnistAnalysis } from '../src/runtime/worker/mnist-analysis';
import { createMnistSession } from '../src/runtime/worker/mnist-session';
import { LmAnalysis } from '../src/runtime/worker/lm-analysis';
import { loadModel, loadLmData, type LoadedModel, type LmData } from '../src/runtime/worker/lm-data';
import { readImportedSaes } from '../src/runtime/worker/import-saes';
import { RunStore } from '../src/runtime/storage/run-store';
import { ownedBuffers } from '../src/runtime/worker/transfer';
import { tfjsWasmUrls } from '../src/runtime/worker/wasm-urls';
import { firstRows, loadWorkerMnist } from '../src/runtime/worker/worker-mnist';

const CLASSIFIER_MIN_DIGITS = 5000;

/** The run store, opened on first use (a run that is not saved never opens it). */
let runStore: Promise<RunStore> | null = null;
const runs = () => (runStore ??= RunStore.open());

type Lab =
  | { kind: 'mnist'; session: LabSession<MnistAnalysis> }
  | { kind: 'lm'; session: LabSession<LmAnalysis>; data: LmData; model: LoadedModel | null };

let lab: Lab | null = null;
/** The import under way, which cancelImport ends between two folders or two seed pairs. */
let importing: AbortController | null = null;

function requireLab(): Lab {
  if (!lab) throw new Error('call init() first');
  return lab;
}

function mnistAnalysis(): Promise<MnistAnalysis> {
  const current = requireLab();
  if (current.kind !== 'mnist') throw new Error('this worker trains on activation shards: digit inspection and steering need MNIST');
  return current.session.latest();
}

function lmLab(): Extract<Lab, { kind: 'lm' }> {
  const current = requireLab();
  if (current.kind !== 'lm') throw new Error('this worker trains on MNIST: contexts, models and text steering need activation shards');
  return current;
}

function transferred<T>(value: T): T {
  return Comlink.transfer(value, ownedBuffers(value));
}

/** Page callbacks are comlink proxies: calls are messages, so never wait on them while training. */
function post<T>(callback: (value: T) => void): (value: T) => void {
  return (value) => void Promise.resolve(callback(transferred(value))).catch(() => undefined);
}

function release(...callbacks: unknown[]): void {
  for (const callback of callbacks) (callback as Comlink.ProxyMethods | undefined)?.[Comlink.releaseProxy]?.();
}

/** Reads the picked SAE folders and shows them as this configuration's seeds, reporting each folder and seed pair. */
async function importInto(current: Lab, files: File[], data: Parameters<typeof readImportedSaes>[1], signal: AbortSignal, report?: (progress: ImportProgress) => void) {
  const onRead = (done: number, total: number, name: string) => report?.({ phase: 'reading', done, total, name });
  const { weights, names, config, note } = await readImportedSaes(files, data, { onRead, signal });
  // SAEs from elsewhere read the raw stream; the lab's rows are normalised (× scale): unfold it (in
  // place: the weights were just read, and at 16,384 latents a copy is 64 MB an SAE).
  const scale = current.kind === 'lm' ? current.data.info.scale : 1;
  report?.({ phase: 'aligning', done: 0, total: (weights.length * (weights.length - 1)) / 2 });
  const onProgress = (done: number, total: number) => report?.({ phase: 'aligning', done, total });
  const snapshot = await current.session.showImported(
    weights.map((w) => foldInputScaleInPlace(w, 1 / scale)),
    config,
    { onProgress, signal },
  );
  return transferred({ snapshot, config, names, note });
}

const api: LabWorkerApi = {
  async init(options, onShardProgress) {
    try {
      if (lab) throw new Error('the lab worker is already initialised');
      const backend = await selectBackend({ request: options.backend, wasmPaths: tfjsWasmUrls });
      if (options.shards) {
        const data = await loadLmData(options.shards, options.shardMaxBytes, onShardProgress && post(onShardProgress));
        // The model may be loaded (or replaced) after a run: analyses read the current one.
        const currentModel = () => (lab?.kind === 'lm' ? lab.model : null);
        const session = new LabSession(tensorSource(data.rows, data.info.d_model), (state) => new LmAnalysis(state, data, currentModel), { runs });
        lab = { kind: 'lm', session, data, model: null };
        const name = `${data.info.synthetic ? 'Synthetic sample' : data.info.model}, ${data.info.hook}`;
        return { backend, data: { name, size: data.info.rows, d_in: data.info.d_model }, mnist: null, shards: data.info };
      }
      const { data, mnist, train } = await loadWorkerMnist(options);
      // The classifier that judges steering learns from at least CLASSIFIER_MIN_DIGITS digits even when
      // the SAEs train on fewer (500 digits gave it 49% held-out accuracy, 3000 gave 82%, all 60,000 95%).
      const classifierTrain = train.count < CLASSIFIER_MIN_DIGITS ? firstRows(mnist.train, CLASSIFIER_MIN_DIGITS) : undefined;
      const created = await createMnistSession(train, mnist.test, { classifierTrain, runs });
      lab = { kind: 'mnist', session: created.session };
      return { backend, data, mnist: { testSize: created.testSize, classifierAccuracy: created.classifierAccuracy }, shards: null };
    } finally {
      release(onShardProgress);
    }
  },

  async start(spec, onMetrics, onSnapshot) {
    try {
      return await requireLab().session.start(spec, post(onMetrics), post(onSnapshot));
    } finally {
      release(onMetrics, onSnapshot);
    }
  },

  async resumeRun(runId, onMetrics, onSnapshot) {
    try {
      return await requireLab().session.resumeSaved(runId, post(onMetrics), post(onSnapshot));
    } finally {
      release(onMetrics, onSnapshot);
    }
  },

  async importSaes(files, onProgress) {
    const current = requireLab();
    const data = current.kind === 'lm' ? { d_in: current.data.info.d_model, hook: current.data.hook, kind: 'lm' as const } : { d_in: current.session.d_in, hook: null, kind: 'mnist' as const };
    importing?.abort(new Error('import replaced by a new one'));
    const controller = new AbortController();
    importing = controller;
    try {
      return await importInto(current, files, data, controller.signal, onProgress && post(onProgress));
    } finally {
      if (importing === controller) importing = null;
      release(onProgress);
    }
  },

  cancelImport: () => importing?.abort(new Error('import cancelled')),

  async openRun(runId, onSnapshot) {
    try {
      return await requireLab().session.openSaved(runId, post(onSnapshot));
    } finally {
      release(onSnapshot);
    }
  },

  renameRun: async (runId, name) => (lab ? lab.session.renameRun(runId, name) : false),
  ping: async () => true,
  pause: () => lab?.session.pause(),
  resume: () => lab?.session.resume(),
  stop: () => lab?.session.stop(),

  pairHeatmap: async (seedA, seedB, range, size) => transferred(await (await requireLab().session.latest()).pairHeatmap(seedA, seedB, range, size)),
  inspect: async (seed, feature) => transferred(await (await mnistAnalysis()).inspect(seed, feature)),
  steer: async (seed, feature, digitIndex, alphas) => transferred(await (await mnistAnalysis()).steer(seed, feature, digitIndex, alphas)),
  steeringSuccess: async (seed, request) => (await requireLab().session.latest()).steeringSuccess(seed, request),
  exportSaeLens: async (seed) => transferred((await requireLab().session.latest()).exportSaeLens(seed)),

  async loadModel(source) {
    const current = lmLab();
    const loaded = await loadModel(source, current.data);
    current.model?.model.dispose();
    current.model = loaded;
    return loaded.info;
  },
  inspectLm: async (seed, feature) => transferred(await (await lmLab().session.latest()).inspectLm(seed, feature)),
  lmFeatureLabels: async (seed) => (await lmLab().session.latest()).lmFeatureLabels(seed),
  steerLm: async (seed, feature, request) => (await lmLab().session.latest()).steerLm(seed, feature, request),
};

Comlink.expose(api);
