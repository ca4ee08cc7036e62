/**
 * The start of every MNIST worker: pick the tfjs backend, fetch MNIST, and cut the training split
 * to `trainLimit` images. Browser only (the wasm binaries' URLs come from Vite).
 */
import { MNIST_PIXELS, type MnistDataset, type MnistSplit } from '../core/data/mnist';
import { loadMnistWeb } from '../io/mnist-web';
import { selectBackend } from './backend';
import type { TrainerInitOptions, TrainerReady } from './trainer-api';
import { tfjsWasmUrls } from './wasm-urls';

export interface WorkerMnist extends TrainerReady {
  mnist: MnistDataset;
  /** The training images the worker trains on: the first `trainLimit` of MNIST's training split. */
  train: MnistSplit;
}

export async function loadWorkerMnist({ backend, appBaseUrl, trainLimit }: TrainerInitOptions): Promise<WorkerMnist> {
  const report = await selectBackend({ request: backend, wasmPaths: tfjsWasmUrls });
  const mnist = await loadMnistWeb({ baseUrl: appBaseUrl });
  const rows = Math.min(mnist.train.count, trainLimit ?? Infinity);
  const train: MnistSplit = {
    images: mnist.train.images.subarray(0, rows * MNIST_PIXELS),
    labels: mnist.train.labels.subarray(0, rows),
    count: rows,
  };
  const name = rows < mnist.train.count ? `MNIST train, first ${rows} images` : 'MNIST train';
  return { backend: report, data: { name, size: rows, d_in: MNIST_PIXELS }, mnist, train };
}
