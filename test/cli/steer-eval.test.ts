// `steer-eval` end to end on the shipped gloss sample: a short gloss sweep (one seed per configuration),
// then steering judged by the sample's concept judge. The report's rates are its trials' counts with
// their Wilson intervals, α = 0 gives no success, and bad flags are refused by name.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/core/analysis/wilson';
import type { SteerEvalReport } from '../../src/cli/steer-eval';
import { lab } from '../helpers/lab-cli';

describe('steer-eval', () => {
  it('reports steering success per configuration, with intervals and B against A, and none at α = 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steer-eval-'));
    const out = join(dir, 'saes');
    // The gloss preset trains on the shipped gloss shards by default.
    const sweep = await lab('sweep', '--preset', 'gloss', '--seeds', '1', '--width', '128', '--out', out, '--jobs', '1');
    expect(sweep.stderr).not.toMatch(/error:/);
    expect(sweep.code).toBe(0);
    expect(sweep.stdout).toMatch(/WordNet gloss model at blocks\.1\.hook_resid_post/);

    const json = join(dir, 'report.json');
    const r = await lab('steer-eval', '--saes', out, '--features', '3', '--lemma-prompts', '1', '--alpha', '0,1.5', '--json', json);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/concept judge .*concept-judge\.safetensors: \d+\.\d% of [\d,]+ held-out glosses/);
    const report = JSON.parse(await readFile(json, 'utf8')) as SteerEvalReport;
    expect(report.prompts).toHaveLength(4);
    expect(report.prompts[3]).toMatch(/^[^:]+:$/);
    expect(report.classifier.accuracy).toBeGreaterThan(2 * report.classifier.majority);
    expect(report.sweep.map((row) => row.multiple)).toEqual([0, 1.5]);
    expect(report.sweep[1].alpha).toBeCloseTo(1.5 * report.meanResidualNorm, 6);
    for (const row of report.sweep) {
      expect(row.configurations.map((c) => c.label)).toEqual(['l2-off', 'l2-on']);
      for (const c of row.configurations) {
        expect(c.trials).toBe(c.features * report.prompts.length);
        expect(c.rate).toBeCloseTo(c.trials === 0 ? 0 : c.successes / c.trials, 12);
        expect(c.interval).toEqual(wilsonInterval(c.successes, c.trials));
      }
    }
    // The control: the steered continuation is the clean one, so nothing succeeds.
    for (const c of report.sweep[0].configurations) expect(c.successes).toBe(0);

    const bad = await lab('steer-eval', '--saes', out, '--alpha', '1,x');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--alpha.*"x" is not a number/);
    const noLabels = await lab('steer-eval', '--saes', out, '--shards', 'public/samples/synthetic');
    expect(noLabels.code).not.toBe(0);
    expect(noLabels.stderr).toMatch(/public\/samples\/synthetic: the shards carry no labels/);
  }, 600_000);
});
