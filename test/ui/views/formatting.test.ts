import { describe, expect, it } from 'vitest';
import { formatFixed, formatPercent, formatPointsDiff, formatShort } from '../../../src/ui/views/number-format';
import { topClass } from '../../../src/ui/views/steering-values';

describe('number formatting', () => {
  it('uses a true minus sign and never prints −0', () => {
    expect(formatFixed(-0.25, 2)).toBe('−0.25');
    expect(formatFixed(-0.0001, 2, true)).toBe('0.00');
    expect(formatFixed(0.25, 2, true)).toBe('+0.25');
  });

  it('shows a dash for missing or non-finite values', () => {
    expect(formatFixed(null)).toBe('—');
    expect(formatPercent(undefined)).toBe('—');
    expect(formatPointsDiff(NaN)).toBe('—');
  });

  it('formats fractions as percentages and their differences as points', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPointsDiff(-0.02)).toBe('−2.0 pp');
  });

  it('keeps short labels short', () => {
    expect(formatShort(3.14159)).toBe('3.14');
    expect(formatShort(-2e-5)).toBe('−2.00e−5');
  });
});

describe('topClass', () => {
  it('is the most probable class, the first on ties', () => {
    expect(topClass([0.1, 0.6, 0.3])).toEqual({ label: 1, probability: 0.6 });
    expect(topClass([0.5, 0.5])).toEqual({ label: 0, probability: 0.5 });
    expect(topClass([]).label).toBe(-1);
  });
});
