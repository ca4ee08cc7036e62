/**
 * The data of an MNIST worker: fetch MNIST and cut the training split to `trainLimit` images.
 */
import { MNIST_PIXELS, type MnistDataset, type MnistSplit } from '../../core/data/mnist';
import { loadMnistWeb } from '../../io/mnist-web';
import type { TrainerInitOptions, TrainerReady } from '../protocol/trainer-api';

export interface WorkerMnist {
  data: TrainerReady['data'];
  mnist: MnistDataset;
  /** The training images the worker trains on: the first `trainLimit` of MNIST's training split. */
  train: MnistSplit;
}

export async function loadWorkerMnist({ appBaseUrl, trainLimit }: Pick<TrainerInitOptions, 'appBaseUrl' | 'trainLimit'>): Promise<WorkerMnist> {
  const mnist = await loadMnistWeb({ baseUrl: appBaseUrl });
  const train = firstRows(mnist.train, trainLimit ?? Infinity);
  const rows = train.count;
  const name = rows < mnist.train.count ? `MNIST train, first ${rows} images` : 'MNIST train';
  return { data: { name, size: rows, d_in: MNIST_PIXELS }, mnist, train };
}

/** The first `n` digits of a split (all of them when it has fewer), without copying. */
export function firstRows(split: MnistSplit, n: number): MnistSplit {
  const rows = Math.min(split.count, n);
  return { images: split.images.subarray(0, rows * MNIST_PIXELS), labels: split.labels.subarray(0, rows), count: rows };
}
