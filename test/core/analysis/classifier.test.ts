import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src/core/tf';
import { uploadDigits } from '../../../src/core/analysis';
import { sampleDigits, smallMnistClassifier, useWasmBackend } from './helpers';

beforeAll(useWasmBackend);

describe('DigitClassifier', () => {
  it('reaches at least 0.9 accuracy on 2000 held-out MNIST test digits after training on 8000 digits', async () => {
    const { mnist, classifier } = await smallMnistClassifier(8000);
    const heldOut = uploadDigits(sampleDigits(mnist.test, 2000, 1));
    const accuracy = await classifier.accuracy({ rows: heldOut.rows, labels: heldOut.split.labels });
    expect(accuracy).toBeGreaterThanOrEqual(0.9);

    // Probabilities are a distribution whose argmax is the prediction, independently of accuracy.
    const images = Array.from({ length: 20 }, (_, r) => heldOut.split.images.slice(r * 784, (r + 1) * 784));
    const probabilities = await classifier.probabilitiesOf(images);
    const x = heldOut.rows.gather(Int32Array.from({ length: 20 }, (_, r) => r));
    const predicted = classifier.predict(x);
    const classes = await predicted.data();
    tf.dispose([x, predicted]);
    probabilities.forEach((p, r) => {
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(p.indexOf(Math.max(...p))).toBe(classes[r]);
    });
    heldOut.rows.dispose();
    classifier.dispose();
  });

  it('is seeded: the same seed gives the same classifier, another seed a different one', async () => {
    const config = { hidden: 8, epochs: 1, batchSize: 50, lr: 1e-2, seed: 3 };
    const probe = async (seed: number) => {
      const { mnist, classifier } = await smallMnistClassifier(500, { ...config, seed });
      const [p] = await classifier.probabilitiesOf([mnist.test.images.slice(0, 784)]);
      classifier.dispose();
      return p;
    };
    const [a, b, c] = [await probe(3), await probe(3), await probe(4)];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});
