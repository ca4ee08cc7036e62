/** Where the browser finds MNIST: gzip-compressed copies of the IDX files, shared by the Vite plugin that
 *  serves them and the loader that fetches them. */
import { MNIST_FILES, type MnistFileKey } from '../core/data/mnist';

export const MNIST_ASSET_DIR = 'mnist';

/** Path relative to the app's base URL, e.g. `mnist/train-images-idx3-ubyte.gz`. */
export function mnistAssetPath(key: MnistFileKey): string {
  return `${MNIST_ASSET_DIR}/${MNIST_FILES[key]}.gz`;
}
