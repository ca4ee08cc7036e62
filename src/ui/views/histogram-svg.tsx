import { useEffect, useRef, type RefObject } from 'react';
import { drawHistogram, type HistogramData } from './draw-histogram';
import { useElementWidth } from './use-element-width';

interface HistogramSvgProps {
  data: Omit<HistogramData, 'width' | 'height'>;
  height: number;
  /** Handed the svg, e.g. for saving the figure. */
  svgRef?: RefObject<SVGSVGElement | null>;
  label: string;
}

/** A bar chart filling its container's width, redrawn in place when the data changes. */
export function HistogramSvg({ data, height, svgRef, label }: HistogramSvgProps) {
  const container = useRef<HTMLDivElement>(null);
  const ownSvg = useRef<SVGSVGElement>(null);
  const svg = svgRef ?? ownSvg;
  const width = useElementWidth(container, 240);

  useEffect(() => {
    if (svg.current) drawHistogram(svg.current, { ...data, width, height });
  }, [svg, data, width, height]);

  return (
    <div ref={container} className="sv-fill">
      <svg ref={svg} role="img" aria-label={label} />
    </div>
  );
}
