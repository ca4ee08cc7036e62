import { describe, expect, it } from 'vitest';
import { formatCosine, partnerVerdict } from '../../../src/ui/views/partner-verdict';

const partner = { feature: 4, cosine: 0.95, encoderCosine: 0.9, encoderPartner: 4, shared: true };

describe('partnerVerdict', () => {
  it('names the first reason a partner is not shared', () => {
    expect(partnerVerdict(partner, 0.7)).toBe('shared');
    expect(partnerVerdict({ ...partner, shared: false, encoderPartner: 12, encoderCosine: 0.41 }, 0.7)).toBe('not shared: the encoder matching picks #12');
    expect(partnerVerdict({ ...partner, shared: false, encoderCosine: 0.41 }, 0.7)).toBe('not shared: enc |cos| below 0.7');
    expect(partnerVerdict({ ...partner, shared: false, cosine: 0.5, encoderCosine: 0.41 }, 0.7)).toBe('not shared: dec and enc |cos| below 0.7');
    expect(partnerVerdict({ ...partner, shared: false, encoderPartner: -1 }, 0.7)).toBe('not shared: the encoder matching leaves it unmatched');
  });
});

describe('formatCosine', () => {
  it('never rounds a value below the threshold up to it', () => {
    expect(formatCosine(0.953, 0.7)).toBe('0.95');
    expect(formatCosine(0.6996, 0.7)).toBe('0.6996');
    expect(formatCosine(0.698, 0.7)).toBe('0.698');
    expect(formatCosine(0.6949, 0.7)).toBe('0.69');
    expect(formatCosine(0.7, 0.7)).toBe('0.70');
  });
});
