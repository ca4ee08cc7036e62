import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAlign } from '../../src/cli/align';
import { Rng } from '../../src/core/rng';
import { lab } from '../helpers/lab-cli';

/**
 * A dictionary_learning sweep as the paper released it: trainer_<n>/ with ae.pt and config.json.
 * trainers 0–2 (l2_penalty 0) are independent random SAEs; trainers 3–5 (l2_penalty 1e-4) are one SAE
 * with its features permuted and sign-flipped per seed, so every figure of theirs is exactly 1.
 */
const WRITER = path.resolve(__dirname, '../helpers/python/torch-save.py');
const D_IN = 6;
const D_SAE = 8;
const root = mkdtempSync(path.join(tmpdir(), 'align-'));
const sweep = path.join(root, 'sweep');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const rng = new Rng(5);
const randomRows = () => Array.from({ length: D_SAE }, () => Array.from({ length: D_IN }, () => Math.fround(rng.normal())));
const decoderRows: number[][][] = [];

/** An AutoEncoder state dict whose encoder and decoder features are both `rows` ([d_sae][d_in]). */
function trainerSpec(folder: string, rows: number[][]) {
  const [dSae, dIn] = [rows.length, rows[0].length];
  const transposed = Array.from({ length: dIn }, (_, i) => rows.map((r) => r[i])).flat();
  return {
    out: path.join(folder, 'ae.pt'),
    archive: 'ae',
    tensors: {
      'encoder.weight': { dtype: 'float32', shape: [dSae, dIn], values: rows.flat() },
      'encoder.bias': { dtype: 'float32', shape: [dSae], values: new Array(dSae).fill(0) },
      'decoder.weight': { dtype: 'float32', shape: [dIn, dSae], values: transposed },
      bias: { dtype: 'float32', shape: [dIn], values: new Array(dIn).fill(0) },
    },
  };
}

function writeConfig(folder: string, seed: number, l2: number, activationDim = D_IN) {
  mkdirSync(folder, { recursive: true });
  const trainer = { dict_class: 'AutoEncoder', activation_dim: activationDim, dict_size: D_SAE, l2_penalty: l2, seed, layer: 3, submodule_name: 'resid_post_layer_3', wandb_name: `${path.basename(folder)}_run` };
  writeFileSync(path.join(folder, 'config.json'), JSON.stringify({ trainer, buffer: { ctx_len: 128 } }));
}

beforeAll(() => {
  const shared = randomRows();
  const specs = [];
  for (let t = 0; t < 6; t++) {
    const folder = path.join(sweep, `trainer_${t}`);
    let rows: number[][];
    if (t < 3) rows = randomRows();
    else {
      const order = [...shared.keys()].sort(() => rng.next() - 0.5);
      rows = order.map((i, k) => shared[i].map((v) => (k % 2 === 0 ? v : -v)));
    }
    decoderRows.push(rows);
    writeConfig(folder, t % 3, t < 3 ? 0 : 1e-4);
    specs.push(trainerSpec(folder, rows));
  }
  execFileSync('python3', [WRITER, '-'], { input: JSON.stringify(specs) });
});

/** ½(mean over A of the best |cos| in B + the same from B's side), in float64: the paper's MMCS. */
function bruteForceMmcs(a: number[][], b: number[][]): number {
  const cos = (u: number[], v: number[]) => Math.abs(u.reduce((s, x, i) => s + x * v[i], 0)) / Math.hypot(...u) / Math.hypot(...v);
  const best = (x: number[][], y: number[][]) => x.reduce((s, u) => s + Math.max(...y.map((v) => cos(u, v))), 0) / x.length;
  return 0.5 * (best(a, b) + best(b, a));
}

describe('npm run lab -- align', () => {
  test('a dictionary_learning sweep folder becomes two configurations named by l2_penalty, with the figures of every seed pair', async () => {
    const lines: string[] = [];
    const json = path.join(root, 'report.json');
    const results = await runAlign([sweep], { json, log: (l) => lines.push(l) });
    expect(results.map((r) => r.label)).toEqual(['trainer.l2_penalty 0', 'trainer.l2_penalty 0.0001']);
    expect(results[0].members.map((m) => path.basename(m))).toEqual(['trainer_0', 'trainer_1', 'trainer_2']);
    const [independent, permuted] = results.map((r) => r.summary!);
    for (const pair of permuted.pairs) expect(pair).toMatchObject({ mmcs: expect.closeTo(1, 5), meanMatched: expect.closeTo(1, 5), sharedFrac: 1 });
    expect(permuted.acrossSeeds.sharedWithAllFrac).toBe(1);
    for (const pair of independent.pairs) expect(pair.mmcs).toBeCloseTo(bruteForceMmcs(decoderRows[pair.seedA], decoderRows[pair.seedB]), 5);
    const printed = lines.join('\n');
    expect(printed).toMatch(/Per configuration/);
    expect(printed).toMatch(/trainer\.l2_penalty 0\.0001\s+3\s+1\.000\s+1\.000\s+100\.0%\s+100\.0%\s+100\.0%/);
    expect(printed).toMatch(/\btrainer_0 × trainer_1\b/);
    expect(printed.slice(printed.indexOf('Per seed pair'), printed.indexOf('Wrote'))).not.toContain(root);
    expect(JSON.parse(readFileSync(json, 'utf8')).configurations[1].summary.meanOverPairs.sharedFrac).toBe(1);
  });

  test('SAEs of different inputs, and a trainer folder without its ae.pt, are named; no report is written', async () => {
    const odd = path.join(root, 'odd', 'trainer_0');
    writeConfig(odd, 0, 0, D_IN + 1);
    execFileSync('python3', [WRITER, '-'], { input: JSON.stringify([trainerSpec(odd, randomRows().map((r) => [...r, 1]))]) });
    const json = path.join(root, 'mixed.json');
    await expect(runAlign([sweep, path.join(root, 'odd')], { json, log: () => {} })).rejects.toThrow(/odd\/trainer_0 reads 7 values per input, .*sweep\/trainer_0 reads 6/);
    expect(existsSync(json)).toBe(false);

    const broken = path.join(root, 'broken', 'trainer_1');
    writeConfig(broken, 1, 0);
    await expect(runAlign([path.join(root, 'broken')], { log: () => {} })).rejects.toThrow(/broken\/trainer_1: holds config\.json but no ae\.pt/);
  });

  test('the command line prints the tables and exits non-zero on a bad folder', async () => {
    const ok = await lab('align', sweep);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Per seed pair/);
    const bad = await lab('align', path.join(root, 'nowhere'));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/nowhere: not a folder/);
  }, 120_000);

  test('--threads shares the |cos| rows out among threads: the report is that of one thread to the bit, and its MMCS is the float64 one', async () => {
    // Wide enough for the sparse solver (≥ 1024 features) and for every thread to take several chunks of rows.
    const [dIn, dSae] = [16, 1030];
    const wide = path.join(root, 'wide');
    const rows = [0, 1].map(() => Array.from({ length: dSae }, () => Array.from({ length: dIn }, () => Math.fround(rng.normal()))));
    const specs = rows.map((r, seed) => {
      const folder = path.join(wide, `trainer_${seed}`);
      mkdirSync(folder, { recursive: true });
      const trainer = { dict_class: 'AutoEncoder', activation_dim: dIn, dict_size: dSae, l2_penalty: 0, seed };
      writeFileSync(path.join(folder, 'config.json'), JSON.stringify({ trainer }));
      return trainerSpec(folder, r);
    });
    execFileSync('python3', [WRITER, '-'], { input: JSON.stringify(specs), maxBuffer: 64 << 20 });
    const reports = [];
    for (const threads of ['1', '3']) {
      const json = path.join(root, `wide-${threads}.json`);
      const run = await lab('align', wide, '--threads', threads, '--json', json);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`on ${threads} thread`);
      reports.push(readFileSync(json, 'utf8'));
    }
    expect(reports[1]).toBe(reports[0]);
    const pair = JSON.parse(reports[0]).configurations[0].summary.pairs[0];
    expect(pair.mmcs).toBeCloseTo(bruteForceMmcs(rows[0], rows[1]), 5);
  }, 240_000);
});
