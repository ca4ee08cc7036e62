// Draws training curves into an svg: one line per (run, seed), runs by colour, seeds by dash.

import { drawAxes, drawMessage, prepareFrame } from './chart-frame';
import { line, scaleLinear, scaleLog } from './d3';
import { drawLegend, type LegendItem } from './legend';
import { curveExtent, curveLines, METRICS, seedsShown, type CurveLine, type CurveMetric, type CurveRun } from './metric-series';

export interface MetricCurvesData {
  runs: CurveRun[];
  metric: CurveMetric;
  logScale: boolean;
  width: number;
  height: number;
}

/** Dash per seed rank, the same in every run: solid, dashed, dotted, dash-dot, then repeat. */
const SEED_DASHES = ['', '6 3', '2 3', '8 3 2 3'];
export const seedDash = (rank: number) => SEED_DASHES[rank % SEED_DASHES.length];

const MARGIN = { top: 26, right: 14, bottom: 34, left: 58 };
/** Vertices per pixel of width kept after decimation: two (a min and a max) resolve every column. */
const POINTS_PER_PIXEL = 2;

export function drawMetricCurves(svg: SVGSVGElement, data: MetricCurvesData): void {
  const frame = prepareFrame(svg, data.width, data.height, MARGIN);
  drawLegend(frame.svg, MARGIN.left, 11, legendItems(data.runs));

  const lines = curveLines(data.runs, data.metric, POINTS_PER_PIXEL * frame.innerWidth, data.logScale);
  const extent = curveExtent(lines);
  if (!extent) {
    const empty = data.logScale && lines.some((l) => l.ys.length > 0) ? 'No positive values to show on a log axis.' : 'No data yet.';
    drawMessage(frame, empty);
    return;
  }
  drawMessage(frame, null);

  const x = scaleLinear()
    .domain([0, Math.max(1, extent.x[1])])
    .range([0, frame.innerWidth]);
  const [low, high] = extent.y;
  const y = data.logScale
    ? scaleLog()
        .domain(low === high ? [low / 2, high * 2] : [low, high])
        .range([frame.innerHeight, 0])
        .nice()
    : scaleLinear()
        .domain([Math.min(0, low), high === low ? high + 1 : high])
        .range([frame.innerHeight, 0])
        .nice();

  drawAxes(frame, x, y, {
    xLabel: 'step',
    yLabel: METRICS[data.metric].label + (data.logScale ? ' (log)' : ''),
    ySpecifier: data.logScale ? '.2~g' : '.3~g',
  });

  const path = (l: CurveLine) =>
    line<number>()
      .defined((i) => Number.isFinite(l.ys[i]))
      .x((i) => x(l.xs[i]))
      .y((i) => y(l.ys[i]))(Array.from(l.xs.keys())) ?? '';
  frame.plot
    .selectAll<SVGPathElement, CurveLine>('path.curve')
    .data(lines)
    .join('path')
    .attr('class', 'curve')
    .attr('fill', 'none')
    .attr('stroke-width', 1.5)
    // Round caps make a lone first point (a zero-length path) visible as a dot.
    .attr('stroke-linecap', 'round')
    .attr('stroke-linejoin', 'round')
    .attr('stroke', (l) => l.color)
    .attr('stroke-dasharray', (l) => seedDash(l.seedRank) || null)
    .attr('d', path);
}

function legendItems(runs: CurveRun[]): LegendItem[] {
  const runItems: LegendItem[] = runs.map((r) => ({ label: r.label, color: r.color, shape: 'line' }));
  const seeds = seedsShown(runs);
  // With one seed the dash carries no information, so it gets no legend entry.
  const seedItems: LegendItem[] =
    seeds.length > 1 ? seeds.map((seed, rank) => ({ label: `seed ${seed}`, color: '#777', shape: 'line', dash: seedDash(rank) })) : [];
  return [...runItems, ...seedItems];
}
