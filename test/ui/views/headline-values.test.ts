import { describe, expect, it } from 'vitest';
import type { AlignmentSummary } from '../../../src/core/align/align-seeds';
import {
  formatHeadline,
  formatHeadlineDiff,
  headlineDiff,
  headlineValue,
  HEADLINE_METRICS,
  type HeadlineKey,
} from '../../../src/ui/views/headline-values';

function summary(values: { mmcs: number; meanMatched: number; fracAboveTau: number; sharedWithAllFrac: number }): AlignmentSummary {
  return {
    seeds: 3,
    dIn: 784,
    dSae: [16, 16, 16],
    tau: 0.7,
    pairs: [],
    meanOverPairs: { mmcs: values.mmcs, meanMatched: values.meanMatched, fracAboveTau: values.fracAboveTau, sharedFrac: 0.1 },
    acrossSeeds: {
      referenceSeed: 0,
      features: 16,
      always: 4,
      sometimes: 4,
      never: 8,
      sharedWithAllFrac: values.sharedWithAllFrac,
      sharedInAllPairs: 3,
      sharedInAllPairsFrac: 3 / 16,
    },
  };
}

const metric = (key: HeadlineKey) => HEADLINE_METRICS.find((m) => m.key === key)!;
const a = summary({ mmcs: 0.41, meanMatched: 0.35, fracAboveTau: 0.125, sharedWithAllFrac: 0.25 });
const b = summary({ mmcs: 0.52, meanMatched: 0.3, fracAboveTau: 0.25, sharedWithAllFrac: 0.25 });

describe('headline values', () => {
  it('read MMCS, mean matched, fraction ≥ τ (means over pairs) and the shared-with-all fraction', () => {
    expect(headlineValue(a, metric('mmcs'))).toBe(a.meanOverPairs.mmcs);
    expect(headlineValue(a, metric('matched'))).toBe(a.meanOverPairs.meanMatched);
    expect(headlineValue(a, metric('frac'))).toBe(a.meanOverPairs.fracAboveTau);
    expect(headlineValue(a, metric('shared'))).toBe(a.acrossSeeds.sharedWithAllFrac);
    expect(headlineValue(null, metric('mmcs'))).toBeNull();
  });

  it('difference is B − A, signed, and null when a run has no alignment', () => {
    expect(headlineDiff(a, b, metric('mmcs'))).toBeCloseTo(0.52 - 0.41);
    expect(headlineDiff(a, b, metric('matched'))).toBeCloseTo(0.3 - 0.35);
    expect(headlineDiff(a, b, metric('shared'))).toBe(0);
    expect(headlineDiff(null, b, metric('mmcs'))).toBeNull();
  });

  it('prints cosines as decimals, fractions as percentages and their differences in signed points', () => {
    expect(formatHeadline(0.41, metric('mmcs'))).toBe('0.410');
    expect(formatHeadline(0.125, metric('frac'))).toBe('12.5%');
    expect(formatHeadline(null, metric('frac'))).toBe('—');
    expect(formatHeadlineDiff(0.11, metric('mmcs'))).toBe('+0.110');
    expect(formatHeadlineDiff(-0.05, metric('matched'))).toBe('−0.050');
    expect(formatHeadlineDiff(0.125, metric('frac'))).toBe('+12.5 pp');
    expect(formatHeadlineDiff(0, metric('shared'))).toBe('0.0 pp');
  });

  it('names τ in the label and explanation of the threshold metric', () => {
    expect(metric('frac').label(0.7)).toContain('0.7');
    expect(metric('shared').explanation(0.5)).toContain('0.5');
  });
});
