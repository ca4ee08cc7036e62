import { describe, expect, it } from 'vitest';
import { DeviceSae } from '../../../../src/core/analysis';
import { featureDashboard, sampleRowIndices } from '../../../../src/core/analysis/lm';
import { Rng } from '../../../../src/core/rng';
import type { SaeWeights } from '../../../../src/core/sae/weights';
import type { Activation } from '../../../../src/core/train/config';
import { referenceEncode } from '../helpers';
import { expectNoLeak, randomSaeWeights } from './helpers';

const D_IN = 8;
const D_SAE = 12;
const N = 300;
const BINS = 6;
const TOPK: Activation = { kind: 'topk', k: 2, auxkCoeff: 0, kAux: 1 };
const RELU: Activation = { kind: 'relu', l1Coeff: 0 };

const rows = new Rng(3).fillNormal(new Float32Array(N * D_IN), 1);
const weights = randomSaeWeights(D_IN, D_SAE, 5);

/** Every row encoded in float64: true activations [row][feature], and the plain pre-activations. */
function bruteForce(w: SaeWeights, activation: Activation) {
  const row = (r: number) => rows.subarray(r * D_IN, (r + 1) * D_IN);
  return {
    f: Array.from({ length: N }, (_, r) => referenceEncode(w, row(r), activation)),
    z: Array.from({ length: N }, (_, r) => referenceEncode(w, row(r), RELU)),
  };
}

function trueTop(f: Float64Array[], feature: number, count: number) {
  return f
    .map((values, row) => ({ row, activation: values[feature] }))
    .filter((e) => e.activation > 0)
    .sort((a, b) => b.activation - a.activation || a.row - b.row)
    .slice(0, count);
}

function histogramOf(values: number[]) {
  const max = Math.max(0, ...values);
  const counts = new Array<number>(BINS).fill(0);
  for (const v of values) counts[Math.min(BINS - 1, Math.floor((v / max) * BINS))]++;
  return { max, counts };
}

async function dashboard(activation: Activation, feature: number, options = {}) {
  const sae = new DeviceSae(weights, activation);
  try {
    return await featureDashboard(sae, rows, feature, { bins: BINS, rankBatchSize: 64, encodeBatchSize: 50, ...options });
  } finally {
    sae.dispose();
  }
}

describe('featureDashboard', () => {
  const reference = { topk: bruteForce(weights, TOPK), relu: bruteForce(weights, RELU) };

  // A feature whose best rows by its own pre-activation include rows where TopK zeroes it.
  const outranked = Array.from({ length: D_SAE }, (_, j) => j).find((j) => {
    const byPre = trueTop(reference.topk.z, j, 10);
    return byPre.some(({ row }) => reference.topk.f[row][j] === 0) && trueTop(reference.topk.f, j, 5).length === 5;
  });

  it('finds the true top rows under TopK even where the pre-activation ranking differs', async () => {
    expect(outranked).toBeDefined(); // the fixture holds the case this test is about
    const feature = outranked!;
    const result = await dashboard(TOPK, feature, { top: 5, candidates: 3 });
    const expected = trueTop(reference.topk.f, feature, 5);
    expect(result.top.map((e) => e.row)).toEqual(expected.map((e) => e.row));
    result.top.forEach((e, i) => expect(e.activation).toBeCloseTo(expected[i].activation, 4));
    expect(result.topExact).toBe(true);
  });

  it.each([
    ['TopK', TOPK],
    ['ReLU', RELU],
  ] as const)('matches brute force for every feature of a %s SAE: top rows, frequency and histogram', async (_, activation) => {
    const { f } = activation.kind === 'topk' ? reference.topk : reference.relu;
    for (let feature = 0; feature < D_SAE; feature++) {
      const result = await dashboard(activation, feature, { top: 4, candidates: 2, histogramRows: N });
      const expected = trueTop(f, feature, 4);
      expect(result.top.map((e) => e.row)).toEqual(expected.map((e) => e.row));
      const fired = f.map((values) => values[feature]).filter((v) => v > 0);
      expect(result.sampleRows).toBe(N);
      expect(result.frequency).toBeCloseTo(fired.length / N, 10);
      const histogram = histogramOf(fired);
      expect(result.histogram.counts).toEqual(histogram.counts);
      expect(result.histogram.counts.reduce((a, b) => a + b, 0)).toBe(fired.length);
      expect(result.histogram.edges).toHaveLength(BINS + 1);
      expect(result.histogram.edges[BINS]).toBeCloseTo(histogram.max, 4);
    }
  });

  it('computes frequency and histogram on a seeded sample of the rows', async () => {
    const feature = 1;
    const result = await dashboard(TOPK, feature, { histogramRows: 100, seed: 7 });
    const sample = sampleRowIndices(N, 100, 7);
    expect(new Set(sample).size).toBe(100);
    const fired = Array.from(sample, (r) => reference.topk.f[r][feature]).filter((v) => v > 0);
    expect(result.sampleRows).toBe(100);
    expect(result.frequency).toBeCloseTo(fired.length / 100, 10);
    expect(result.histogram.counts.reduce((a, b) => a + b, 0)).toBe(fired.length);
    expect(result.histogram.counts).toEqual(histogramOf(fired).counts);
    expect((await dashboard(TOPK, feature, { histogramRows: 100, seed: 7 })).histogram).toEqual(result.histogram);
  });

  it('says when a capped candidate search may have missed rows', async () => {
    // k = 1 of 12: most features lose most rows to another latent, so 4 candidates rarely yield 4 firing rows.
    const rare: Activation = { kind: 'topk', k: 1, auxkCoeff: 0, kAux: 1 };
    const { f } = bruteForce(weights, rare);
    let inexact = 0;
    for (let feature = 0; feature < D_SAE; feature++) {
      const result = await dashboard(rare, feature, { top: 4, candidates: 2, maxCandidates: 4 });
      const firing = new Map(f.map((values, row) => [row, values[feature]] as const).filter(([, v]) => v > 0));
      for (const { row, activation } of result.top) expect(activation).toBeCloseTo(firing.get(row)!, 4);
      if (result.topExact) expect(result.top.map((e) => e.row)).toEqual(trueTop(f, feature, 4).map((e) => e.row));
      else {
        expect(result.top.length).toBeLessThan(4);
        inexact++;
      }
    }
    expect(inexact).toBeGreaterThan(0);
  });

  it('reports a feature that never fires with zero frequency, empty top and zero edges', async () => {
    const dead = { ...weights, b_enc: weights.b_enc.map((v, j) => (j === 0 ? -100 : v)) };
    const sae = new DeviceSae(dead, RELU);
    const result = await featureDashboard(sae, rows, 0, { bins: BINS });
    sae.dispose();
    expect(result).toMatchObject({ frequency: 0, top: [], topExact: true });
    expect(result.histogram.counts).toEqual(new Array(BINS).fill(0));
    expect(result.histogram.edges).toEqual(new Array(BINS + 1).fill(0));
  });

  it('rejects a bad feature, ragged rows and bad options, naming them', async () => {
    const sae = new DeviceSae(weights, RELU);
    await expect(featureDashboard(sae, rows, D_SAE)).rejects.toThrow(/featureDashboard: feature 12 is not a feature index in \[0, 12\)/);
    await expect(featureDashboard(sae, rows.subarray(0, 13), 0)).rejects.toThrow(/13 values.*d_in 8/);
    await expect(featureDashboard(sae, rows, 0, { candidates: 0 })).rejects.toThrow(/candidates 0 must be a positive integer/);
    sae.dispose();
  });

  it('leaves no tensor behind', async () => {
    const sae = new DeviceSae(weights, TOPK);
    await expectNoLeak(() => featureDashboard(sae, rows, 2, { candidates: 2, top: 5, rankBatchSize: 70, encodeBatchSize: 40 }));
    sae.dispose();
  });
});
