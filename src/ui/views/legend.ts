// A one-row svg legend of line or box swatches, laid out left to right by measured text width.

import { ensureChild, TEXT_COLOR } from './chart-frame';

export interface LegendItem {
  label: string;
  color: string;
  /** 'line' for curves (with an optional dash pattern), 'box' for bars. */
  shape: 'line' | 'box';
  dash?: string;
  opacity?: number;
}

const SWATCH = 18;
const SPACING = 14;

/**
 * Label widths, measured once per label: getComputedTextLength forces a layout, and legends are
 * redrawn with every metrics update, so measuring each time made the main thread stall.
 */
const measuredWidths = new Map<string, number>();

/** Draws `items` in one row starting at (x, y) (y is the text's middle) inside `parent`. */
export function drawLegend(parent: { node(): SVGElement | null }, x: number, y: number, items: LegendItem[]): void {
  const legend = ensureChild(parent, 'g', 'legend').attr('transform', `translate(${x},${y})`);
  const entries = legend
    .selectAll<SVGGElement, LegendItem>('g.item')
    .data(items)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'item');
      g.append('line').attr('x1', 0).attr('x2', SWATCH).attr('stroke-width', 2);
      g.append('rect').attr('y', -5).attr('width', SWATCH - 6).attr('height', 10);
      g.append('text').attr('x', SWATCH + 4).attr('dy', '0.35em').attr('fill', TEXT_COLOR);
      return g;
    });
  entries
    .select('line')
    .attr('display', (d) => (d.shape === 'line' ? null : 'none'))
    .attr('stroke', (d) => d.color)
    .attr('stroke-dasharray', (d) => d.dash ?? null)
    .attr('opacity', (d) => d.opacity ?? 1);
  entries
    .select('rect')
    .attr('display', (d) => (d.shape === 'box' ? null : 'none'))
    .attr('fill', (d) => d.color)
    .attr('opacity', (d) => d.opacity ?? 1);
  entries.select('text').text((d) => d.label);
  let left = 0;
  entries.each(function (d) {
    this.setAttribute('transform', `translate(${left},0)`);
    let width = measuredWidths.get(d.label);
    if (width === undefined) {
      // Measured when rendered; an estimate (not cached) when the svg is not laid out (hidden panel).
      const measured = this.querySelector('text')?.getComputedTextLength?.() || 0;
      if (measured > 0) measuredWidths.set(d.label, measured);
      width = measured > 0 ? measured : 6.5 * d.label.length;
    }
    left += SWATCH + 4 + width + SPACING;
  });
}
