// Why a feature and its partner in another seed are or are not "shared" (the paper's criterion:
// the encoder and decoder assignments pick the same partner and both |cos| ≥ τ), in words short
// enough for a partner card.
import { formatFixed } from './number-format';

/** What a partner card knows about one partner (a subset of FeaturePartner). */
export interface PartnerCosines {
  feature: number;
  /** Decoder |cos| with the partner. */
  cosine: number;
  /** Encoder |cos| with the same partner. */
  encoderCosine: number;
  /** The encoder assignment's partner (−1: none). */
  encoderPartner: number;
  shared: boolean;
}

/**
 * |cos| with two decimals, or more where two would round a value below τ up to τ ("0.70" that is
 * not ≥ 0.7 would contradict the verdict next to it).
 */
export function formatCosine(value: number, tau: number): string {
  let digits = 2;
  while (digits < 4 && value < tau && formatFixed(value, digits) === formatFixed(tau, digits)) digits++;
  return formatFixed(value, digits);
}

/** "shared", or "not shared" with the first reason the criterion fails. */
export function partnerVerdict(partner: PartnerCosines, tau: number): string {
  if (partner.shared) return 'shared';
  if (partner.encoderPartner !== partner.feature) {
    return partner.encoderPartner >= 0 ? `not shared: the encoder matching picks #${partner.encoderPartner}` : 'not shared: the encoder matching leaves it unmatched';
  }
  const low = [partner.cosine < tau ? 'dec' : null, partner.encoderCosine < tau ? 'enc' : null].filter((x) => x !== null);
  return low.length > 0 ? `not shared: ${low.join(' and ')} |cos| below ${tau}` : 'not shared';
}
