/**
 * A feature's counterparts in the other seeds, read from a multi-seed alignment (alignSeeds): its
 * partner under the optimal decoder assignment with each other seed, their matched |cos|, and the
 * paper's "shared" verdict (encoder and decoder assignments agree, both |cos| ≥ τ), with the
 * encoder side of that verdict so it can be explained.
 */
import type { FeatureStability } from '../align';

export interface Partner {
  /** Index of the other seed's SAE in the alignment (not its seed value). */
  otherIndex: number;
  feature: number;
  /** Decoder |cos| with the partner (the decoder assignment's matched value). */
  cosine: number;
  /** Encoder |cos| with the same partner. */
  encoderCosine: number;
  /** The encoder assignment's partner, or -1; "shared" needs it to be `feature`. */
  encoderPartner: number;
  /** Encoder |cos| with the encoder assignment's partner. */
  encoderPartnerCosine: number;
  shared: boolean;
}

export function featurePartners(stability: FeatureStability, feature: number): Partner[] {
  return stability.otherSeeds.flatMap((otherIndex, k) => {
    const partner = stability.partner[k][feature];
    // A wider SAE leaves some features without a partner in a narrower one.
    if (partner < 0) return [];
    return [
      {
        otherIndex,
        feature: partner,
        cosine: stability.matchedCosine[k][feature],
        encoderCosine: stability.encoderCosine[k][feature],
        encoderPartner: stability.encoderPartner[k][feature],
        encoderPartnerCosine: stability.encoderPartnerCosine[k][feature],
        shared: stability.sharedPartner[k][feature] === partner,
      },
    ];
  });
}
