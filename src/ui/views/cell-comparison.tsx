import type { ReactNode } from 'react';
import type { FeatureGlance } from './feature-glance';
import { ImageTile } from './image-tile';
import { formatFixed, formatPercent } from './number-format';

interface CellComparisonProps {
  /** The feature inspected in full below (at first the clicked cell's row feature). */
  inspected: FeatureGlance;
  /** The cell's other feature, from the other seed (at first its column feature). */
  companion: FeatureGlance;
  /** Decoder |cos| of the two. */
  cosine: number;
  /** The inspected feature's matched partner in the companion's seed, once known. */
  partner: { feature: number; cosine: number } | null;
  /** Whether decoder directions are images (MNIST digits). */
  images: boolean;
  /** Inspects the companion in full (the inspected feature then becomes the companion). */
  onSwap: () => void;
  onDismiss: () => void;
}

/**
 * The two features of a clicked heatmap cell side by side: their decoder directions, |cos|, how
 * often they fire and how stable they are, and whether they are each other's matched partners (a
 * cell on the diagonal) or not.
 */
export function CellComparison({ inspected, companion, cosine, partner, images, onSwap, onDismiss }: CellComparisonProps) {
  const verdict =
    partner === null
      ? null
      : partner.feature === companion.feature
        ? `Matched partners: #${companion.feature} is #${inspected.feature}'s partner in seed ${companion.seed} under the optimal assignment (a cell on the diagonal).`
        : `Not matched: #${inspected.feature}'s partner in seed ${companion.seed} is #${partner.feature} (|cos| ${formatFixed(partner.cosine, 2)}); #${companion.feature} is another feature (a cell off the diagonal).`;
  const card = (glance: FeatureGlance, testId: string, action: ReactNode) => (
    <div className="sv-cell-feature" data-testid={testId} data-seed={glance.seed} data-feature={glance.feature}>
      {images && <ImageTile pixels={glance.decoder} mode="diverging" size={64} title="Decoder direction" />}
      <div>
        <strong>
          seed {glance.seed} #{glance.feature}
        </strong>
        <dl className="sv-facts">
          <dt title="Fraction of recent training inputs it fired on">fires in training</dt>
          <dd>{formatPercent(glance.frequency, 1)}</dd>
          <dt>stability</dt>
          <dd>{formatFixed(glance.stability, 2)}</dd>
        </dl>
        {action}
      </div>
    </div>
  );
  return (
    <section className="sv-view sv-cell-comparison" data-testid="cell-comparison">
      <header className="sv-header">
        <h3>
          Heatmap cell: seed {inspected.seed} #{inspected.feature} and seed {companion.seed} #{companion.feature}, decoder |cos|{' '}
          <span data-testid="cell-cosine">{formatFixed(cosine, 3)}</span>
        </h3>
        <button type="button" onClick={onDismiss} title="Show only the inspected feature">
          Hide
        </button>
      </header>
      <div className="sv-cell-pair">
        {card(inspected, 'cell-inspected', <span className="muted">in full below</span>)}
        {card(
          companion,
          'cell-companion',
          <button type="button" data-testid="cell-swap" onClick={onSwap}>
            Inspect #{companion.feature} in full
          </button>,
        )}
      </div>
      {verdict && (
        <p className="sv-caption" data-testid="cell-verdict">
          {verdict}
        </p>
      )}
    </section>
  );
}
