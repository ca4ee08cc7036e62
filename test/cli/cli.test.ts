import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lab } from '../helpers/lab-cli';
import { readSaeLens } from '../../src/core/formats/saelens';

describe('the headless runner', () => {
  it('runs a scaled-down sweep: prints the alignment table and writes SAELens SAEs, metrics and alignment.json', async () => {
    const out = await mkdtemp(join(tmpdir(), 'lab-sweep-'));
    const r = await lab('sweep', '--preset', 'mnist-quick', '--out', out, '--epochs', '1', '--width', '16', '--seeds', '2', '--images', '1024');
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    const table = r.stdout.slice(r.stdout.indexOf('configuration'));
    for (const name of ['l2-off', 'l2-on']) expect(table).toMatch(new RegExp(`${name}\\s+0\\.\\d{3}\\s+0\\.\\d{3}\\s+\\d+\\.\\d%`));

    expect((await readdir(out)).sort()).toEqual(['l2-off', 'l2-on']);
    for (const seed of [0, 1]) {
      const dir = join(out, 'l2-on', `seed-${seed}`);
      const sae = readSaeLens({ 'cfg.json': await readFile(join(dir, 'cfg.json'), 'utf8'), 'sae_weights.safetensors': new Uint8Array(await readFile(join(dir, 'sae_weights.safetensors'))) });
      expect([sae.weights.d_in, sae.weights.d_sae]).toEqual([784, 16]);
      const metrics = (await readFile(join(dir, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(metrics.at(-1).step).toBe(2); // 1024 images / batch 512 = 2 steps
      expect(metrics.at(-1).terms.penalty).toBeGreaterThan(0);
    }
    const alignment = JSON.parse(await readFile(join(out, 'l2-on', 'alignment.json'), 'utf8'));
    expect(alignment.seeds).toBe(2);
    expect(alignment.pairs).toHaveLength(1);
    expect(alignment.pairs[0].mmcs).toBeGreaterThan(0);
  });

  it('trains a run file and refuses bad ones, naming the file and the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-train-'));
    const good = join(dir, 'run.json');
    await writeFile(good, JSON.stringify({ name: 'tiny', seeds: [3], d_sae: 8, batchSize: 256, length: { unit: 'steps', value: 3 }, penalty: { kind: 'l2', coeff: 1e-4 } }));
    const ok = await lab('train', '--config', good, '--out', join(dir, 'out'), '--images', '512');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/tiny\s+–/); // one seed: no alignment
    expect(JSON.parse(await readFile(join(dir, 'out', 'tiny', 'seed-3', 'cfg.json'), 'utf8')).d_sae).toBe(8);

    const typo = join(dir, 'typo.json');
    await writeFile(typo, JSON.stringify({ widht: 8 }));
    const t = await lab('train', '--config', typo, '--out', join(dir, 'x'));
    expect(t.code).not.toBe(0);
    expect(t.stderr).toMatch(/typo\.json: widht is not a setting/);
    await writeFile(typo, JSON.stringify({ penalty: { kind: 'l2', coef: 0.001 } }));
    expect((await lab('train', '--config', typo, '--out', join(dir, 'x'))).stderr).toMatch(/typo\.json: penalty\.coef is not a setting \(did you mean penalty\.coeff\?\)/);
    await writeFile(typo, JSON.stringify({ init: { removeParalelGrad: true } }));
    expect((await lab('train', '--config', typo, '--out', join(dir, 'x'))).stderr).toMatch(/typo\.json: init\.removeParalelGrad is not a setting \(did you mean init\.removeParallelGrad\?\)/);
    await writeFile(typo, JSON.stringify({ optim: { beta1: 1 } }));
    expect((await lab('train', '--config', typo, '--out', join(dir, 'x'))).stderr).toMatch(/typo\.json: optim\.beta1: Adam beta1 must be in \[0, 1\) \(got 1\)/);

    const absurd = join(dir, 'absurd.json');
    await writeFile(absurd, JSON.stringify({ activation: { kind: 'topk', k: 5000, auxkCoeff: 0, kAux: 1 } }));
    const a = await lab('train', '--config', absurd, '--out', join(dir, 'y'));
    expect(a.code).not.toBe(0);
    expect(a.stderr).toMatch(/k = 5000 is larger than the width d_sae = 1568/);

    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{ not json');
    expect((await lab('train', '--config', broken, '--out', join(dir, 'z'))).stderr).toMatch(/broken\.json: not a readable JSON file/);
  });

  it('trains TopK seeds on a bounded sample of activation shards, saved at the shards\' hook; bad combinations are refused', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-shards-'));
    const run = join(dir, 'run.json');
    await writeFile(run, JSON.stringify({ name: 'topk', seeds: [0, 1], d_sae: 32, batchSize: 256, length: { unit: 'steps', value: 4 }, activation: { kind: 'topk', k: 4, auxkCoeff: 0, kAux: 8 } }));
    const r = await lab('train', '--config', run, '--shards', 'public/samples/synthetic', '--out', join(dir, 'out'), '--max-mb', '1');
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    // 1 MB holds 4096 rows of d_model 64: the 16,384-token sample is sampled down.
    expect(r.stdout).toMatch(/data: 4096 of 16384 activation rows .* at blocks\.3\.hook_resid_post, d_model 64 \(a uniform sample/);
    const scale = Number(/scaled × ([\d.]+)/.exec(r.stdout)?.[1]);
    expect(scale).toBeGreaterThan(0);
    const seedDir = join(dir, 'out', 'topk', 'seed-1');
    const cfg = JSON.parse(await readFile(join(seedDir, 'cfg.json'), 'utf8'));
    expect(cfg).toMatchObject({ d_in: 64, d_sae: 32, hook_name: 'blocks.3.hook_resid_post' });
    expect(r.stdout).toMatch(/topk\s+0\.\d{3}/);

    // pythia-laptop is lm-pythia-laptop's former name: the runner still takes it.
    const mixed = await lab('sweep', '--preset', 'pythia-laptop', '--out', join(dir, 'p'));
    expect(mixed.stderr).toMatch(/preset pythia-laptop trains on activation shards: give --shards DIR/);
    const mnistOnShards = await lab('sweep', '--preset', 'mnist-demo', '--shards', 'public/samples/synthetic', '--out', join(dir, 'p'));
    expect(mnistOnShards.stderr).toMatch(/preset mnist-demo trains on MNIST; leave out --shards/);
    const both = await lab('train', '--config', run, '--shards', 'public/samples/synthetic', '--images', '10', '--out', join(dir, 'q'));
    expect(both.stderr).toMatch(/--images is for MNIST/);
    const missing = await lab('train', '--config', run, '--shards', join(dir, 'nowhere'), '--out', join(dir, 'r'));
    expect(missing.stderr).toMatch(/nowhere: cannot list the folder/);
  });
});
