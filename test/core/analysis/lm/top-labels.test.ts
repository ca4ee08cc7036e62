import { describe, expect, it } from 'vitest';
import { DeviceSae } from '../../../../src/core/analysis';
import { featureTopLabels, mostCommonLabel } from '../../../../src/core/analysis/lm';
import { Rng } from '../../../../src/core/rng';
import type { Activation } from '../../../../src/core/train/config';
import { referenceEncode } from '../helpers';
import { expectNoLeak, randomSaeWeights } from './helpers';

/** Brute force: count each label, take the largest count; among equals, the label seen first. */
function bruteMostCommon(labels: number[]): { label: number; count: number; total: number } | null {
  const counts = new Map<number, number>();
  for (const l of labels) if (l >= 0) counts.set(l, (counts.get(l) ?? 0) + 1);
  if (counts.size === 0) return null;
  const max = Math.max(...counts.values());
  const label = labels.find((l) => l >= 0 && counts.get(l) === max)!;
  return { label, count: max, total: labels.length };
}

describe('mostCommonLabel', () => {
  it('matches a brute-force count on random label lists, ties to the label ranked first', () => {
    const rng = new Rng(9);
    for (let trial = 0; trial < 500; trial++) {
      const length = Math.floor(rng.next() * 12);
      const labels = Array.from({ length }, () => Math.floor(rng.next() * 5) - 1); // -1..3
      expect(mostCommonLabel(labels)).toEqual(bruteMostCommon(labels));
    }
    expect(mostCommonLabel([2, 1, 1, 2, -1])).toEqual({ label: 2, count: 2, total: 5 });
    expect(mostCommonLabel([3, 1, 1, -1])).toEqual({ label: 1, count: 2, total: 4 });
    expect(mostCommonLabel([-1, -1])).toBeNull();
    expect(mostCommonLabel([])).toBeNull();
  });
});

describe('featureTopLabels', () => {
  const [D_IN, D_SAE, N, TOP, K_LABELS] = [6, 10, 200, 7, 4];
  const rows = new Rng(4).fillNormal(new Float32Array(N * D_IN), 1);
  const labels = Int32Array.from({ length: N }, (_, r) => (r % 5 === 4 ? -1 : (r * 7) % K_LABELS));
  const weights = randomSaeWeights(D_IN, D_SAE, 8);

  it.each([
    ['TopK', { kind: 'topk', k: 3, auxkCoeff: 0, kAux: 1 } as Activation],
    ['ReLU', { kind: 'relu', l1Coeff: 0 } as Activation],
  ])('gives every feature of a %s SAE the most common label of its brute-force top rows', async (_, activation) => {
    const f = Array.from({ length: N }, (_, r) => referenceEncode(weights, rows.subarray(r * D_IN, (r + 1) * D_IN), activation));
    const sae = new DeviceSae(weights, activation);
    try {
      const result = await featureTopLabels(sae, rows, labels, { top: TOP, sampleRows: N, batchSize: 33 });
      expect(result.sampleRows).toBe(N);
      let labelled = 0;
      for (let j = 0; j < D_SAE; j++) {
        const topRows = f
          .map((values, row) => ({ row, value: values[j] }))
          .filter((e) => e.value > 0)
          .sort((a, b) => b.value - a.value || a.row - b.row)
          .slice(0, TOP);
        const expected = bruteMostCommon(topRows.map((e) => labels[e.row]));
        expect(result.total[j]).toBe(topRows.length);
        expect(result.label[j]).toBe(expected?.label ?? -1);
        expect(result.count[j]).toBe(expected?.count ?? 0);
        if (expected) labelled++;
      }
      expect(labelled).toBeGreaterThan(D_SAE / 2); // the fixture exercises the counting
      await expectNoLeak(() => featureTopLabels(sae, rows, labels, { top: TOP, sampleRows: 50, batchSize: 16 }));
    } finally {
      sae.dispose();
    }
  });

  it('refuses labels that do not match the rows', async () => {
    const sae = new DeviceSae(weights, { kind: 'relu', l1Coeff: 0 });
    try {
      await expect(featureTopLabels(sae, rows, labels.subarray(1))).rejects.toThrow(/199 labels for 200 rows/);
    } finally {
      sae.dispose();
    }
  });
});
