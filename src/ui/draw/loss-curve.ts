/**
 * Draws training curves on a canvas from plain numbers; knows nothing of React or the store.
 * Log-scaled y once the values span a decade or more (losses fall over orders of magnitude);
 * linear below that, where log ticks would be too sparse to read.
 */
import { scaleLinear, scaleLog } from 'd3';

export interface CurveSeries {
  label: string;
  color: string;
  dashed?: boolean;
  /** One value per entry of `steps`. */
  values: number[];
}

export interface LossCurveData {
  steps: number[];
  /** The x axis runs to here (the run's length), so the curve grows into a fixed frame. */
  maxStep: number;
  series: CurveSeries[];
}

// The top margin holds the legend, so it never covers the curves.
const MARGIN = { top: 30, right: 28, bottom: 28, left: 64 };
const AXIS_COLOR = '#888';
const FONT = '11px system-ui, sans-serif';

export function drawLossCurve(canvas: HTMLCanvasElement, data: LossCurveData): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  // Draw in CSS pixels on a backing store sized for the screen's pixel density.
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = FONT;

  const finite = data.series.flatMap((s) => s.values).filter(Number.isFinite);
  if (data.steps.length === 0 || finite.length === 0) {
    ctx.fillStyle = AXIS_COLOR;
    ctx.fillText('The loss curve appears here once training starts.', MARGIN.left, height / 2);
    return;
  }

  const x = scaleLinear()
    .domain([0, Math.max(data.maxStep, data.steps[data.steps.length - 1], 1)])
    .range([MARGIN.left, width - MARGIN.right]);
  const low = Math.min(...finite);
  const high = Math.max(...finite);
  const yRange = [height - MARGIN.bottom, MARGIN.top];
  const y =
    low > 0 && high / low >= 10
      ? scaleLog().domain([low, high]).range(yRange).nice()
      : scaleLinear().domain([Math.min(0, low), high === low ? high + 1 : high]).range(yRange).nice();

  drawAxes(ctx, x, y, width, height);
  for (const series of data.series) drawSeries(ctx, data.steps, series, x, y);
  drawLegend(ctx, data.series);
}

type Scale = ((value: number) => number) & { ticks(count?: number): number[]; tickFormat(count?: number, specifier?: string): (n: number) => string };

function drawAxes(ctx: CanvasRenderingContext2D, x: Scale, y: Scale, width: number, height: number): void {
  ctx.strokeStyle = '#e3e3e3';
  ctx.fillStyle = AXIS_COLOR;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yFormat = y.tickFormat(5, '.2~g');
  for (const tick of y.ticks(5)) {
    const label = yFormat(tick);
    if (label === '') continue;
    ctx.beginPath();
    ctx.moveTo(MARGIN.left, y(tick));
    ctx.lineTo(width - MARGIN.right, y(tick));
    ctx.stroke();
    ctx.fillText(label, MARGIN.left - 6, y(tick));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const tick of x.ticks(6)) ctx.fillText(String(tick), x(tick), height - MARGIN.bottom + 6);
  ctx.textAlign = 'right';
  ctx.fillText('step', width - MARGIN.right, height - 12);
}

function drawSeries(ctx: CanvasRenderingContext2D, steps: number[], series: CurveSeries, x: Scale, y: Scale): void {
  ctx.strokeStyle = series.color;
  ctx.lineWidth = 1.5;
  ctx.setLineDash(series.dashed ? [5, 3] : []);
  ctx.beginPath();
  let penDown = false;
  series.values.forEach((value, i) => {
    // A non-finite value breaks the line rather than dragging it off the chart.
    if (!Number.isFinite(value)) {
      penDown = false;
      return;
    }
    if (penDown) ctx.lineTo(x(steps[i]), y(value));
    else ctx.moveTo(x(steps[i]), y(value));
    penDown = true;
  });
  ctx.stroke();
  ctx.setLineDash([]);
  // A lone point draws no line: mark it so the first read-back is visible.
  if (series.values.length === 1 && Number.isFinite(series.values[0])) {
    ctx.fillStyle = series.color;
    ctx.beginPath();
    ctx.arc(x(steps[0]), y(series.values[0]), 2.5, 0, 2 * Math.PI);
    ctx.fill();
  }
}

function drawLegend(ctx: CanvasRenderingContext2D, series: CurveSeries[]): void {
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  const top = MARGIN.top / 2;
  let left = MARGIN.left;
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.setLineDash(s.dashed ? [5, 3] : []);
    ctx.beginPath();
    ctx.moveTo(left, top);
    ctx.lineTo(left + 20, top);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#333';
    ctx.fillText(s.label, left + 26, top);
    left += 26 + ctx.measureText(s.label).width + 24;
  }
}
