// Binned bar charts in svg: the matched-|cos| histogram of several runs (bars side by side within
// each bin, a threshold line), and the inspector's small activation histogram and class profile.

import { drawAxes, drawMessage, ensureChild, prepareFrame, TEXT_COLOR, type Margin } from './chart-frame';
import { scaleLinear } from './d3';
import { drawLegend } from './legend';

export interface HistogramSeries {
  label: string;
  color: string;
  /** One count per bin. */
  counts: number[];
}

export interface HistogramData {
  series: HistogramSeries[];
  /** Bin edges (bins + 1 of them); default equal bins over [0, 1]. */
  edges?: number[];
  width: number;
  height: number;
  xLabel: string;
  yLabel: string;
  /** A vertical reference line, e.g. the threshold τ. */
  marker?: { x: number; label: string };
  /** One bin drawn in `highlightColor` (e.g. the preferred class). */
  highlightBin?: number;
  highlightColor?: string;
  /** Tick label formats (d3-format); integer x ticks suit categories, SI y ticks suit counts. */
  xSpecifier?: string;
  ySpecifier?: string;
  xTicks?: number;
  /** Small margins and no legend for the inspector's sparkline-sized charts. */
  compact?: boolean;
}

const MARGIN: Margin = { top: 24, right: 14, bottom: 34, left: 52 };
const COMPACT_MARGIN: Margin = { top: 6, right: 6, bottom: 30, left: 44 };

interface Bar {
  key: string;
  x: number;
  width: number;
  count: number;
  color: string;
}

/** Equal bins over [0, 1]. */
export function unitEdges(bins: number): number[] {
  return Array.from({ length: bins + 1 }, (_, i) => i / bins);
}

export function drawHistogram(svg: SVGSVGElement, data: HistogramData): void {
  const margin = data.compact ? COMPACT_MARGIN : MARGIN;
  const frame = prepareFrame(svg, data.width, data.height, margin);
  if (!data.compact) drawLegend(frame.svg, margin.left, 10, data.series.map((s) => ({ label: s.label, color: s.color, shape: 'box' })));
  const bins = Math.max(0, ...data.series.map((s) => s.counts.length));
  const edges = data.edges ?? unitEdges(bins);
  const maxCount = Math.max(0, ...data.series.flatMap((s) => s.counts));
  if (bins === 0 || edges.length < 2) {
    drawMessage(frame, 'No data yet.');
    return;
  }
  drawMessage(frame, null);

  const x = scaleLinear()
    .domain([edges[0], edges[edges.length - 1]])
    .range([0, frame.innerWidth]);
  const y = scaleLinear()
    .domain([0, Math.max(1, maxCount)])
    .range([frame.innerHeight, 0])
    .nice();
  drawAxes(frame, x, y, {
    xLabel: data.xLabel,
    yLabel: data.yLabel,
    xTicks: data.xTicks ?? 5,
    yTicks: data.compact ? 3 : 5,
    xSpecifier: data.xSpecifier ?? '.2~f',
    ySpecifier: data.ySpecifier ?? '~s',
  });

  // Series share a bin side by side, with a pixel's gap between bins so neighbours stay distinct.
  const bars: Bar[] = [];
  data.series.forEach((s, k) => {
    s.counts.forEach((count, bin) => {
      const left = x(edges[bin]);
      const binWidth = Math.max(0, x(edges[bin + 1]) - left - 1);
      const width = binWidth / data.series.length;
      const color = bin === data.highlightBin && data.highlightColor ? data.highlightColor : s.color;
      bars.push({ key: `${k}:${bin}`, x: left + 0.5 + k * width, width, count, color });
    });
  });
  frame.plot
    .selectAll<SVGRectElement, Bar>('rect.bar')
    .data(bars, (b) => b.key)
    .join('rect')
    .attr('class', 'bar')
    .attr('x', (b) => b.x)
    .attr('width', (b) => Math.max(0.5, b.width))
    .attr('y', (b) => y(b.count))
    .attr('height', (b) => frame.innerHeight - y(b.count))
    .attr('fill', (b) => b.color);

  const marker = ensureChild(frame.plot, 'g', 'marker').attr('display', data.marker ? null : 'none');
  if (data.marker) {
    const mx = x(data.marker.x);
    ensureChild(marker, 'line', 'marker-line')
      .attr('x1', mx)
      .attr('x2', mx)
      .attr('y1', 0)
      .attr('y2', frame.innerHeight)
      .attr('stroke', TEXT_COLOR)
      .attr('stroke-dasharray', '4 3');
    ensureChild(marker, 'text', 'marker-label')
      .attr('x', mx - 4)
      .attr('y', 10)
      .attr('text-anchor', 'end')
      .attr('fill', TEXT_COLOR)
      .text(data.marker.label);
  }
}
