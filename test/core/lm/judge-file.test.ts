import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/core/lm/concept-classifier';
import { readJudgeFile, roundedToFloat32, writeJudgeFile, type JudgeFile } from '../../../src/core/lm/judge-file';
import { writeSafetensors } from '../../../src/core/formats/safetensors';
import { Rng } from '../../../src/core/rng';

function judge(): JudgeFile {
  const rng = new Rng(3);
  const classifier = roundedToFloat32({ vocabSize: 20, classes: 3, weights: Float64Array.from({ length: 60 }, () => rng.normal()), bias: Float64Array.from([0.1, -0.2, 0.3]) });
  return { classifier, categories: ['noun.animal', 'noun.plant', 'verb.motion'], accuracy: 0.5, majority: 0.2, heldOut: 40 };
}

describe('the concept judge file', () => {
  it('reads back the judge it wrote, so every text gets the same class', () => {
    const original = judge();
    const read = readJudgeFile(writeJudgeFile(original), 'j.safetensors');
    expect(read).toEqual(original);
    const rng = new Rng(9);
    for (let i = 0; i < 50; i++) {
      const tokens = Array.from({ length: 1 + Math.floor(rng.next() * 10) }, () => Math.floor(rng.next() * 20));
      expect(classify(read.classifier, tokens)).toBe(classify(original.classifier, tokens));
    }
  });

  it('refuses a file with the wrong shapes, non-finite weights or bad metadata, naming the file', () => {
    const { classifier } = judge();
    const write = (weights: Float32Array, shape: number[], metadata: Record<string, string>) =>
      writeSafetensors({ weights: { dtype: 'F32', shape, data: weights }, bias: { dtype: 'F32', shape: [3], data: new Float32Array(3) } }, { metadata });
    const good = { categories: '["a","b","c"]', accuracy: '0.5', majority: '0.1', held_out: '10' };
    const weights = Float32Array.from(classifier.weights);
    expect(() => readJudgeFile(write(weights, [20, 3], good), 'ok.safetensors')).not.toThrow();
    expect(() => readJudgeFile(write(weights.slice(0, 40), [20, 2], good), 'two.safetensors')).toThrow(/two\.safetensors: "bias" must be \[2\]/);
    const nan = weights.slice();
    nan[7] = NaN;
    expect(() => readJudgeFile(write(nan, [20, 3], good), 'nan.safetensors')).toThrow(/nan\.safetensors: "weights" has NaN at index 7/);
    expect(() => readJudgeFile(write(weights, [20, 3], { ...good, categories: '["a"]' }), 'names.safetensors')).toThrow(/names\.safetensors: metadata "categories"/);
    expect(() => readJudgeFile(write(weights, [20, 3], { ...good, accuracy: '7' }), 'acc.safetensors')).toThrow(/acc\.safetensors: metadata "accuracy"/);
    expect(() => readJudgeFile(new TextEncoder().encode('not a judge'), 'text.safetensors')).toThrow(/text\.safetensors/);
  });
});
