import { useMemo, useRef } from 'react';
import { HistogramSvg } from './histogram-svg';
import { SaveFigureButton } from './save-figure-button';

interface MatchedHistogramProps {
  /** Counts of matched decoder |cos| in equal bins over [0, 1], one entry per run. */
  runs: { label: string; color: string; histogram: number[] }[];
  /** The "paired"/"shared" threshold, drawn as a vertical line. */
  tau: number;
  height?: number;
}

/** How the optimal matching's |cos| values are distributed, per run, against the threshold τ. */
export function MatchedHistogram({ runs, tau, height = 200 }: MatchedHistogramProps) {
  const svg = useRef<SVGSVGElement>(null);
  const data = useMemo(
    () => ({
      series: runs.map((r) => ({ label: r.label, color: r.color, counts: r.histogram })),
      xLabel: 'matched |cos|',
      yLabel: 'features',
      marker: { x: tau, label: `τ = ${tau}` },
    }),
    [runs, tau],
  );
  return (
    <section className="sv-view sv-histogram" data-testid="matched-histogram">
      <header className="sv-header">
        <h3>Matched |cos| under the optimal matching</h3>
        <SaveFigureButton target={() => svg.current} fileName="matched-histogram" />
      </header>
      <HistogramSvg data={data} height={height} svgRef={svg} label="histogram of matched decoder cosines" />
    </section>
  );
}
