import { describe, expect, it } from 'vitest';
import { nextTokenLoss } from '../../../src/core/lm/lm-loss';
import { lmLearningRate, type LmSchedule } from '../../../src/core/lm/lm-schedule';
import { tf } from '../../../src/core/tf';

describe('nextTokenLoss', () => {
  it('is the float64 mean cross-entropy of hand-written logits, also for large logits', async () => {
    const logits = [
      [
        [2, -1, 0.5, 3],
        [0, 0, 0, 0],
      ],
      [
        [1000, 999, -1000, 0], // a naive exp would overflow
        [-3, 4, 1, 1],
      ],
    ];
    const targets = [
      [3, 1],
      [1, 0],
    ];
    let expected = 0;
    logits.flat().forEach((row, i) => {
      const max = Math.max(...row);
      const logSum = max + Math.log(row.reduce((a, z) => a + Math.exp(z - max), 0));
      expected += logSum - row[targets.flat()[i]];
    });
    expected /= 4;
    expect(expected).toBeGreaterThan(Math.log(4) / 4);
    const loss = nextTokenLoss(tf.tensor3d(logits), tf.tensor2d(targets, undefined, 'int32'));
    expect((await loss.data())[0]).toBeCloseTo(expected, 5);
  });

  it('has gradient (softmax − onehot)/N', async () => {
    const z = [0.3, -1.2, 2];
    const logits = tf.tensor2d([z]);
    const grad = tf.grad((x: tf.Tensor) => nextTokenLoss(x, tf.tensor1d([2], 'int32')))(logits);
    const total = z.reduce((a, v) => a + Math.exp(v), 0);
    const expected = z.map((v, i) => Math.exp(v) / total - (i === 2 ? 1 : 0));
    const got = await grad.data();
    expected.forEach((e, i) => expect(got[i]).toBeCloseTo(e, 6));
  });
});

describe('lmLearningRate', () => {
  const schedule: LmSchedule = { lr: 1e-3, warmupSteps: 10, totalSteps: 110, finalFraction: 0.1 };
  const lr = (step: number) => lmLearningRate(schedule, step);

  it('warms up linearly to the peak', () => {
    expect(lr(0)).toBeCloseTo(1e-4, 12);
    expect(lr(4)).toBeCloseTo(5e-4, 12);
    expect(lr(9)).toBeCloseTo(1e-3, 12);
  });

  it('decays by a cosine to 10% at the last step and stays there', () => {
    expect(lr(59)).toBeCloseTo(1e-3 * (0.1 + 0.9 * 0.5), 12); // halfway: cos(π/2) = 0
    expect(lr(109)).toBeCloseTo(1e-4, 12);
    expect(lr(500)).toBeCloseTo(1e-4, 12);
    for (let step = 10; step < 109; step++) expect(lr(step + 1)).toBeLessThan(lr(step));
  });

  it('without warm-up starts at the peak', () => {
    expect(lmLearningRate({ ...schedule, warmupSteps: 0 }, 0)).toBeCloseTo(1e-3, 12);
  });
});
