import { afterAll, describe, expect, it } from 'vitest';
import { generate, GptNeox, parseGptNeoxConfig, residPost, residPre, softmax, type HookAddition, type HookName } from '../../../src/core/model';
import { Rng } from '../../../src/core/rng';
import { tf } from '../../../src/core/tf';
import { buildTinyNeox, TINY_SIZES } from '../../helpers/tiny-neox';
import { flatten, referenceForward, relativeError, type ReferenceAddition } from './reference-neox';

const neox = buildTinyNeox({ seed: 9 });
const model = GptNeox.fromSafetensors(neox.safetensors, parseGptNeoxConfig(neox.config));
afterAll(() => model.dispose());

const TOKENS = [12, 40, 3, 3, 27, 8, 31, 16, 45, 22];
const D = TINY_SIZES.hidden;
const V = TINY_SIZES.vocab;
const vector = new Rng(4).fillNormal(new Float32Array(D), 2);

async function read(tensor: tf.Tensor | null | undefined): Promise<Float32Array> {
  const data = (await tensor!.data()) as Float32Array;
  tensor!.dispose();
  return data;
}

async function forwardLogits(additions: HookAddition[]): Promise<Float32Array> {
  return read(model.forward([TOKENS], { additions }).logits);
}

function referenceLogits(additions: ReferenceAddition[]): Float64Array {
  return flatten(referenceForward(neox.config, neox.tensors, TOKENS, additions).logits);
}

describe('reading activations at hooks', () => {
  it('returns resid_pre and resid_post of every block equal to the reference, with resid_post L = resid_pre L+1', async () => {
    const hooks: HookName[] = [residPre(0), residPost(0), residPre(1), residPost(1)];
    const { logits, activations } = model.forward([TOKENS], { capture: hooks });
    logits!.dispose();
    const reference = referenceForward(neox.config, neox.tensors, TOKENS);
    for (const hook of hooks) expect(activations[hook]!.shape).toEqual([1, TOKENS.length, D]);
    const values = Object.fromEntries(await Promise.all(hooks.map(async (hook) => [hook, await read(activations[hook])] as const)));
    for (let layer = 0; layer < TINY_SIZES.layers; layer++) {
      expect(relativeError(values[residPre(layer)], flatten(reference.residPre[layer]))).toBeLessThan(1e-4);
      expect(relativeError(values[residPost(layer)], flatten(reference.residPost[layer]))).toBeLessThan(1e-4);
    }
    expect(values[residPost(0)]).toEqual(values[residPre(1)]);
  });

  it('stops early at stopAt with the same activation and no logits', async () => {
    const full = model.forward([TOKENS], { capture: [residPost(0)] });
    full.logits!.dispose();
    const before = tf.memory().numTensors;
    const early = model.forward([TOKENS], { capture: [residPost(0)], stopAt: residPost(0) });
    expect(early.logits).toBeNull();
    expect(await read(early.activations[residPost(0)])).toEqual(await read(full.activations[residPost(0)]));
    expect(tf.memory().numTensors).toBe(before - 1); // only the full run's capture was freed
    expect(() => model.forward([TOKENS], { capture: [residPre(1)], stopAt: residPost(0) })).toThrow(/after stopAt/);
    expect(() => model.forward([TOKENS], { stopAt: residPost(0), cache: model.createCache() })).toThrow(/stopAt cannot be combined with a cache/);
  });

  it('names unknown hooks', () => {
    expect(() => model.forward([TOKENS], { capture: ['blocks.2.hook_resid_post'] })).toThrow(/Unknown hook "blocks\.2\.hook_resid_post".*L = 0\.\.1/);
    expect(() => model.forward([TOKENS], { capture: ['blocks.0.hook_mlp_out' as HookName] })).toThrow(/Unknown hook/);
  });
});

describe('adding a vector at a hook', () => {
  it('changes the logits exactly as the reference does, at every position', async () => {
    const actual = await forwardLogits([{ hook: residPost(0), vector }]);
    const expected = referenceLogits([{ hook: 'blocks.0.hook_resid_post', vector }]);
    expect(relativeError(actual, expected)).toBeLessThan(1e-4);
    expect(relativeError(actual, referenceLogits([]))).toBeGreaterThan(1e-2); // it did steer
  });

  it('adds only at the given positions; earlier positions are untouched', async () => {
    const positions = [6, 8];
    const actual = await forwardLogits([{ hook: residPre(1), vector: tf.tensor1d(vector), positions }]);
    const expected = referenceLogits([{ hook: 'blocks.1.hook_resid_pre', vector, positions }]);
    expect(relativeError(actual, expected)).toBeLessThan(1e-4);
    const unsteered = await forwardLogits([]);
    expect(actual.subarray(0, 6 * V)).toEqual(unsteered.subarray(0, 6 * V)); // causal: nothing before 6 moves
    expect(relativeError(actual.subarray(6 * V), unsteered.subarray(6 * V))).toBeGreaterThan(1e-2);
  });

  it('is read back at its own hook and seen by the next: resid_post L and resid_pre L+1 both include it', async () => {
    const capture = [residPost(0), residPre(1)];
    const { logits, activations } = model.forward([TOKENS], { capture, additions: [{ hook: residPost(0), vector }] });
    logits!.dispose();
    const reference = referenceForward(neox.config, neox.tensors, TOKENS, [{ hook: 'blocks.0.hook_resid_post', vector }]);
    expect(relativeError(await read(activations[residPost(0)]), flatten(reference.residPost[0]))).toBeLessThan(1e-4);
    expect(relativeError(await read(activations[residPre(1)]), flatten(reference.residPre[1]))).toBeLessThan(1e-4);
  });

  it('rejects a vector of the wrong width, naming the hook', () => {
    expect(() => model.forward([TOKENS], { additions: [{ hook: residPost(1), vector: [1, 2, 3] }] })).toThrow(/blocks\.1\.hook_resid_post: vector has shape \[3\], expected \[32\]/);
  });
});

describe('steering during generation', () => {
  const prompt = TOKENS.slice(0, 4);
  for (const [at, firstPosition] of [['generated', 4], ['last', 3], ['all', 0]] as const) {
    it(`at: '${at}' adds from position ${firstPosition} on, as the reference with the same additions`, async () => {
      const { tokens, distributions } = await generate(model, prompt, {
        maxNewTokens: 5,
        temperature: 0,
        hooks: [{ hook: residPost(0), vector, at }],
        returnDistributions: true,
      });
      const sequence = [...prompt, ...tokens.slice(0, -1)];
      const positions = sequence.map((_, i) => i).filter((i) => i >= firstPosition);
      const reference = referenceForward(neox.config, neox.tensors, sequence, [{ hook: 'blocks.0.hook_resid_post', vector, positions }]);
      distributions!.forEach((distribution, step) => {
        expect(relativeError(distribution, softmax(reference.logits[prompt.length - 1 + step]))).toBeLessThan(1e-4);
      });
    });
  }
});
