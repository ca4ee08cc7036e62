import { afterEach, describe, expect, it } from 'vitest';
import { writeSafetensors } from '../../../src/core/formats/safetensors';
import { GptNeox, parseGptNeoxConfig } from '../../../src/core/model';
import { tf } from '../../../src/core/tf';
import { buildTinyNeox, TINY_SIZES, type TinyNeox } from '../../helpers/tiny-neox';
import { flatten, referenceForward, relativeError } from './reference-neox';

const TOKENS = [3, 17, 42, 0, 8, 8, 29, 49, 11, 5, 36, 21];

function load(neox: TinyNeox): GptNeox {
  return GptNeox.fromSafetensors(neox.safetensors, parseGptNeoxConfig(neox.config));
}

let models: GptNeox[] = [];
const loaded = (neox: TinyNeox) => {
  const model = load(neox);
  models.push(model);
  return model;
};
afterEach(() => {
  for (const model of models) model.dispose();
  models = [];
});

async function logitsOf(model: GptNeox, tokens: number[][]): Promise<Float32Array> {
  const { logits } = model.forward(tokens);
  const data = (await logits!.data()) as Float32Array;
  logits!.dispose();
  return data;
}

describe('GPT-NeoX forward pass against an independent float64 reference', () => {
  for (const parallelResidual of [true, false]) {
    it(`matches logits within 1e-4 (use_parallel_residual ${parallelResidual})`, async () => {
      const neox = buildTinyNeox({ parallelResidual });
      const model = loaded(neox);
      const actual = await logitsOf(model, [TOKENS]);
      const expected = flatten(referenceForward(neox.config, neox.tensors, TOKENS).logits);
      expect(actual.length).toBe(TOKENS.length * TINY_SIZES.vocab);
      expect(relativeError(actual, expected)).toBeLessThan(1e-4);
    });
  }

  it('tells the two residual variants apart (the test above would catch a swapped flag)', async () => {
    const parallel = buildTinyNeox({ parallelResidual: true });
    const expectedSequential = flatten(referenceForward({ ...parallel.config, use_parallel_residual: false }, parallel.tensors, TOKENS).logits);
    const actual = await logitsOf(loaded(parallel), [TOKENS]);
    expect(relativeError(actual, expectedSequential)).toBeGreaterThan(1e-2);
  });

  it('runs a batch: each row equals its own single-sequence forward', async () => {
    const neox = buildTinyNeox({ seed: 2 });
    const model = loaded(neox);
    const rows = [TOKENS.slice(0, 7), TOKENS.slice(5, 12)];
    const actual = await logitsOf(model, rows);
    const perRow = TINY_SIZES.vocab * 7;
    rows.forEach((row, b) => {
      const expected = flatten(referenceForward(neox.config, neox.tensors, row).logits);
      expect(relativeError(actual.subarray(b * perRow, (b + 1) * perRow), expected)).toBeLessThan(1e-4);
    });
  });

  it('returns only the last position with logits: "last"', async () => {
    const neox = buildTinyNeox();
    const model = loaded(neox);
    const { logits } = model.forward([TOKENS], { logits: 'last' });
    expect(logits!.shape).toEqual([1, 1, TINY_SIZES.vocab]);
    const expected = referenceForward(neox.config, neox.tensors, TOKENS).logits.at(-1)!;
    expect(relativeError((await logits!.data()) as Float32Array, expected)).toBeLessThan(1e-4);
    logits!.dispose();
  });

  it('uses embed_in as the unembedding when tie_word_embeddings is true and embed_out is absent', async () => {
    const neox = buildTinyNeox({ tied: true });
    expect(neox.tensors['embed_out.weight']).toBeUndefined();
    const actual = await logitsOf(loaded(neox), [TOKENS]);
    expect(relativeError(actual, flatten(referenceForward(neox.config, neox.tensors, TOKENS).logits))).toBeLessThan(1e-4);
  });

  it('leaves no tensors behind', async () => {
    const model = loaded(buildTinyNeox());
    const before = tf.memory().numTensors;
    await logitsOf(model, [TOKENS]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('weights', () => {
  it('loads f16 weights: exact against the reference on the stored f16 values, close to the f32 model', async () => {
    const f16 = buildTinyNeox({ dtype: 'F16' });
    const f32 = buildTinyNeox({ dtype: 'F32' });
    const fromF16 = await logitsOf(loaded(f16), [TOKENS]);
    expect(relativeError(fromF16, flatten(referenceForward(f16.config, f16.tensors, TOKENS).logits))).toBeLessThan(1e-4);
    const fromF32 = await logitsOf(loaded(f32), [TOKENS]);
    const error = relativeError(fromF16, fromF32);
    expect(error).toBeLessThan(1e-2); // f16 keeps ~3 decimal digits per weight
    expect(error).toBeGreaterThan(0); // the f16 file really was rounded
  });

  it('names the missing tensor and frees what it had loaded', () => {
    const neox = buildTinyNeox();
    const tensors = Object.fromEntries(
      Object.entries(neox.tensors)
        .filter(([name]) => name !== 'gpt_neox.layers.1.mlp.dense_4h_to_h.bias')
        .map(([name, { shape, data }]) => [name, { dtype: 'F32' as const, shape, data }]),
    );
    const before = tf.memory().numTensors;
    expect(() => GptNeox.fromSafetensors(writeSafetensors(tensors), parseGptNeoxConfig(neox.config))).toThrow(
      /model\.safetensors: missing tensor "gpt_neox\.layers\.1\.mlp\.dense_4h_to_h\.bias"/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a tensor whose shape disagrees with config.json', () => {
    const neox = buildTinyNeox();
    const config = parseGptNeoxConfig({ ...neox.config, intermediate_size: 96 });
    expect(() => GptNeox.fromSafetensors(neox.safetensors, config)).toThrow(
      /tensor "gpt_neox\.layers\.0\.mlp\.dense_h_to_4h\.weight" has shape \[128, 32\], but config\.json implies \[96, 32\]/,
    );
  });
});

describe('forward input checks', () => {
  it('rejects bad tokens, ragged batches and positions beyond max_position_embeddings', () => {
    const model = loaded(buildTinyNeox());
    expect(() => model.forward([[1, TINY_SIZES.vocab]])).toThrow(/token 50 at \[0, 1\]/);
    expect(() => model.forward([[1, 2], [3]])).toThrow(/equally long/);
    expect(() => model.forward([])).toThrow(/at least one/);
    expect(() => model.forward([new Array(TINY_SIZES.maxPositions + 1).fill(1)])).toThrow(/max_position_embeddings 64/);
  });
});
