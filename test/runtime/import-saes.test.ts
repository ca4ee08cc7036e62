import { describe, expect, it } from 'vitest';
import { exportMnistSae } from '../../src/core/analysis/export';
import { writeSaeLens, type SaeLensFiles } from '../../src/core/formats/saelens';
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
function picked(folders: Record<string, SaeLensFiles>): File[] {
  return Object.entries(folders).flatMap(([folder, files]) =>
    Object.entries(files).map(([name, contents]) => {
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
    expect(imported.saes[1].training).toStrictEqual({ ...config, seed: 1 });
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
});
