import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepGroups } from '../../src/core/formats/sae-layouts';
import { pickedSaeFolders } from '../../src/io/sae-folders-web';
import { exportMnistSae } from '../../src/core/analysis/export';
import { writeSaeLens } from '../../src/core/formats/saelens';
import { mnistPaperConfig, UNCONSTRAINED } from '../../src/core/presets';
import type { SaeWeights } from '../../src/core/sae/weights';
import { readImportedSaes } from '../../src/runtime/worker/import-saes';

const d_in = 6;
const d_sae = 4;
const data = { d_in, hook: null, kind: 'mnist' } as const;

function weights(offset: number): SaeWeights {
  const values = (n: number, o: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(offset + o + i));
  return { d_in, d_sae, W_enc: values(d_in * d_sae, 0), b_enc: values(d_sae, 50), W_dec: values(d_sae * d_in, 100), b_dec: values(d_in, 150) };
}

/** The files as a folder pick gives them: each with its path under the picked folder. */
function picked(folders: Record<string, object>): File[] {
  return Object.entries(folders).flatMap(([folder, files]) =>
    Object.entries(files as Record<string, BlobPart>).map(([name, contents]) => {
      const file = new File([contents], name);
      Object.defineProperty(file, 'webkitRelativePath', { value: `run/${folder}/${name}` });
      return file;
    }),
  );
}

describe('importing SAEs', () => {
  // Far from the MNIST preset in every section, so a configuration rebuilt from presets cannot pass.
  const config = mnistPaperConfig({
    d_in,
    d_sae,
    activation: { kind: 'topk', k: 3, auxkCoeff: 0.05, kAux: 2 },
    penalty: { kind: 'l2-unsquared', coeff: 3e-4, on: 'decoder' },
    init: UNCONSTRAINED,
    optim: { lr: 7e-4, clipGradNorm: 1, warmupSteps: 5 },
    batchSize: 64,
    length: { unit: 'steps', value: 40 },
    deadAfterTokens: 1234,
    metricsEvery: 3,
  });

  it("keeps the lab's own exported SAEs' exact TrainConfig", async () => {
    const files = picked({ 'seed-0': exportMnistSae(weights(0), { ...config, seed: 0 }), 'seed-1': exportMnistSae(weights(1), { ...config, seed: 1 }) });
    const imported = await readImportedSaes(files, data);
    expect(imported.names).toEqual(['run/seed-0', 'run/seed-1']);
    expect(imported.config).toStrictEqual({ ...config, seed: 0 });
    expect(imported.weights[1]).toEqual(weights(1));
  });

  it('refuses SAEs of different configurations together', async () => {
    const files = picked({ a: exportMnistSae(weights(0), config), b: exportMnistSae(weights(1), { ...config, batchSize: 32 }) });
    await expect(readImportedSaes(files, data)).rejects.toThrow('run/b trained with a different configuration from run/a');
  });

  it('describes SAEs from elsewhere by their width and activation, the rest from the preset', async () => {
    const files = picked({ x: writeSaeLens(weights(0), { hookName: 'h', architecture: { kind: 'relu' } }) });
    const imported = await readImportedSaes(files, data);
    expect(imported.config).toStrictEqual({ ...mnistPaperConfig(), d_in, d_sae });
  });

  it("reads a dictionary_learning sweep: the page groups its folders from the config files, then imports one group's SAEs", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'import-dl-'));
    try {
      const specs = [0, 1, 2, 3].map((t) => ({
        out: path.join(dir, `ae-${t}.pt`),
        archive: 'ae',
        tensors: {
          k: { dtype: 'int64', shape: [], values: [2] },
          threshold: { dtype: 'float32', shape: [], values: [0.5] },
          'encoder.weight': { dtype: 'float32', shape: [d_sae, d_in], values: Array.from(weights(t).W_dec) },
          'encoder.bias': { dtype: 'float32', shape: [d_sae], values: Array.from(weights(t).b_enc) },
          'decoder.weight': { dtype: 'float32', shape: [d_in, d_sae], values: Array.from({ length: d_in * d_sae }, (_, i) => weights(t).W_dec[(i % d_sae) * d_in + Math.floor(i / d_sae)]) },
          b_dec: { dtype: 'float32', shape: [d_in], values: Array.from(weights(t).b_dec) },
        },
      }));
      execFileSync('python3', [path.resolve(__dirname, '../helpers/python/torch-save.py'), '-'], { input: JSON.stringify(specs) });
      const folder = (t: number) => ({
        'config.json': JSON.stringify({ trainer: { dict_class: 'BatchTopKSAE', activation_dim: d_in, dict_size: d_sae, k: 2, seed: t % 2, l2_penalty: t < 2 ? 0 : 1e-4, wandb_name: `w${t}` } }),
        'ae.pt': new Uint8Array(readFileSync(specs[t].out)),
      });
      const files = picked({ trainer_0: folder(0), trainer_1: folder(1), trainer_2: folder(2), trainer_3: folder(3) });
      const groups = sweepGroups(await pickedSaeFolders(files));
      expect(groups).toEqual([
        { label: 'trainer.l2_penalty 0', folders: ['run/trainer_0', 'run/trainer_1'] },
        { label: 'trainer.l2_penalty 0.0001', folders: ['run/trainer_2', 'run/trainer_3'] },
      ]);
      const second = files.filter((f) => /trainer_[23]\//.test(f.webkitRelativePath));
      const imported = await readImportedSaes(second, data);
      expect(imported.names).toEqual(['run/trainer_2', 'run/trainer_3']);
      // encoder.weight [d_sae, d_in] is W_enc transposed; decoder.weight [d_in, d_sae] is W_dec transposed.
      expect(Array.from(imported.weights[0].W_dec)).toEqual(Array.from(weights(2).W_dec));
      expect(imported.config.activation).toMatchObject({ kind: 'topk', k: 2 });
      expect(imported.note).toMatch(/BatchTopK SAEs are encoded here as TopK with k = 2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops reading between two folders when its signal is aborted (Cancel), with the reason', async () => {
    const files = picked({ a: exportMnistSae(weights(0), config), b: exportMnistSae(weights(1), config), c: exportMnistSae(weights(2), config) });
    const controller = new AbortController();
    const read: string[] = [];
    const onRead = (_done: number, _total: number, name: string) => {
      read.push(name);
      if (read.length === 2) controller.abort(new Error('import cancelled'));
    };
    await expect(readImportedSaes(files, data, { onRead, signal: controller.signal })).rejects.toThrow('import cancelled');
    expect(read).toEqual(['run/a', 'run/b']);
  });
});
