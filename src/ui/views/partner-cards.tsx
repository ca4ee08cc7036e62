import type { ReactNode } from 'react';
import type { FeaturePartner } from '../../runtime/protocol/lab-api';
import { formatCosine, partnerVerdict } from './partner-verdict';

interface PartnerCardsProps {
  partners: FeaturePartner[];
  onSelect: (seed: number, feature: number) => void;
  /** The sharing threshold, for the cards' explanation (the paper's 0.7). */
  tau: number;
  /** A picture of the partner's decoder direction, where the data has one (MNIST digits). */
  picture?: (partner: FeaturePartner) => ReactNode;
  /** A partner to mark (e.g. the column feature of a clicked heatmap cell). */
  highlight?: { seed: number; feature: number } | null;
}

/**
 * A feature's matches in every other seed, each a button that inspects it: the decoder |cos| that
 * matched them, the encoder |cos| of the same pair, and whether they are shared, with why not.
 */
export function PartnerCards({ partners, onSelect, tau, picture, highlight }: PartnerCardsProps) {
  return (
    <div className="sv-tile-row">
      {partners.map((partner) => {
        const marked = highlight?.seed === partner.seed && highlight.feature === partner.feature;
        return (
          <button
            type="button"
            key={partner.seed}
            className={`sv-partner${partner.shared ? ' sv-shared' : ''}${marked ? ' sv-marked' : ''}`}
            data-testid={`partner-${partner.seed}`}
            data-feature={partner.feature}
            onClick={() => onSelect(partner.seed, partner.feature)}
            title={`Shared (the paper's criterion): encoder and decoder matchings pick the same partner and both |cos| ≥ ${tau}. Click to inspect it.`}
          >
            {picture?.(partner)}
            <span>
              seed {partner.seed} #{partner.feature}
            </span>
            <span className="sv-cosines" data-testid={`cosines-of-partner-${partner.seed}`}>
              dec |cos| {formatCosine(partner.cosine, tau)} · enc |cos| {formatCosine(partner.encoderCosine, tau)}
            </span>
            <span className="sv-shared-flag" data-testid={`verdict-of-partner-${partner.seed}`}>
              {partnerVerdict(partner, tau)}
            </span>
          </button>
        );
      })}
      {partners.length === 0 && <p className="sv-empty">Partners need two or more seeds.</p>}
    </div>
  );
}
