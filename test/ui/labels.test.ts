import { describe, expect, test } from 'vitest';
import { comparisonName, formatCoeff, penaltySummary, sideLabel } from '../../src/ui/labels';
import { defaultExperiment, presetById } from '../../src/ui/store/presets';
import { formatDuration } from '../../src/ui/format';
import { steeringAlphas } from '../../src/ui/steering-alphas';
import { pooledMatchedHistogram } from '../../src/ui/matched-histogram';
import type { AlignmentSummary } from '../../src/core/align';

describe('labels', () => {
  test('coefficients read the way the paper writes them', () => {
    expect(formatCoeff(1e-3)).toBe('1e-3');
    expect(formatCoeff(1e-5)).toBe('1e-5');
    expect(formatCoeff(2.5e-4)).toBe('2.5e-4');
    expect(formatCoeff(0.1)).toBe('0.1');
  });

  test('penalties name their kind: unsquared L2, squared L2², L1', () => {
    expect(penaltySummary({ kind: 'none', coeff: 0, on: 'both' })).toBe('L2 off');
    expect(penaltySummary({ kind: 'l2-unsquared', coeff: 1e-3, on: 'both' })).toBe('L2 1e-3');
    expect(penaltySummary({ kind: 'l2', coeff: 1e-5, on: 'decoder' })).toBe('L2² 1e-5 (decoder)');
    expect(penaltySummary({ kind: 'l1', coeff: 0, on: 'both' })).toBe('L2 off');
  });

  test('A and B are named by what sets them apart', () => {
    const { configs } = defaultExperiment();
    expect([sideLabel(0, configs, true), sideLabel(1, configs, true)]).toEqual(['A · L2 off', 'B · L2 1e-3']);
    const unconstrained = presetById('mnist-paper-unconstrained').experiment().configs;
    expect(sideLabel(1, unconstrained, true)).toBe('B · L2² 1e-5');
    const sameButWidth = [configs[0], { ...configs[0], d_sae: 32 }] as const;
    expect(sideLabel(1, sameButWidth, true)).toBe('B · width (latents) 32');
    expect(sideLabel(1, [configs[0], configs[0]], true)).toBe('B');
  });

  test('a saved comparison is named by its title and what it compares, not by one side', () => {
    const { configs } = defaultExperiment();
    expect(comparisonName('Teaching demo', configs, true)).toBe('Teaching demo: L2 off vs L2 1e-3');
    expect(comparisonName('Teaching demo', configs, false)).toBe('Teaching demo: L2 off');
    const sameButWidth = [configs[0], { ...configs[0], d_sae: 32 }] as const;
    expect(comparisonName('Custom experiment', sameButWidth, true)).toBe('Custom experiment: width (latents) 64 vs width (latents) 32');
    expect(comparisonName('Custom experiment', [configs[0], configs[0]], true)).toBe('Custom experiment: A vs B (same settings)');
  });
});

describe('small pieces of UI logic', () => {
  test('durations read as people say them', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_800_000)).toBe('2 h 10 min');
  });

  test('the steering call asks for the strip and the slider α, ascending, once each', () => {
    expect(steeringAlphas([-2, 0, 2], 1)).toEqual([-2, 0, 1, 2]);
    expect(steeringAlphas([-2, 0, 2], 2)).toEqual([-2, 0, 2]);
  });

  test('the matched histogram adds every seed pair bin by bin', () => {
    const alignment = { pairs: [{ matchedHistogram: [1, 2, 0] }, { matchedHistogram: [0, 1, 5] }] } as unknown as AlignmentSummary;
    expect(pooledMatchedHistogram(alignment)).toEqual([1, 3, 5]);
    expect(pooledMatchedHistogram(null)).toEqual([]);
  });

  test('the encoder histogram adds its own counts, and is empty for a run saved without them', () => {
    const both = { pairs: [{ matchedHistogram: [9, 9], encoderMatchedHistogram: [1, 2] }, { matchedHistogram: [9, 9], encoderMatchedHistogram: [3, 0] }] };
    expect(pooledMatchedHistogram(both as unknown as AlignmentSummary, 'encoder')).toEqual([4, 2]);
    const saved = { pairs: [{ matchedHistogram: [1, 2], encoderMatchedHistogram: [1, 2] }, { matchedHistogram: [0, 1] }] };
    expect(pooledMatchedHistogram(saved as unknown as AlignmentSummary, 'encoder')).toEqual([]);
    expect(pooledMatchedHistogram(saved as unknown as AlignmentSummary, 'decoder')).toEqual([1, 3]);
  });
});
