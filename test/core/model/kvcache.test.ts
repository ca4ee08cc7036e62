import { afterAll, describe, expect, it } from 'vitest';
import { generate, GptNeox, parseGptNeoxConfig, softmax } from '../../../src/core/model';
import { tf } from '../../../src/core/tf';
import { buildTinyNeox, TINY_SIZES } from '../../helpers/tiny-neox';
import { relativeError } from './reference-neox';

const neox = buildTinyNeox({ seed: 5 });
const model = GptNeox.fromSafetensors(neox.safetensors, parseGptNeoxConfig(neox.config));
afterAll(() => model.dispose());

const SEQUENCE = [4, 19, 33, 2, 47, 10, 10, 25, 38, 7, 13, 30, 1, 44];
const V = TINY_SIZES.vocab;

/** Logits [seq][vocab] of one uncached forward over `tokens`. */
async function uncachedRows(tokens: number[]): Promise<Float32Array[]> {
  const { logits } = model.forward([tokens]);
  const data = (await logits!.data()) as Float32Array;
  logits!.dispose();
  return tokens.map((_, i) => data.slice(i * V, (i + 1) * V));
}

describe('KV cache', () => {
  it('feeding chunks through the cache gives the uncached logits at every position', async () => {
    const expected = await uncachedRows(SEQUENCE);
    const cache = model.createCache();
    // A prompt chunk, then single tokens, then a short chunk: every path through attention.
    const chunks = [SEQUENCE.slice(0, 5), ...SEQUENCE.slice(5, 10).map((t) => [t]), SEQUENCE.slice(10)];
    let position = 0;
    for (const chunk of chunks) {
      const { logits } = model.forward([chunk], { cache });
      const data = (await logits!.data()) as Float32Array;
      logits!.dispose();
      chunk.forEach((_, i) => expect(relativeError(data.subarray(i * V, (i + 1) * V), expected[position + i])).toBeLessThan(1e-5));
      position += chunk.length;
      expect(cache.length).toBe(position);
    }
    cache.dispose();
  });

  it('generation step by step equals the uncached forward over prompt + generated tokens', async () => {
    const prompt = SEQUENCE.slice(0, 4);
    const { tokens, distributions } = await generate(model, prompt, { maxNewTokens: 8, temperature: 0.9, topP: 0.95, seed: 3, returnDistributions: true });
    expect(tokens).toHaveLength(8);
    const expected = await uncachedRows([...prompt, ...tokens.slice(0, -1)]);
    distributions!.forEach((distribution, step) => {
      expect(relativeError(distribution, softmax(expected[prompt.length - 1 + step]))).toBeLessThan(1e-5);
    });
  });

  it('leaves the cache unchanged when a forward fails, and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const cache = model.createCache();
    model.forward([SEQUENCE.slice(0, 3)], { cache }).logits!.dispose();
    expect(() => model.forward([[1, 999]], { cache })).toThrow(/token 999/);
    expect(() => model.forward([[1], [2]], { cache })).toThrow(/batch size 1/);
    expect(cache.length).toBe(3);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => model.forward([[1]], { cache })).toThrow(/after dispose/);
  });

  it('refuses a cache that would run past max_position_embeddings', () => {
    const cache = model.createCache();
    model.forward([new Array(TINY_SIZES.maxPositions - 1).fill(3)], { cache }).logits!.dispose();
    model.forward([[3]], { cache }).logits!.dispose();
    expect(() => model.forward([[3]], { cache })).toThrow(/positions up to 64 exceed max_position_embeddings 64/);
    cache.dispose();
  });
});
