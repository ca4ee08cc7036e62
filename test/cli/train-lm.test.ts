import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrainLm, type TrainLmFlags } from '../../src/cli/train-lm';
import { GptNeox, parseGptNeoxConfig } from '../../src/core/model';
import { Rng } from '../../src/core/rng';
import { lab } from '../helpers/lab-cli';

const root = mkdtempSync(path.join(tmpdir(), 'train-lm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A learnable stream over 20 ids: mostly +1 mod 19, with id 19 as the end-of-text between "documents".
const rng = new Rng(4);
const ids = new Int32Array(6000);
for (let i = 1; i < ids.length; i++) ids[i] = rng.next() < 0.05 ? 19 : (ids[i - 1] + 1) % 19;
const tokenFile = path.join(root, 'tokens.bin');
writeFileSync(tokenFile, new Uint8Array(ids.buffer));

const small = (out: string, extra: Partial<TrainLmFlags> = {}): TrainLmFlags => ({
  out: path.join(root, out),
  backend: 'cpu',
  tokens: tokenFile,
  eos: 19,
  layers: 1,
  dModel: 16,
  heads: 2,
  context: 8,
  batch: 4,
  steps: 8,
  warmup: 3,
  evalEvery: 4,
  evalWindows: 4,
  ...extra,
});

describe('train-lm', () => {
  it('an interrupted run resumed from its checkpoint writes the same model.safetensors as an uninterrupted one', async () => {
    await runTrainLm(small('straight'));
    await runTrainLm(small('resumed', { ckpt: 1000, stopAfter: 3 }));
    // The resumed run takes its settings from the checkpoint, whatever the command line says.
    await runTrainLm({ out: path.join(root, 'resumed'), backend: 'cpu', tokens: tokenFile, eos: 19, resume: true, ckpt: 1000 });
    const straight = readFileSync(path.join(root, 'straight', 'model.safetensors'));
    const resumed = readFileSync(path.join(root, 'resumed', 'model.safetensors'));
    expect(resumed.equals(straight)).toBe(true);

    const config = JSON.parse(readFileSync(path.join(root, 'straight', 'config.json'), 'utf8'));
    expect(config).toMatchObject({ architectures: ['GPTNeoXForCausalLM'], hidden_size: 16, num_hidden_layers: 1, vocab_size: 20, eos_token_id: 19, tie_word_embeddings: false });
    const model = GptNeox.fromSafetensors(straight, parseGptNeoxConfig(config));
    const { logits } = model.forward([[1, 2, 3]]);
    expect(logits!.shape).toEqual([1, 3, 20]);
    logits!.dispose();
    model.dispose();

    const other = path.join(root, 'other-seed');
    await runTrainLm(small('other-seed', { seed: 1 }));
    expect(readFileSync(path.join(other, 'model.safetensors')).equals(straight)).toBe(false);
  });

  it('learns on the wasm backend through the runner (catches wasm-only kernel faults, e.g. a float32 OneHot)', async () => {
    const out = path.join(root, 'wasm');
    const { code, stdout, stderr } = await lab('train-lm', '--out', out, '--tokens', tokenFile, '--eos', '19', '--layers', '1', '--d-model', '16', '--heads', '2', '--context', '8', '--batch', '8', '--steps', '60', '--warmup', '5', '--lr', '0.01', '--eval-every', '60', '--eval-windows', '16');
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('backend: wasm');
    const losses = [...stdout.matchAll(/held-out loss ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(2);
    expect(losses[0]).toBeGreaterThan(Math.log(20) - 0.3);
    // The stream is 95% predictable from the previous token: entropy about 0.35 nats.
    expect(losses[1]).toBeLessThan(1.5);
    expect(readFileSync(path.join(out, 'model.safetensors')).length).toBeGreaterThan(0);

    // The model card's unigram baseline, recomputed here by brute force: add-one counts of the training
    // tokens (the first 95%), scored on every held-out token after the first.
    const card = readFileSync(path.join(out, 'README.md'), 'utf8');
    const split = ids.length - Math.max(Math.floor(ids.length * 0.05), 2 * 9);
    const [train, heldOut] = [ids.subarray(0, split), ids.subarray(split)];
    const usable = Math.floor((heldOut.length - 1) / 8) * 8; // whole windows of 8 predictions
    let nll = 0;
    for (let i = 1; i <= usable; i++) nll -= Math.log((train.filter((t) => t === heldOut[i]).length + 1) / (train.length + 20));
    const row = (name: string) => Number(new RegExp(`\\| ${name} \\| ([\\d.]+) nats`).exec(card)?.[1]);
    expect(row('unigram baseline')).toBeCloseTo(nll / usable, 3);
    // The stream is almost a bigram chain: that baseline is far below the unigram, and the trained model is too.
    expect(row('bigram baseline')).toBeLessThan(row('unigram baseline') - 1);
    expect(row('this model')).toBeLessThan(row('unigram baseline'));
    expect(card).toContain('npm run lab -- train-lm --out');
  });

});
