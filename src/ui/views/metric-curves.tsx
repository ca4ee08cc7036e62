import { useEffect, useRef, useState } from 'react';
import { drawMetricCurves } from './draw-metric-curves';
import { METRICS, type CurveMetric, type CurveRun } from './metric-series';
import { SaveFigureButton } from './save-figure-button';
import { useElementWidth } from './use-element-width';

interface MetricCurvesProps {
  metric: CurveMetric;
  /** Each run's colour is shared by its seeds' lines; seeds are told apart by dash. */
  runs: CurveRun[];
  height?: number;
  /** Initial state of the log-axis toggle (loss-like metrics only). */
  logScale?: boolean;
}

/** Training curves of one metric for every run and seed on shared axes (svg, redrawn in place as points stream in). */
export function MetricCurves({ metric, runs, height = 220, logScale: initialLog = false }: MetricCurvesProps) {
  const container = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const width = useElementWidth(container);
  const [logScale, setLogScale] = useState(initialLog);
  const info = METRICS[metric];
  const log = info.lossLike && logScale;

  useEffect(() => {
    if (svg.current) drawMetricCurves(svg.current, { runs, metric, logScale: log, width, height });
  }, [runs, metric, log, width, height]);

  return (
    <section className="sv-view sv-curves" data-testid={`metric-curves-${metric}`}>
      <header className="sv-header">
        <h3>{info.label}</h3>
        {info.lossLike && (
          <label className="sv-toggle">
            <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> log scale
          </label>
        )}
        <SaveFigureButton target={() => svg.current} fileName={`curves-${metric}`} format="svg" />
      </header>
      <div ref={container} className="sv-fill">
        <svg ref={svg} role="img" aria-label={`${info.label} against training step`} />
      </div>
    </section>
  );
}
