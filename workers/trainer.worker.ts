/**
 * The trainer worker: a comlink shell that wires the backend choice, the MNIST loader, the core
 * trainer and the run loop together. The science is in src/core; the scheduling in src/runtime.
 */
import * as Comlink from 'comlink';
import { MNIST_PIXELS } from '../src/core/data/mnist';
import type { SaeWeights } from '../src/core/sae/weights';
import { tensorSource, type BatchSource } from '../src/core/train/source';
import { SaeTrainer } from '../src/core/train/trainer';
import { loadMnistWeb } from '../src/io/mnist-web';
import { selectBackend } from '../src/runtime/backend';
import { RunLoop } from '../src/runtime/run-loop';
import type { MetricsBatch, RunEnd, TrainerApi } from '../src/runtime/trainer-api';
import { tfjsWasmUrls } from '../src/runtime/wasm-urls';

let source: BatchSource | null = null;
let trainer: SaeTrainer | null = null;
let loop: RunLoop | null = null;
let running: Promise<RunEnd> | null = null;

async function stopCurrentRun(): Promise<void> {
  loop?.stop();
  await running?.catch(() => undefined);
  trainer?.dispose();
  trainer = null;
}

/** A snapshot's arrays are moved to the page, not copied; each buffer may be listed only once. */
function transferable(weights: SaeWeights): SaeWeights {
  const buffers = new Set([weights.W_enc, weights.b_enc, weights.W_dec, weights.b_dec].map((a) => a.buffer as ArrayBuffer));
  return Comlink.transfer(weights, [...buffers]);
}

const api: TrainerApi = {
  async init({ backend, appBaseUrl, trainLimit }) {
    if (source) throw new Error('the trainer worker is already initialised');
    const report = await selectBackend({ request: backend, wasmPaths: tfjsWasmUrls });
    const mnist = await loadMnistWeb({ baseUrl: appBaseUrl });
    const rows = Math.min(mnist.train.count, trainLimit ?? Infinity);
    source = tensorSource(mnist.train.images.subarray(0, rows * MNIST_PIXELS), MNIST_PIXELS);
    const name = rows < mnist.train.count ? `MNIST train, first ${rows} images` : 'MNIST train';
    return { backend: report, data: { name, size: rows, d_in: MNIST_PIXELS } };
  },

  async start(config, onMetrics) {
    if (!source) throw new Error('call init() before start()');
    if (config.d_in !== source.d_in) throw new Error(`config.d_in is ${config.d_in}, the data has ${source.d_in} columns`);
    await stopCurrentRun();
    trainer = SaeTrainer.create(config, source);
    // onMetrics is a comlink proxy: calls are messages, so don't wait on them between chunks.
    const send = (batch: MetricsBatch) => void Promise.resolve(onMetrics(batch)).catch(() => undefined);
    loop = new RunLoop(trainer, send);
    running = loop.run();
    try {
      return await running;
    } finally {
      (onMetrics as unknown as Comlink.ProxyMethods)[Comlink.releaseProxy]?.();
    }
  },

  pause: () => loop?.pause(),
  resume: () => loop?.resume(),
  stop: () => loop?.stop(),

  async snapshot() {
    if (!trainer) throw new Error('no run to snapshot: call start() first');
    return transferable(await trainer.snapshot());
  },
};

Comlink.expose(api);
