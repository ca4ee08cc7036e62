import type { ReactNode } from 'react';
import type { FeaturePartner } from '../../runtime/lab-api';
import { formatFixed } from './number-format';

interface PartnerCardsProps {
  partners: FeaturePartner[];
  onSelect: (seed: number, feature: number) => void;
  /** The sharing threshold, for the cards' explanation (the paper's 0.7). */
  tau: number;
  /** A picture of the partner's decoder direction, where the data has one (MNIST digits). */
  picture?: (partner: FeaturePartner) => ReactNode;
}

/** A feature's matches in every other seed, each a button that inspects it. */
export function PartnerCards({ partners, onSelect, tau, picture }: PartnerCardsProps) {
  return (
    <div className="sv-tile-row">
      {partners.map((partner) => (
        <button
          type="button"
          key={partner.seed}
          className={`sv-partner${partner.shared ? ' sv-shared' : ''}`}
          data-testid={`partner-${partner.seed}`}
          onClick={() => onSelect(partner.seed, partner.feature)}
          title={`Shared (the paper's criterion): encoder and decoder matchings pick the same partner and both |cos| ≥ ${tau}. Click to inspect it.`}
        >
          {picture?.(partner)}
          <span>
            seed {partner.seed} #{partner.feature}
          </span>
          <span>|cos| {formatFixed(partner.cosine, 2)}</span>
          <span className="sv-shared-flag">{partner.shared ? 'shared' : 'not shared'}</span>
        </button>
      ))}
      {partners.length === 0 && <p className="sv-empty">Partners need two or more seeds.</p>}
    </div>
  );
}
