import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readDictionaryLearning } from '../../../src/core/formats/dictionary-learning';
import { groupBySeedlessConfig } from '../../../src/core/formats/sweep-groups';
import { Rng } from '../../../src/core/rng';
import type { SaeWeights } from '../../../src/core/sae/weights';

const WRITER = path.resolve(__dirname, '../../helpers/python/torch-save.py');
const dir = mkdtempSync(path.join(tmpdir(), 'dl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let written = 0;

type StateDict = Record<string, { dtype?: string; shape: number[]; values: number[]; parameter?: boolean }>;
function torchSave(tensors: StateDict): Uint8Array {
  const file = path.join(dir, `ae-${written++}.pt`);
  const spec = { archive: 'ae', tensors: Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, { dtype: 'float32', ...t }])) };
  execFileSync('python3', [WRITER, file], { input: JSON.stringify(spec) });
  return new Uint8Array(readFileSync(file));
}

const rng = new Rng(11);
const floats = (n: number) => Array.from({ length: n }, () => Math.fround(rng.normal()));
const D_IN = 5;
const D_SAE = 7;

function trainerConfig(dictClass: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    trainer: { dict_class: dictClass, activation_dim: D_IN, dict_size: D_SAE, seed: 2, lm_name: 'EleutherAI/pythia-70m-deduped', layer: 3, submodule_name: 'resid_post_layer_3', ...extra },
    buffer: { d_submodule: D_IN },
  });
}

/** dictionary_learning's own forward pass, on its state dict's tensors as stored (nn.Linear: y = W x + b). */
function referenceEncode(enc: number[], encBias: number[], dec: number[], bias: number[], x: number[]): { pre: number[]; recon: (f: number[]) => number[] } {
  const centred = x.map((v, i) => v - bias[i]);
  const pre = Array.from({ length: D_SAE }, (_, j) => encBias[j] + centred.reduce((s, v, i) => s + enc[j * D_IN + i] * v, 0));
  const recon = (f: number[]) => Array.from({ length: D_IN }, (_, i) => bias[i] + f.reduce((s, v, j) => s + dec[i * D_SAE + j] * v, 0));
  return { pre, recon };
}

/** The lab's forward pass on mapped weights: z = (x − b_dec) W_enc + b_enc, x̂ = f W_dec + b_dec. */
function labEncode(w: SaeWeights, x: number[]): { pre: number[]; recon: (f: number[]) => number[] } {
  const pre = Array.from({ length: w.d_sae }, (_, j) => w.b_enc[j] + x.reduce((s, v, i) => s + (v - w.b_dec[i]) * w.W_enc[i * w.d_sae + j], 0));
  const recon = (f: number[]) => Array.from({ length: w.d_in }, (_, i) => w.b_dec[i] + f.reduce((s, v, j) => s + v * w.W_dec[j * w.d_in + i], 0));
  return { pre, recon };
}

function expectSameForward(w: SaeWeights, enc: number[], encBias: number[], dec: number[], bias: number[]) {
  for (let trial = 0; trial < 3; trial++) {
    const x = floats(D_IN);
    const f = floats(D_SAE).map((v) => Math.max(0, v));
    const ref = referenceEncode(enc, encBias, dec, bias, x);
    const lab = labEncode(w, x);
    lab.pre.forEach((v, j) => expect(v).toBeCloseTo(ref.pre[j], 5));
    lab.recon(f).forEach((v, i) => expect(v).toBeCloseTo(ref.recon(f)[i], 5));
  }
}

describe('dictionary_learning trainer folders', () => {
  test('AutoEncoder (ReLU): nn.Linear weights map onto W_enc and W_dec so that both forward passes agree', () => {
    const [enc, encBias, dec, bias] = [floats(D_SAE * D_IN), floats(D_SAE), floats(D_IN * D_SAE), floats(D_IN)];
    const ae = torchSave({
      'encoder.weight': { shape: [D_SAE, D_IN], values: enc, parameter: true },
      'encoder.bias': { shape: [D_SAE], values: encBias, parameter: true },
      'decoder.weight': { shape: [D_IN, D_SAE], values: dec, parameter: true },
      bias: { shape: [D_IN], values: bias, parameter: true },
    });
    const sae = readDictionaryLearning({ 'config.json': trainerConfig('AutoEncoder', { l1_penalty: 0.04 }), 'ae.pt': ae }, 'sweep/trainer_0');
    expect(sae.architecture).toEqual({ kind: 'relu' });
    expect(sae).toMatchObject({ seed: 2, hookName: 'blocks.3.hook_resid_post', modelName: 'EleutherAI/pythia-70m-deduped' });
    expect(sae.weights).toMatchObject({ d_in: D_IN, d_sae: D_SAE });
    expectSameForward(sae.weights, enc, encBias, dec, bias);
  });

  test('AutoEncoderTopK and BatchTopKSAE read k and the threshold from their buffers', () => {
    const [enc, encBias, dec, bias] = [floats(D_SAE * D_IN), floats(D_SAE), floats(D_IN * D_SAE), floats(D_IN)];
    const state = (threshold: number): StateDict => ({
      k: { dtype: 'int32', shape: [], values: [3] },
      threshold: { shape: [], values: [threshold] },
      'decoder.weight': { shape: [D_IN, D_SAE], values: dec, parameter: true },
      'encoder.weight': { shape: [D_SAE, D_IN], values: enc, parameter: true },
      'encoder.bias': { shape: [D_SAE], values: encBias, parameter: true },
      b_dec: { shape: [D_IN], values: bias, parameter: true },
    });
    const topk = readDictionaryLearning({ 'config.json': trainerConfig('AutoEncoderTopK', { k: 3 }), 'ae.pt': torchSave(state(-1)) }, 'topk');
    expect(topk.architecture).toEqual({ kind: 'topk', k: 3 });
    expectSameForward(topk.weights, enc, encBias, dec, bias);
    const batch = readDictionaryLearning({ 'config.json': trainerConfig('BatchTopKSAE', { k: 3 }), 'ae.pt': torchSave(state(0.25)) }, 'batch');
    expect(batch.architecture).toEqual({ kind: 'batchtopk', k: 3, threshold: 0.25 });
    expect(() => readDictionaryLearning({ 'config.json': trainerConfig('AutoEncoderTopK', { k: 4 }), 'ae.pt': torchSave(state(-1)) }, 'liar')).toThrow(
      /liar\/ae\.pt: k = 3, but config\.json says k = 4/,
    );
  });

  test('a tensor whose shape disagrees with config.json is named with the file', () => {
    const ae = torchSave({
      'encoder.weight': { shape: [D_SAE, D_IN + 1], values: floats(D_SAE * (D_IN + 1)) },
      'encoder.bias': { shape: [D_SAE], values: floats(D_SAE) },
      'decoder.weight': { shape: [D_IN, D_SAE], values: floats(D_IN * D_SAE) },
      bias: { shape: [D_IN], values: floats(D_IN) },
    });
    expect(() => readDictionaryLearning({ 'config.json': trainerConfig('AutoEncoder'), 'ae.pt': ae }, 'sweep/trainer_4')).toThrow(
      /sweep\/trainer_4\/ae\.pt: tensor "encoder\.weight" has shape \[7, 6\], expected \[dict_size, activation_dim\] = \[7, 5\]/,
    );
    expect(() => readDictionaryLearning({ 'config.json': trainerConfig('GatedAutoEncoder'), 'ae.pt': ae }, 'g')).toThrow(/g\/config\.json: dict_class "GatedAutoEncoder" is not supported/);
    expect(() => readDictionaryLearning({ 'config.json': '{"buffer": {}}', 'ae.pt': ae }, 'n')).toThrow(/n\/config\.json: has no "trainer" object/);
  });
});

describe('sweep folders group into configurations', () => {
  const member = (name: string, seed: number, l2: number, extra: Record<string, unknown> = {}) => ({
    name,
    config: { trainer: { dict_class: 'AutoEncoderTopK', k: 40, lr: 5e-5, l2_penalty: l2, seed, wandb_name: `run_${name}`, ...extra }, buffer: { ctx_len: 128 } },
  });

  test('SAEs that differ only by seed form one configuration, named by the settings that differ', () => {
    const members = [member('trainer_10', 2, 1e-4), member('trainer_0', 0, 0), member('trainer_1', 1, 0), member('trainer_2', 2, 0), member('trainer_3', 0, 1e-4), member('trainer_4', 1, 1e-4)];
    const groups = groupBySeedlessConfig(members);
    expect(groups.map((g) => g.label)).toEqual(['trainer.l2_penalty 0', 'trainer.l2_penalty 0.0001']);
    expect(groups.map((g) => g.members.map((i) => members[i].name))).toEqual([
      ['trainer_0', 'trainer_1', 'trainer_2'],
      ['trainer_3', 'trainer_4', 'trainer_10'],
    ]);
    expect(groups[1].differing).toEqual({ 'trainer.l2_penalty': 1e-4 });
  });

  test('every differing setting is in the label, and one configuration is "all"', () => {
    const groups = groupBySeedlessConfig([member('a', 0, 0, { k: 20 }), member('b', 1, 0, { k: 40 }), member('c', 0, 1e-4, { k: 40 })]);
    expect(groups.map((g) => g.label)).toEqual(['trainer.k 20, trainer.l2_penalty 0', 'trainer.k 40, trainer.l2_penalty 0', 'trainer.k 40, trainer.l2_penalty 0.0001']);
    expect(groupBySeedlessConfig([member('a', 0, 0), member('b', 1, 0)]).map((g) => g.label)).toEqual(['all']);
  });
});
