// The svg scaffolding the charts share: size, background, plot area, axes with labels, an empty-state
// message. Every element is created once and updated in place, so a chart redrawn ten times a second
// only touches attributes. Styling is by attribute, not page CSS, so a saved SVG looks the same.

import { axisBottom, axisLeft, select, type Selection } from './d3';

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

type Group = Selection<SVGGElement, unknown, null, undefined>;

export interface ChartFrame {
  svg: Selection<SVGSVGElement, unknown, null, undefined>;
  /** Translated to the plot area's top-left; marks go here. */
  plot: Group;
  margin: Margin;
  width: number;
  height: number;
  innerWidth: number;
  innerHeight: number;
}

export const TEXT_COLOR = '#333';
export const MUTED_COLOR = '#777';
const GRID_COLOR = '#ececec';

/** The child of `parent` with this class, created on first use. */
export function ensureChild<K extends keyof SVGElementTagNameMap>(
  parent: { node(): SVGElement | null },
  tag: K,
  className: string,
): Selection<SVGElementTagNameMap[K], unknown, null, undefined> {
  const element = parent.node() as SVGElement;
  let child = element.querySelector<SVGElementTagNameMap[K]>(`:scope > ${tag}.${className}`);
  if (!child) {
    child = document.createElementNS('http://www.w3.org/2000/svg', tag);
    child.setAttribute('class', className);
    element.append(child);
  }
  return select(child);
}

export function prepareFrame(element: SVGSVGElement, width: number, height: number, margin: Margin): ChartFrame {
  const svg = select(element)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('font-family', 'system-ui, sans-serif')
    .attr('font-size', 11);
  ensureChild(svg, 'rect', 'background').attr('width', width).attr('height', height).attr('fill', '#fff');
  const plot = ensureChild(svg, 'g', 'plot').attr('transform', `translate(${margin.left},${margin.top})`);
  return {
    svg,
    plot,
    margin,
    width,
    height,
    innerWidth: Math.max(1, width - margin.left - margin.right),
    innerHeight: Math.max(1, height - margin.top - margin.bottom),
  };
}

// What d3's axis generators accept: linear and log scales alike.
type AxisScale = Parameters<typeof axisLeft<number>>[0];

export interface AxesOptions {
  xLabel: string;
  yLabel: string;
  xTicks?: number;
  yTicks?: number;
  /** d3-format specifiers for the tick labels; a log axis leaves out labels that would crowd. */
  xSpecifier?: string;
  ySpecifier?: string;
}

/** Axes along the plot area's left and bottom, light horizontal grid lines, and both labels. */
export function drawAxes(frame: ChartFrame, x: AxisScale, y: AxisScale, options: AxesOptions): void {
  const { svg, margin, innerWidth, innerHeight } = frame;
  const grid = ensureChild(svg, 'g', 'grid').attr('transform', `translate(${margin.left},${margin.top})`);
  // The grid is drawn under the marks: move it right after the background.
  grid.lower();
  ensureChild(svg, 'rect', 'background').lower();
  grid
    .call(
      axisLeft<number>(y)
        .ticks(options.yTicks ?? 5)
        .tickSize(-innerWidth)
        .tickFormat(() => ''),
    )
    .call((g) => g.select('.domain').remove())
    .call((g) => g.selectAll('line').attr('stroke', GRID_COLOR));

  const xAxis = ensureChild(svg, 'g', 'x-axis').attr('transform', `translate(${margin.left},${margin.top + innerHeight})`);
  xAxis.call(axisBottom<number>(x).ticks(options.xTicks ?? 6, options.xSpecifier ?? ',~r'));
  const yAxis = ensureChild(svg, 'g', 'y-axis').attr('transform', `translate(${margin.left},${margin.top})`);
  yAxis.call(axisLeft<number>(y).ticks(options.yTicks ?? 5, options.ySpecifier ?? '.3~g'));
  for (const axis of [xAxis, yAxis]) axis.attr('color', MUTED_COLOR).attr('font-family', null).attr('font-size', 10);

  ensureChild(svg, 'text', 'x-label')
    .attr('x', margin.left + innerWidth / 2)
    .attr('y', frame.height - 4)
    .attr('text-anchor', 'middle')
    .attr('fill', TEXT_COLOR)
    .text(options.xLabel);
  ensureChild(svg, 'text', 'y-label')
    .attr('transform', `translate(12,${margin.top + innerHeight / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('fill', TEXT_COLOR)
    .text(options.yLabel);
}

/** A centred note in place of the marks (e.g. "no data yet"); null removes it. */
export function drawMessage(frame: ChartFrame, message: string | null): void {
  const text = ensureChild(frame.svg, 'text', 'message')
    .attr('x', frame.width / 2)
    .attr('y', frame.height / 2)
    .attr('text-anchor', 'middle')
    .attr('fill', MUTED_COLOR)
    .text(message ?? '');
  text.attr('display', message ? null : 'none');
  // Without data the axes would show a meaningless default domain.
  for (const className of ['grid', 'x-axis', 'y-axis', 'plot']) {
    frame.svg.select(`:scope > .${className}`).attr('display', message ? 'none' : null);
  }
}
