import { describe, expect, it } from 'vitest';
import type { AlignmentSummary } from '../../src/core/align/align-seeds';
import type { StepMetrics } from '../../src/core/train/metrics';
import { alignmentAt, latestCommonStep, meanL0At, sparsityMismatch } from '../../src/ui/equal-step';
import { resultSentence } from '../../src/ui/result-sentence';
import { formatSpread, HEADLINE_METRICS, pairSpread, pairWins } from '../../src/ui/views/headline-values';

/** A summary whose pairs (0–1, 0–2, 1–2) have these MMCS values; the means are theirs. */
function summary(pairMmcs: number[], sharedWithAll = 0): AlignmentSummary {
  const seedPairs = [
    [0, 1],
    [0, 2],
    [1, 2],
  ];
  const pairs = pairMmcs.map((mmcs, i) => ({ seedA: seedPairs[i][0], seedB: seedPairs[i][1], mmcs, meanMatched: mmcs - 0.05, fracAboveTau: mmcs / 2, sharedFrac: mmcs / 4, matchedHistogram: [] }));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    seeds: 3,
    dIn: 784,
    dSae: [64, 64, 64],
    tau: 0.7,
    pairs: pairs as unknown as AlignmentSummary['pairs'],
    meanOverPairs: { mmcs: mean(pairMmcs), meanMatched: mean(pairs.map((p) => p.meanMatched)), fracAboveTau: mean(pairs.map((p) => p.fracAboveTau)), sharedFrac: mean(pairs.map((p) => p.sharedFrac)) },
    acrossSeeds: { referenceSeed: 0, features: 64, always: 0, sometimes: 0, never: 64, sharedWithAllFrac: sharedWithAll, sharedInAllPairs: 0, sharedInAllPairsFrac: 0 },
  };
}
const mmcs = HEADLINE_METRICS.find((m) => m.key === 'mmcs')!;
const at = (step: number, a: AlignmentSummary) => ({ step, alignment: a });
const read = (step: number, l0: number) => ({ step, l0 }) as StepMetrics;

describe('equal-step comparison', () => {
  it('compares at the latest step both configurations have, never at their own latest steps', () => {
    const a = [at(10, summary([0.3, 0.3, 0.3])), at(20, summary([0.4, 0.4, 0.4])), at(30, summary([0.5, 0.5, 0.5])), at(40, summary([0.6, 0.6, 0.6]))];
    const b = [at(10, summary([0.2, 0.2, 0.2])), at(20, summary([0.35, 0.35, 0.35]))];
    expect(latestCommonStep([a, b])).toBe(20);
    expect(alignmentAt(a, 20)!.meanOverPairs.mmcs).toBeCloseTo(0.4, 12);
    expect(latestCommonStep([a, [at(15, summary([0.1, 0.1, 0.1]))]])).toBeNull();
    expect(latestCommonStep([a])).toBe(40);
    expect(alignmentAt(a, null)).toBeNull();
  });

  it('reads each seed’s L0 at the latest read-back at or before the step, and averages over seeds', () => {
    const perSeed = [
      { seed: 0, metrics: [read(10, 30), read(20, 12), read(30, 9)] },
      { seed: 1, metrics: [read(10, 20), read(20, 8)] },
    ];
    expect(meanL0At(perSeed, 25)).toEqual({ l0: 10, readAt: 20 });
    expect(meanL0At(perSeed, 30)).toEqual({ l0: 8.5, readAt: 20 });
    expect(meanL0At(perSeed, 5)).toBeNull();
  });

  it('warns about sparsity only past the ratio, whichever side is sparser', () => {
    expect(sparsityMismatch(10.6, 18)).toBeCloseTo(18 / 10.6, 12);
    expect(sparsityMismatch(18, 10.6)).toBeCloseTo(18 / 10.6, 12);
    expect(sparsityMismatch(10, 11)).toBeNull();
    expect(sparsityMismatch(null, 11)).toBeNull();
  });
});

describe('spread over seed pairs', () => {
  it('lists every pair’s value with its range, and counts the pairs in which B is higher', () => {
    const a = summary([0.40, 0.45, 0.42]);
    const b = summary([0.44, 0.43, 0.47]);
    const spread = pairSpread(a, mmcs)!;
    expect(spread.values.map((v) => v.seeds)).toEqual([[0, 1], [0, 2], [1, 2]]);
    expect([spread.min, spread.max]).toEqual([0.4, 0.45]);
    expect(pairWins(a, b, mmcs)).toEqual({ higher: 2, lower: 1, pairs: 3 });
    expect(pairSpread(a, HEADLINE_METRICS.find((m) => m.key === 'shared')!)).toBeNull();
    expect(formatSpread(spread, mmcs)).toBe('0.400–0.450 over 3 pairs');
    expect(formatSpread(pairSpread(summary([0.4, 0.4, 0.4]), mmcs)!, mmcs)).toBe('0.400 in all 3 pairs');
  });
});

describe('the result sentence', () => {
  const A = (s: AlignmentSummary, l0: number | null = 10) => ({ label: 'A · L2 off', alignment: s, l0 });
  const B = (s: AlignmentSummary, l0: number | null = 10.5) => ({ label: 'B · L2 on', alignment: s, l0 });

  it('names the winner, the difference, and that it holds in every pair', () => {
    const text = resultSentence(300, A(summary([0.40, 0.41, 0.42], 0)), B(summary([0.44, 0.45, 0.46], 0.11)));
    expect(text).toMatch(/^At step 300, B · L2 on's seeds learned more alike features than A · L2 off's/);
    expect(text).toContain('MMCS 0.450 against 0.410, +0.040');
    expect(text).toContain('in all 3 seed pairs');
    expect(text).toContain('11.0% against 0.0%');
    expect(text).not.toMatch(/Sparsity differs/);
  });

  it('says when the pairs disagree, and when sparsity differs', () => {
    const text = resultSentence(300, A(summary([0.40, 0.45, 0.42]), 10.6), B(summary([0.44, 0.43, 0.47]), 18));
    expect(text).toContain('in 2 of 3 seed pairs, so not consistently');
    expect(text).toMatch(/Sparsity differs \(L0 10\.6 for A · L2 off, 18\.0 for B · L2 on, 1\.7×\)/);
  });

  it('names A as the winner when A aligns better', () => {
    expect(resultSentence(50, A(summary([0.5, 0.5, 0.5])), B(summary([0.4, 0.4, 0.4])))).toMatch(/A · L2 off's seeds learned more alike features than B · L2 on's .*in all 3 seed pairs/);
  });
});
