import { useMemo } from 'react';
import type { FeatureDetails } from '../../runtime/protocol/lab-api';
import { ActivationHistogram, InspectorHeader } from './activation-histogram';
import { HistogramSvg } from './histogram-svg';
import { ImageTile } from './image-tile';
import { PartnerCards } from './partner-cards';
import { formatPercent, formatShort } from './number-format';

interface FeatureInspectorProps {
  details: FeatureDetails;
  /** Called with a partner's seed and feature when its card is clicked. */
  onSelectPartner: (seed: number, feature: number) => void;
  onClose?: () => void;
  /** The sharing threshold, for the partners' explanation (the paper's 0.7 by default). */
  tau?: number;
  /** A partner to mark: the other feature of a clicked heatmap cell. */
  highlight?: { seed: number; feature: number } | null;
}

const RUN_COLOR = '#4c6ef5';
const PREFERRED_COLOR = '#e8590c';
/** Class profile bins centred on the integers 0–9, so integer ticks sit under their bars. */
const CLASS_EDGES = Array.from({ length: 11 }, (_, i) => i - 0.5);

/** Everything about one feature: its weights, when it fires, what it fires on, and its partners in the other seeds. */
export function FeatureInspector({ details, onSelectPartner, onClose, tau = 0.7, highlight = null }: FeatureInspectorProps) {
  const classData = useMemo(
    () => ({
      series: [{ label: 'mean activation', color: RUN_COLOR, counts: details.classProfile }],
      edges: CLASS_EDGES,
      xLabel: 'digit class',
      yLabel: 'mean act.',
      highlightBin: details.preferredClass,
      highlightColor: PREFERRED_COLOR,
      xSpecifier: 'd',
      xTicks: 10,
      ySpecifier: '.2~g',
      compact: true,
    }),
    [details],
  );

  return (
    <section className="sv-view sv-inspector" data-testid="feature-inspector">
      <InspectorHeader feature={details.feature} seed={details.seed} onClose={onClose} />

      <div className="sv-inspector-top">
        <ImageTile pixels={details.decoder} mode="diverging" size={84} label="decoder" title="Decoder row: what the feature adds to the image" />
        <ImageTile pixels={details.encoder} mode="diverging" size={84} label="encoder" title="Encoder column: what the feature looks for" />
        <dl className="sv-facts">
          <dt>fires on</dt>
          <dd data-testid="inspector-frequency">{formatPercent(details.frequency, 2)} of test digits</dd>
          <dt>prefers class</dt>
          <dd data-testid="inspector-preferred">{details.preferredClass}</dd>
        </dl>
      </div>

      <div className="sv-inspector-charts">
        <figure>
          <figcaption>Non-zero activations on the test set</figcaption>
          <ActivationHistogram histogram={details.histogram} unit="digits" />
        </figure>
        <figure>
          <figcaption>Mean activation per class (preferred in orange)</figcaption>
          <HistogramSvg data={classData} height={110} label="mean activation per digit class" />
        </figure>
      </div>

      <h4>Top-activating test digits</h4>
      <div className="sv-tile-row">
        {details.topDigits.map((digit) => (
          <ImageTile
            key={digit.index}
            pixels={digit.image}
            mode="gray"
            size={42}
            label={`${digit.label} · ${formatShort(digit.activation)}`}
            title={`test digit #${digit.index}, label ${digit.label}, activation ${formatShort(digit.activation)}`}
          />
        ))}
        {details.topDigits.length === 0 && <p className="sv-empty">It fires on no test digit.</p>}
      </div>

      <h4>Matched partners in the other seeds</h4>
      <PartnerCards
        partners={details.partners}
        onSelect={onSelectPartner}
        tau={tau}
        highlight={highlight}
        picture={(partner) => <ImageTile pixels={partner.decoder} mode="diverging" size={56} />}
      />
    </section>
  );
}
