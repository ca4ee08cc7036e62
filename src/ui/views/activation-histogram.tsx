import { useMemo } from 'react';
import { HistogramSvg } from './histogram-svg';

const RUN_COLOR = '#4c6ef5';

interface ActivationHistogramProps {
  histogram: { edges: number[]; counts: number[] };
  /** What was counted: "digits", "rows". */
  unit: string;
}

/** A feature's non-zero activations, binned. */
export function ActivationHistogram({ histogram, unit }: ActivationHistogramProps) {
  const data = useMemo(
    () => ({
      series: [{ label: 'activations', color: RUN_COLOR, counts: histogram.counts }],
      edges: histogram.edges,
      xLabel: 'activation (when non-zero)',
      yLabel: unit,
      compact: true,
    }),
    [histogram, unit],
  );
  return <HistogramSvg data={data} height={110} label="histogram of the feature's activations" />;
}

/** The inspector's title line: which feature of which seed, and a Close button. */
export function InspectorHeader({ feature, seed, onClose }: { feature: number; seed: number; onClose?: () => void }) {
  return (
    <header className="sv-header">
      <h3>
        Feature {feature} · seed {seed}
      </h3>
      {onClose && (
        <button type="button" onClick={onClose} title="Close the inspector">
          Close
        </button>
      )}
    </header>
  );
}
