import { useMemo, useRef } from 'react';
import { HistogramSvg } from './histogram-svg';
import { SaveFigureButton } from './save-figure-button';

interface MatchedHistogramProps {
  /** Counts of matched |cos| in equal bins over [0, 1], one entry per run. */
  runs: { label: string; color: string; histogram: number[] }[];
  /** The "paired"/"shared" threshold, drawn as a vertical line. */
  tau: number;
  /** Whose directions were matched: decoder columns or encoder rows (each by its own optimal matching). */
  side?: 'decoder' | 'encoder';
  /** Said under the figure, e.g. why a run is missing from it. */
  note?: string | null;
  height?: number;
}

/** How the optimal matching's |cos| values are distributed, per run, against the threshold τ. */
export function MatchedHistogram({ runs, tau, side = 'decoder', note, height = 200 }: MatchedHistogramProps) {
  const svg = useRef<SVGSVGElement>(null);
  const data = useMemo(
    () => ({
      series: runs.map((r) => ({ label: r.label, color: r.color, counts: r.histogram })),
      xLabel: `matched ${side} |cos|`,
      yLabel: 'features',
      marker: { x: tau, label: `τ = ${tau}` },
    }),
    [runs, tau, side],
  );
  const Side = side === 'decoder' ? 'Decoder' : 'Encoder';
  const bins = Math.max(0, ...runs.map((r) => r.histogram.length));
  return (
    <section className="sv-view sv-histogram" data-testid={`matched-histogram-${side}`}>
      <header className="sv-header">
        <h3>{Side}: matched |cos| under the optimal matching</h3>
        <SaveFigureButton target={() => svg.current} fileName={`matched-histogram-${side}`} format="svg" />
      </header>
      <HistogramSvg data={data} height={height} svgRef={svg} label={`histogram of matched ${side} cosines`} />
      <p className="sv-caption">
        Each seed pair's features are matched one-to-one by the optimal assignment on {side} |cos|; the matched pairs' |cos| of every seed pair are counted
        together, in {bins} bins over [0, 1].
      </p>
      {note && (
        <p className="sv-caption" data-testid={`matched-histogram-${side}-note`}>
          {note}
        </p>
      )}
    </section>
  );
}
