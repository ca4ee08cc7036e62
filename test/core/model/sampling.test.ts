import { afterAll, describe, expect, it } from 'vitest';
import { argmax, createSampler, generate, GptNeox, nucleus, parseGptNeoxConfig } from '../../../src/core/model';
import { buildTinyNeox } from '../../helpers/tiny-neox';

/** A hand-made distribution: probabilities 0.4, 0.3, 0.15, 0.1, 0.05 at shuffled indices. */
const PROBABILITIES = [0.1, 0.4, 0.05, 0.3, 0.15];
const LOGITS = PROBABILITIES.map(Math.log);

function counts(sample: (logits: number[]) => number, draws: number): number[] {
  const out = new Array<number>(LOGITS.length).fill(0);
  for (let i = 0; i < draws; i++) out[sample(LOGITS)]++;
  return out;
}

describe('nucleus', () => {
  it('keeps the most probable tokens until their mass reaches topP', () => {
    expect(nucleus(PROBABILITIES, 0.5)).toEqual([1, 3]); // 0.4 < 0.5, then 0.7 ≥ 0.5
    expect(nucleus(PROBABILITIES, 0.7)).toEqual([1, 3]); // reaching topP exactly stops
    expect(nucleus(PROBABILITIES, 0.71)).toEqual([1, 3, 4]);
    expect(nucleus(PROBABILITIES, 0.1)).toEqual([1]); // never empty
    expect(nucleus(PROBABILITIES, 1)).toHaveLength(5);
  });
});

describe('sampler', () => {
  it('draws only from the nucleus, in proportion to the renormalised probabilities', () => {
    const draws = 4000;
    const seen = counts(createSampler({ temperature: 1, topP: 0.8, seed: 1 }), draws);
    expect(seen[0] + seen[2]).toBe(0); // 0.1 and 0.05 lie outside the 0.85-mass nucleus {0.4, 0.3, 0.15}
    const mass = 0.85;
    for (const [index, p] of [[1, 0.4], [3, 0.3], [4, 0.15]]) expect(seen[index] / draws).toBeCloseTo(p / mass, 1);
  });

  it('samples every token without top-p, and sharpens with a low temperature', () => {
    const all = counts(createSampler({ temperature: 1, seed: 2 }), 4000);
    expect(all.every((count) => count > 0)).toBe(true);
    expect(all[2] / 4000).toBeCloseTo(0.05, 1);
    const cold = counts(createSampler({ temperature: 0.2, seed: 2 }), 2000);
    expect(cold[1] / 2000).toBeGreaterThan(0.7);
  });

  it('is greedy at temperature 0', () => {
    const sample = createSampler({ temperature: 0, topP: 0.3, seed: 5 });
    expect(counts(sample, 50)).toEqual([0, 50, 0, 0, 0]);
    expect(argmax([1, 3, 3, 2])).toBe(1);
  });

  it('repeats with the same seed and differs with another', () => {
    const run = (seed: number) => Array.from({ length: 64 }, ((sample) => () => sample(LOGITS))(createSampler({ temperature: 1.3, topP: 0.95, seed })));
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('rejects bad settings', () => {
    expect(() => createSampler({ temperature: -1 })).toThrow(/temperature -1/);
    expect(() => createSampler({ topP: 0 })).toThrow(/topP 0/);
    expect(() => createSampler({ topP: 1.5 })).toThrow(/topP 1.5/);
  });
});

describe('generate', () => {
  const neox = buildTinyNeox({ seed: 11 });
  const model = GptNeox.fromSafetensors(neox.safetensors, parseGptNeoxConfig(neox.config));
  afterAll(() => model.dispose());
  const prompt = [5, 9, 14];

  it('gives the same tokens for the same seed', async () => {
    const options = { maxNewTokens: 12, temperature: 1, topP: 0.9 };
    const first = await generate(model, prompt, { ...options, seed: 1 });
    expect(first.tokens).toHaveLength(12);
    expect((await generate(model, prompt, { ...options, seed: 1 })).tokens).toEqual(first.tokens);
    expect((await generate(model, prompt, { ...options, seed: 2 })).tokens).not.toEqual(first.tokens);
  });

  it('stops after a stop token and checks its arguments', async () => {
    const free = await generate(model, prompt, { maxNewTokens: 6, temperature: 0 });
    const stopped = await generate(model, prompt, { maxNewTokens: 6, temperature: 0, stopTokens: [free.tokens[1]] });
    expect(stopped.tokens).toEqual(free.tokens.slice(0, free.tokens.indexOf(free.tokens[1]) + 1));
    await expect(generate(model, [], { maxNewTokens: 2 })).rejects.toThrow(/at least one token/);
    await expect(generate(model, prompt, { maxNewTokens: 70 })).rejects.toThrow(/max_position_embeddings 64/);
  });
});
