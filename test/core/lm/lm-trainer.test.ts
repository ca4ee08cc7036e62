import { afterEach, describe, expect, it } from 'vitest';
import { openSafetensors } from '../../../src/core/formats/safetensors';
import { decodeLmCheckpoint, encodeLmCheckpoint } from '../../../src/core/lm/lm-checkpoint';
import { exportHfModel } from '../../../src/core/lm/lm-export';
import { LM_TRAINER_DEFAULTS, LmTrainer, windowSource, type LmBatchSource, type LmTrainerOptions } from '../../../src/core/lm/lm-trainer';
import { GptNeox, parseGptNeoxConfig } from '../../../src/core/model';
import { trainingConfig } from '../../../src/core/model/trainable-weights';
import { Rng } from '../../../src/core/rng';

const VOCAB = 16;
const CONTEXT = 16;

/** A Markov stream: with probability 0.9 the next token is (3·prev + 1) mod 16, else uniform. */
function markovStream(length: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const out = new Int32Array(length);
  for (let i = 1; i < length; i++) out[i] = rng.next() < 0.9 ? (3 * out[i - 1] + 1) % VOCAB : Math.floor(rng.next() * VOCAB);
  return out;
}

/** Entropy (nats) of the stream's token frequencies: the best loss of a model that ignores context. */
function unigramEntropy(tokens: Int32Array): number {
  const counts = new Float64Array(VOCAB);
  for (const t of tokens) counts[t] += 1;
  return -counts.reduce((acc, c) => (c > 0 ? acc + (c / tokens.length) * Math.log(c / tokens.length) : acc), 0);
}

function options(steps: number, seed = 0, lr = 3e-3, layers = 2): LmTrainerOptions {
  return {
    ...LM_TRAINER_DEFAULTS,
    config: trainingConfig({ layers, dModel: 32, heads: 2, context: CONTEXT, vocabSize: VOCAB }),
    seed,
    schedule: { lr, warmupSteps: 10, totalSteps: steps, finalFraction: 0.1 },
    evalBatch: 16,
  };
}

const TRAIN = markovStream(20_000, 1);
const HELD_OUT = markovStream(2_000, 2);
const source = (): LmBatchSource => windowSource(TRAIN, HELD_OUT, { batch: 8, context: CONTEXT, seed: 7, evalWindows: 32 });

let trainers: LmTrainer[] = [];
const trainer = (opts: LmTrainerOptions) => {
  const t = new LmTrainer(opts, source());
  trainers.push(t);
  return t;
};
afterEach(() => {
  for (const t of trainers) t.dispose();
  trainers = [];
});

async function run(t: LmTrainer, steps: number): Promise<void> {
  for (let i = 0; i < steps; i++) await t.trainStep();
}

const bytesOf = (arrays: Float32Array[]) => arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'));

describe('LmTrainer', () => {
  it('learns a Markov stream: held-out loss far below log(vocab) and the unigram entropy', async () => {
    const steps = 60;
    const t = trainer(options(steps, 0, 1e-2, 1));
    const before = await t.evaluate();
    expect(before).toBeGreaterThan(Math.log(VOCAB) - 0.3);
    let last = null;
    for (let i = 0; i < steps; i++) last = (await t.trainStep(i === steps - 1)) ?? last;
    const after = await t.evaluate();
    expect(last?.step).toBe(steps - 1);
    expect(Number.isFinite(last?.gradNorm)).toBe(true);
    expect(unigramEntropy(HELD_OUT)).toBeGreaterThan(2.5);
    // The stream's own entropy is about 0.57 nats; a model that uses the previous token gets near it.
    expect(after).toBeLessThan(0.9);
  });

  it('is reproducible, and a checkpointed, resumed run ends with the same bytes as an uninterrupted one', async () => {
    const n = 4;
    const straight = trainer(options(2 * n));
    await run(straight, 2 * n);
    const expected = await straight.capture();

    const again = trainer(options(2 * n));
    await run(again, 2 * n);
    expect(bytesOf((await again.capture()).params)).toEqual(bytesOf(expected.params));

    const first = trainer(options(2 * n));
    await run(first, n);
    const bytes = encodeLmCheckpoint({ state: await first.capture(), run: { note: 'test' } });
    const { state, run: saved } = decodeLmCheckpoint(bytes);
    expect(saved).toEqual({ note: 'test' });
    const resumed = trainer(options(2 * n));
    resumed.restore(state);
    expect(resumed.step).toBe(n);
    await run(resumed, n);
    const end = await resumed.capture();
    expect(bytesOf(end.params)).toEqual(bytesOf(expected.params));
    expect(bytesOf(end.m)).toEqual(bytesOf(expected.m));
    expect(bytesOf(end.v)).toEqual(bytesOf(expected.v));

    // And the check can fail: another seed gives other weights.
    const other = trainer(options(2 * n, 1));
    await run(other, 2 * n);
    expect(bytesOf((await other.capture()).params)).not.toEqual(bytesOf(expected.params));
  });

  it('exports a Hugging Face folder that loads back through GptNeox.fromSafetensors with the same logits', async () => {
    const t = trainer(options(20));
    await run(t, 20);
    const files = await exportHfModel(t.model.config, t.model.weights, { trained_on: 'synthetic' });
    const config = parseGptNeoxConfig(JSON.parse(JSON.stringify(files.config)));
    expect(config).toEqual(t.model.config);
    expect(files.config).toMatchObject({ rotary_pct: 0.25, use_parallel_residual: true, tie_word_embeddings: false, intermediate_size: 128, torch_dtype: 'float16', trained_on: 'synthetic' });
    const reader = openSafetensors(files.safetensors, 'model.safetensors');
    expect([...reader.entries.values()].every((e) => e.dtype === 'F16')).toBe(true);
    expect(reader.entries.get('embed_out.weight')?.shape).toEqual([VOCAB, 32]);
    expect(reader.entries.get('gpt_neox.layers.1.mlp.dense_h_to_4h.weight')?.shape).toEqual([128, 32]);

    const loaded = GptNeox.fromSafetensors(files.safetensors, config);
    const fresh = trainer(options(20)); // untrained: the comparison must tell trained weights apart
    const tokens = [Array.from(HELD_OUT.subarray(0, CONTEXT))];
    const logitsOf = async (model: GptNeox) => {
      const { logits } = model.forward(tokens);
      const data = (await logits!.data()) as Float32Array;
      logits!.dispose();
      return data;
    };
    const [trained, reloaded, untrained] = await Promise.all([logitsOf(t.model), logitsOf(loaded), logitsOf(fresh.model)]);
    loaded.dispose();
    const relative = (a: Float32Array, b: Float32Array) => {
      let diff = 0;
      let scale = 0;
      a.forEach((x, i) => {
        diff = Math.max(diff, Math.abs(x - b[i]));
        scale = Math.max(scale, Math.abs(b[i]));
      });
      return diff / scale;
    };
    expect(relative(reloaded, trained)).toBeLessThan(5e-3); // f16 rounding of the weights
    expect(relative(untrained, trained)).toBeGreaterThan(0.1);
  });
});
