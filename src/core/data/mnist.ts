/** MNIST as the lab uses it: images flattened to 784 pixels scaled to [0, 1], labels 0–9. */
import { parseIdx, type IdxArray } from '../formats/idx';

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
export const MNIST_CLASSES = 10;

/** The four files of the original distribution (uncompressed IDX). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export type MnistFileKey = keyof typeof MNIST_FILES;
export type MnistFileBytes = Record<MnistFileKey, Uint8Array>;

export interface MnistSplit {
  /** [count, 784] row-major, pixels in [0, 1]. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

export interface MnistDataset {
  train: MnistSplit;
  test: MnistSplit;
}

function expectU8(array: IdxArray, ndim: number, fileName: string): Uint8Array {
  if (array.dtype !== 'u8' || array.dims.length !== ndim) {
    throw new Error(`${fileName}: expected ${ndim}-D u8 IDX, got ${array.dims.length}-D ${array.dtype} [${array.dims.join('×')}]`);
  }
  return array.data as Uint8Array;
}

/** Builds one split from its images and labels files; the names are for error messages. */
export function mnistSplitFromIdx(imagesFile: Uint8Array, labelsFile: Uint8Array, imagesName: string, labelsName: string): MnistSplit {
  const imagesIdx = parseIdx(imagesFile, imagesName);
  const pixels = expectU8(imagesIdx, 3, imagesName);
  const [count, rows, cols] = imagesIdx.dims;
  if (rows !== MNIST_SIDE || cols !== MNIST_SIDE) {
    throw new Error(`${imagesName}: images are ${rows}×${cols}, expected ${MNIST_SIDE}×${MNIST_SIDE}`);
  }
  const labelsIdx = parseIdx(labelsFile, labelsName);
  const labels = expectU8(labelsIdx, 1, labelsName);
  if (labels.length !== count) {
    throw new Error(`${labelsName}: has ${labels.length} labels but ${imagesName} has ${count} images`);
  }
  const badLabel = labels.findIndex((label) => label >= MNIST_CLASSES);
  if (badLabel >= 0) throw new Error(`${labelsName}: label ${labels[badLabel]} at index ${badLabel} is not a digit 0–9`);

  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = pixels[i] / 255;
  // Copy the labels so the split does not keep the whole file buffer alive through a view.
  return { images, labels: labels.slice(), count };
}

/** Loads the four files concurrently with `load` (a disk read, a fetch, …). */
export async function gatherMnistFiles(load: (key: MnistFileKey) => Promise<Uint8Array>): Promise<MnistFileBytes> {
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    (['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const).map(load),
  );
  return { trainImages, trainLabels, testImages, testLabels };
}

export function mnistFromIdx(files: MnistFileBytes): MnistDataset {
  return {
    train: mnistSplitFromIdx(files.trainImages, files.trainLabels, MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    test: mnistSplitFromIdx(files.testImages, files.testLabels, MNIST_FILES.testImages, MNIST_FILES.testLabels),
  };
}
