import { describe, expect, it } from 'vitest';
import type { ReferenceSharing } from '../../../src/core/align';
import { sharingBars, sharingCategoryNote } from '../../../src/ui/views/sharing-bars';

const sharing = (features: number, always: number, never: number): ReferenceSharing => ({
  referenceSeed: 0,
  features,
  always,
  sometimes: features - always - never,
  never,
  sharedWithAllFrac: always / features,
  sharedInAllPairs: always,
  sharedInAllPairsFrac: always / features,
});

describe('sharingBars', () => {
  it('gives each configuration its counts and fractions of seed 0’s features, category by category', () => {
    const bars = sharingBars([
      { label: 'A', color: 'blue', sharing: sharing(16384, 4096, 8192) },
      { label: 'B', color: 'orange', sharing: sharing(16384, 12288, 1024) },
    ]);
    expect(bars.map((b) => [b.category, b.label, b.count, b.fraction])).toEqual([
      ['always', 'A', 4096, 0.25],
      ['always', 'B', 12288, 0.75],
      ['sometimes', 'A', 4096, 0.25],
      ['sometimes', 'B', 3072, 0.1875],
      ['never', 'A', 8192, 0.5],
      ['never', 'B', 1024, 0.0625],
    ]);
    // Each configuration's three bars account for every feature once.
    for (const label of ['A', 'B']) {
      const mine = bars.filter((b) => b.label === label);
      expect(mine.reduce((s, b) => s + b.count, 0)).toBe(16384);
      expect(mine.reduce((s, b) => s + b.fraction, 0)).toBeCloseTo(1, 12);
    }
  });

  it('leaves out a configuration without a summary and copes with no features', () => {
    expect(sharingBars([{ label: 'A', color: 'blue', sharing: null }])).toEqual([]);
    const empty = sharingBars([{ label: 'A', color: 'blue', sharing: { ...sharing(1, 0, 0), features: 0, sometimes: 0 } }]);
    expect(empty.map((b) => b.fraction)).toEqual([0, 0, 0]);
  });
});

describe('sharingCategoryNote', () => {
  it('names the other seeds for three seeds and for two', () => {
    expect(sharingCategoryNote('always', 3)).toBe('shared with all 2 other seeds');
    expect(sharingCategoryNote('sometimes', 3)).toBe('shared with one of the 2 others');
    expect(sharingCategoryNote('never', 3)).toBe('shared with no other seed');
    expect(sharingCategoryNote('always', 2)).toBe('shared with the other seed');
    expect(sharingCategoryNote('sometimes', 5)).toBe('shared with 1 to 3 of the 4 others');
  });
});
