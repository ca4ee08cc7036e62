import { describe, expect, it } from 'vitest';
import { readSaeLens, writeSaeLens } from '../../../src/core/formats/saelens';
import { mnistPaperConfig } from '../../../src/core/presets';
import type { SaeWeights } from '../../../src/core/sae/weights';
import { handFile, handParse } from './hand-safetensors';

const d_in = 5;
const d_sae = 3;

/** Distinct values everywhere, so a swapped or transposed tensor cannot pass. */
function sampleWeights(): SaeWeights {
  const values = (count: number, offset: number) => Float32Array.from({ length: count }, (_, i) => Math.fround(Math.sin(offset + i) * 3));
  return { d_in, d_sae, W_enc: values(d_in * d_sae, 0), b_enc: values(d_sae, 100), W_dec: values(d_sae * d_in, 200), b_dec: values(d_in, 300) };
}

const training = mnistPaperConfig({ d_in, d_sae, seed: 2, penalty: { kind: 'l2-unsquared', coeff: 1e-5, on: 'both' }, batchSize: 512 });
const SHAPES = { W_enc: [d_in, d_sae], b_enc: [d_sae], W_dec: [d_sae, d_in], b_dec: [d_in] } as const;
const TENSOR_NAMES = Object.keys(SHAPES) as (keyof typeof SHAPES)[];

describe('SAELens layout writer', () => {
  it('writes cfg.json and float32 weights that a by-hand parser reads back exactly', () => {
    const weights = sampleWeights();
    const files = writeSaeLens(weights, { hookName: 'mnist.pixels', architecture: { kind: 'relu' }, training });
    const cfg = JSON.parse(files['cfg.json']);
    expect(cfg).toMatchObject({ d_in, d_sae, architecture: 'standard', hook_name: 'mnist.pixels', dtype: 'float32', lab_training: training });
    expect(cfg.k).toBeUndefined();

    const parsed = handParse(files['sae_weights.safetensors']);
    expect(Object.keys(parsed.header).sort()).toEqual([...TENSOR_NAMES].sort());
    for (const name of TENSOR_NAMES) {
      expect(parsed.header[name].dtype).toBe('F32');
      expect(parsed.header[name].shape).toEqual(SHAPES[name]);
      const bytes = parsed.bytes(name);
      const values = Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => bytes.getFloat32(4 * i, true));
      expect(values).toEqual(weights[name]);
    }
  });

  it('writes TopK with k and float16 storage, which reads back within half-precision rounding', () => {
    const weights = sampleWeights();
    const files = writeSaeLens(weights, { hookName: 'blocks.3.hook_resid_post', architecture: { kind: 'topk', k: 2 }, dtype: 'float16' });
    const cfg = JSON.parse(files['cfg.json']);
    expect(cfg).toMatchObject({ architecture: 'topk', k: 2, dtype: 'float16' });
    const parsed = handParse(files['sae_weights.safetensors']);
    for (const name of TENSOR_NAMES) {
      const { dtype, shape, data_offsets: [begin, end] } = parsed.header[name];
      expect([dtype, shape, end - begin]).toEqual(['F16', SHAPES[name], 2 * weights[name].length]);
    }
    const loaded = readSaeLens(files, 'runs/seed0');
    expect(loaded.architecture).toEqual({ kind: 'topk', k: 2 });
    expect(loaded.hookName).toBe('blocks.3.hook_resid_post');
    for (const name of TENSOR_NAMES) {
      weights[name].forEach((value, i) => expect(Math.abs(loaded.weights[name][i] - value)).toBeLessThanOrEqual(Math.abs(value) * 2 ** -11));
    }
  });

  it('refuses to write non-finite weights', () => {
    const weights = sampleWeights();
    weights.W_dec[4] = NaN;
    expect(() => writeSaeLens(weights, { hookName: 'h', architecture: { kind: 'relu' } })).toThrow('SAE weight W_dec has NaN at index 4');
  });
});

describe('SAELens layout reader', () => {
  it('reads back what the writer wrote, exactly, with the training settings', () => {
    const weights = sampleWeights();
    const loaded = readSaeLens(writeSaeLens(weights, { hookName: 'h', architecture: { kind: 'relu' }, training }));
    expect(loaded.weights).toEqual(weights);
    expect(loaded.architecture).toEqual({ kind: 'relu' });
    expect(loaded.training).toEqual(training);
  });

  it('accepts bf16 weights and older cfgs that name the activation in activation_fn_str', () => {
    const halves = (count: number, sign: number) => Array.from({ length: count }, (_, i) => (sign * (i + 1)) / 2); // exact in bf16
    const file = handFile({
      W_enc: { dtype: 'BF16', shape: [d_in, d_sae], values: halves(d_in * d_sae, 1) },
      b_enc: { dtype: 'BF16', shape: [d_sae], values: halves(d_sae, -1) },
      W_dec: { dtype: 'BF16', shape: [d_sae, d_in], values: halves(d_sae * d_in, -1) },
      b_dec: { dtype: 'F32', shape: [d_in], values: halves(d_in, 1) },
    });
    const cfg = JSON.stringify({ d_in, d_sae, activation_fn_str: 'topk', activation_fn_kwargs: { k: 3 } });
    const loaded = readSaeLens({ 'cfg.json': cfg, 'sae_weights.safetensors': file });
    expect(loaded.weights.W_enc).toEqual(Float32Array.from(halves(d_in * d_sae, 1)));
    expect(loaded.weights.W_dec).toEqual(Float32Array.from(halves(d_sae * d_in, -1)));
    expect(loaded.architecture).toEqual({ kind: 'topk', k: 3 });
  });

  it("reads SAELens 6's cfg (hook and model in its metadata block) and its JumpReLU SAEs with their per-latent threshold", () => {
    const halves = (count: number, sign: number) => Array.from({ length: count }, (_, i) => (sign * (i + 1)) / 2);
    const threshold = halves(d_sae, 1).map((v) => v / 8);
    const file = handFile({
      W_enc: { dtype: 'F32', shape: [d_in, d_sae], values: halves(d_in * d_sae, 1) },
      b_enc: { dtype: 'F32', shape: [d_sae], values: halves(d_sae, -1) },
      W_dec: { dtype: 'F32', shape: [d_sae, d_in], values: halves(d_sae * d_in, -1) },
      b_dec: { dtype: 'F32', shape: [d_in], values: halves(d_in, 1) },
      threshold: { dtype: 'F32', shape: [d_sae], values: threshold },
    });
    const cfg = JSON.stringify({ architecture: 'jumprelu', d_in, d_sae, dtype: 'float32', metadata: { hook_name: 'blocks.3.hook_resid_post', model_name: 'pythia-70m-deduped', sae_lens_version: '6.5.1' } });
    const loaded = readSaeLens({ 'cfg.json': cfg, 'sae_weights.safetensors': file }, 'jump');
    expect(loaded.architecture).toEqual({ kind: 'jumprelu', threshold: Float32Array.from(threshold) });
    expect(loaded).toMatchObject({ hookName: 'blocks.3.hook_resid_post', modelName: 'pythia-70m-deduped', training: null });
    expect(loaded.weights.W_dec).toEqual(Float32Array.from(halves(d_sae * d_in, -1)));
    const noThreshold = handFile({
      W_enc: { dtype: 'F32', shape: [d_in, d_sae], values: halves(d_in * d_sae, 1) },
      b_enc: { dtype: 'F32', shape: [d_sae], values: halves(d_sae, -1) },
      W_dec: { dtype: 'F32', shape: [d_sae, d_in], values: halves(d_sae * d_in, -1) },
      b_dec: { dtype: 'F32', shape: [d_in], values: halves(d_in, 1) },
    });
    expect(() => readSaeLens({ 'cfg.json': cfg, 'sae_weights.safetensors': noThreshold }, 'jump')).toThrow(/jump\/sae_weights\.safetensors.*threshold/);
  });

  it('reads the EleutherAI sparsify layout, transposing encoder.weight into W_enc', () => {
    const weights = sampleWeights();
    const encoderRows = Array.from({ length: d_sae * d_in }, (_, index) => {
      const [latent, input] = [Math.floor(index / d_in), index % d_in];
      return weights.W_enc[input * d_sae + latent];
    });
    const file = handFile({
      'encoder.weight': { dtype: 'F32', shape: [d_sae, d_in], values: encoderRows },
      'encoder.bias': { dtype: 'F32', shape: [d_sae], values: weights.b_enc },
      W_dec: { dtype: 'F32', shape: [d_sae, d_in], values: weights.W_dec },
      b_dec: { dtype: 'F32', shape: [d_in], values: weights.b_dec },
    });
    const cfg = JSON.stringify({ d_in, num_latents: d_sae, k: 2, expansion_factor: 0, skip_connection: false });
    const loaded = readSaeLens({ 'cfg.json': cfg, 'sae.safetensors': file });
    expect(loaded.weights).toEqual(weights);
    expect(loaded.architecture).toEqual({ kind: 'topk', k: 2 });
  });

  describe('rejects bad input with the file and problem named', () => {
    const good = () => writeSaeLens(sampleWeights(), { hookName: 'h', architecture: { kind: 'topk', k: 2 } });
    const withCfg = (patch: Record<string, unknown>) => {
      const files = good();
      return { ...files, 'cfg.json': JSON.stringify({ ...JSON.parse(files['cfg.json']), ...patch }) };
    };
    const nanWeights = () => {
      const weights = sampleWeights();
      weights.b_dec[2] = Infinity;
      return handFile(Object.fromEntries(TENSOR_NAMES.map((name) => [name, { dtype: 'F32' as const, shape: [...SHAPES[name]], values: weights[name] }])));
    };
    const cases: [string, () => Parameters<typeof readSaeLens>[0], RegExp][] = [
      ['cfg.json not JSON', () => ({ ...good(), 'cfg.json': '{d_in: 5' }), /run7\/cfg\.json: not valid JSON/],
      ['cfg.json without d_in', () => withCfg({ d_in: undefined }), /run7\/cfg\.json: "d_in" is undefined, expected a positive integer/],
      ['cfg d_in disagreeing with the weights', () => withCfg({ d_in: 4 }), /run7\/sae_weights\.safetensors: tensor "W_enc" has shape \[5, 3\], expected \[d_in, d_sae\] = \[4, 3\] from cfg\.json/],
      ['unsupported architecture', () => withCfg({ architecture: 'gated' }), /run7\/cfg\.json: architecture "gated" is not supported \(standard, topk, jumprelu\)/],
      ['topk without k', () => withCfg({ k: undefined, activation_fn_kwargs: {} }), /run7\/cfg\.json: topk needs a positive integer k, got undefined/],
      ['topk k above d_sae', () => withCfg({ k: 4 }), /run7\/cfg\.json: topk k=4 exceeds d_sae=3/],
      ['no weights file', () => ({ 'cfg.json': good()['cfg.json'] }), /run7: needs sae_weights\.safetensors or sae\.safetensors/],
      ['non-finite weights', () => ({ ...good(), 'sae_weights.safetensors': nanWeights() }), /run7\/sae_weights\.safetensors: tensor "b_dec" has Infinity at index 2/],
      ['missing tensor', () => ({ ...good(), 'sae_weights.safetensors': handFile({ W_enc: { dtype: 'F32', shape: [d_in, d_sae], values: new Float32Array(15) } }) }), /run7\/sae_weights\.safetensors: no tensor "b_enc"/],
    ];
    it.each(cases)('%s', (_, files, message) => {
      expect(() => readSaeLens(files(), 'run7')).toThrow(message);
    });
  });
});

describe('lab_training in cfg.json', () => {
  /** The lab's files with cfg.json's lab_training replaced by `edit` of it. */
  const withTraining = (edit: (t: Record<string, unknown>) => unknown) => {
    const files = writeSaeLens(sampleWeights(), { hookName: 'h', architecture: { kind: 'relu' }, training });
    const cfg = JSON.parse(files['cfg.json']);
    return { ...files, 'cfg.json': JSON.stringify({ ...cfg, lab_training: edit(cfg.lab_training) }) };
  };

  it('reads back the exact TrainConfig the lab wrote', () => {
    expect(readSaeLens(withTraining((t) => t)).training).toStrictEqual(training);
  });

  it('refuses a misspelt key by its path, naming the nearest setting, at the top and two deep', () => {
    const typo = withTraining((t) => ({ ...t, penalty: { kind: 'l2', coef: 0.001, coeff: 0, on: 'both' } }));
    expect(() => readSaeLens(typo, 'runs/seed0')).toThrow('runs/seed0/cfg.json: lab_training.penalty.coef is not a setting (did you mean lab_training.penalty.coeff?)');
    const top = withTraining((t) => ({ ...t, batchSise: 4 }));
    expect(() => readSaeLens(top)).toThrow('lab_training.batchSise is not a setting (did you mean lab_training.batchSize?)');
  });

  it('names an out-of-range value with its range, and refuses settings that disagree with the weights', () => {
    expect(() => readSaeLens(withTraining((t) => ({ ...t, optim: { ...(t.optim as object), decayStartFrac: 2 } })))).toThrow(
      'lab_training.optim.decayStartFrac: decay start must be in [0, 1] (got 2)',
    );
    expect(() => readSaeLens(withTraining((t) => ({ ...t, d_sae: 4 })))).toThrow('lab_training describes a 5 → 4 SAE, the weights are 5 → 3');
  });

  it('completes a file written before a setting existed as the lab trained then', () => {
    const old = withTraining((t) => ({ ...t, init: { ...(t.init as object), removeParallelGrad: undefined } }));
    expect(readSaeLens(old).training?.init.removeParallelGrad).toBe(true); // unit-norm decoder: removal was always on
  });

  it('is null for SAEs trained elsewhere', () => {
    expect(readSaeLens(writeSaeLens(sampleWeights(), { hookName: 'h', architecture: { kind: 'relu' } })).training).toBeNull();
  });
});
