// The "always / sometimes / never shared" figure in svg: one group of bars per category, one bar per
// configuration within it, each labelled with its count and its share of the reference seed's features.

import { drawAxes, drawMessage, ensureChild, prepareFrame, TEXT_COLOR, type Margin } from './chart-frame';
import { format, scaleLinear } from './d3';
import { drawLegend } from './legend';
import { SHARING_CATEGORIES, type SharingBar } from './sharing-bars';

export interface SharingBarsData {
  bars: SharingBar[];
  width: number;
  height: number;
  yLabel: string;
}

const MARGIN: Margin = { top: 26, right: 10, bottom: 38, left: 56 };
/** Room above the tallest bar for its two label lines. */
const LABEL_ROOM = 26;
const percent = format('.1%');
/** On a phone's narrow bars "100.0%" would run into its neighbour. */
const shortPercent = format('.0%');
const count = format(',');
/** Bars narrower than this (pixels) get the short percent. */
const NARROW_BAR = 38;

interface PlacedBar extends SharingBar {
  key: string;
  x: number;
  barWidth: number;
}

export function drawSharingBars(svg: SVGSVGElement, data: SharingBarsData): void {
  const frame = prepareFrame(svg, data.width, data.height, MARGIN);
  const labels = [...new Set(data.bars.map((b) => b.label))];
  drawLegend(frame.svg, MARGIN.left, 10, labels.map((label) => ({ label, color: data.bars.find((b) => b.label === label)!.color, shape: 'box' })));
  if (data.bars.length === 0) {
    drawMessage(frame, 'No alignment yet.');
    return;
  }
  drawMessage(frame, null);

  const groups = SHARING_CATEGORIES.length;
  const x = scaleLinear().domain([0, groups]).range([0, frame.innerWidth]);
  const y = scaleLinear().domain([0, 1]).range([frame.innerHeight, LABEL_ROOM]);
  drawAxes(frame, x, y, { xLabel: 'shared with the other seeds', yLabel: data.yLabel, xTicks: 0, yTicks: 4, ySpecifier: '.0%' });
  // The x axis is categorical: its numeric ticks are hidden, the category names drawn below instead.
  frame.svg.selectAll('.x-axis .tick').remove();

  const groupWidth = x(1) - x(0);
  const barWidth = Math.min(64, (groupWidth * 0.8) / labels.length);
  const placed: PlacedBar[] = data.bars.map((bar) => {
    const g = SHARING_CATEGORIES.indexOf(bar.category);
    const k = labels.indexOf(bar.label);
    const left = x(g) + (groupWidth - barWidth * labels.length) / 2 + k * barWidth;
    return { ...bar, key: `${bar.category}:${bar.label}`, x: left, barWidth };
  });

  frame.plot
    .selectAll<SVGRectElement, PlacedBar>('rect.bar')
    .data(placed, (b) => b.key)
    .join('rect')
    .attr('class', 'bar')
    .attr('x', (b) => b.x + 1)
    .attr('width', (b) => Math.max(1, b.barWidth - 2))
    .attr('y', (b) => y(b.fraction))
    .attr('height', (b) => frame.innerHeight - y(b.fraction))
    .attr('fill', (b) => b.color);
  // Percent on the first line, the count above it: both numbers survive a PNG or SVG copy of the figure.
  const barLabel = (className: string, above: number, text: (b: PlacedBar) => string) =>
    frame.plot
      .selectAll<SVGTextElement, PlacedBar>(`text.${className}`)
      .data(placed, (b) => b.key)
      .join('text')
      .attr('class', className)
      .attr('x', (b) => b.x + b.barWidth / 2)
      .attr('y', (b) => y(b.fraction) - above)
      .attr('text-anchor', 'middle')
      .attr('font-size', 10)
      .attr('fill', TEXT_COLOR)
      .text(text);
  barLabel('bar-percent', 3, (b) => (b.barWidth < NARROW_BAR ? shortPercent : percent)(b.fraction));
  barLabel('bar-count', 14, (b) => count(b.count));

  const names = ensureChild(frame.plot, 'g', 'categories');
  names
    .selectAll<SVGTextElement, string>('text')
    .data(SHARING_CATEGORIES)
    .join('text')
    .attr('x', (_, g) => x(g) + groupWidth / 2)
    .attr('y', frame.innerHeight + 16)
    .attr('text-anchor', 'middle')
    .attr('fill', TEXT_COLOR)
    .text((c) => c);
}
