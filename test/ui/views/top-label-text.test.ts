import { describe, expect, it } from 'vitest';
import type { FeatureLabels } from '../../../src/runtime/protocol/lab-api';
import { featureTopLabel, topLabelText } from '../../../src/ui/views/top-label-text';

describe('document labels as the feature table prints them', () => {
  const labels: FeatureLabels = {
    seed: 0,
    names: ['noun.animal', 'verb.motion'],
    label: Int32Array.from([1, -1, 0]),
    count: Int32Array.from([7, 0, 3]),
    total: Int32Array.from([10, 4, 3]),
    sampleRows: 2048,
    contexts: 10,
  };

  it('names the label and how many of the top contexts have it', () => {
    expect(featureTopLabel(labels, 0)).toEqual({ label: 'verb.motion', count: 7, total: 10 });
    expect(topLabelText(featureTopLabel(labels, 0)!)).toBe('verb.motion 7/10');
    expect(topLabelText(featureTopLabel(labels, 2)!)).toBe('noun.animal 3/3');
  });

  it('cuts a long label to the characters it is given, never the count', () => {
    const top = { label: 'noun.communication', count: 10, total: 10 };
    expect(topLabelText(top, 8)).toBe('noun.co… 10/10');
    expect([...topLabelText(top, 8).split(' ')[0]]).toHaveLength(8);
    expect(topLabelText(top, 18)).toBe('noun.communication 10/10');
    expect(topLabelText({ label: 'ünïcødé.läbel', count: 1, total: 2 }, 5)).toBe('ünïc… 1/2');
  });

  it('has nothing for a feature whose top contexts carry no label, or past the last feature', () => {
    expect(featureTopLabel(labels, 1)).toBeNull();
    expect(featureTopLabel(labels, 3)).toBeNull();
  });
});
