// Paints a pooled similarity matrix onto a canvas, one canvas pixel per pooled cell.

import type { PooledMatrix } from '../../core/analysis/heatmap-pool';
import { lutColor, SEQUENTIAL_LUT } from './colormap';

/** Packed-RGBA pixels of the pooled matrix: |cos| over [0, 1] through the sequential map. */
export function renderHeatmap(pooled: PooledMatrix): Uint32Array<ArrayBuffer> {
  const words = new Uint32Array(pooled.size * pooled.size);
  for (let i = 0; i < words.length; i++) words[i] = lutColor(SEQUENTIAL_LUT, pooled.values[i]);
  return words;
}

export function paintHeatmap(canvas: HTMLCanvasElement, pooled: PooledMatrix): void {
  const ctx = canvas.getContext('2d');
  if (!ctx || pooled.size === 0) return;
  if (canvas.width !== pooled.size) canvas.width = canvas.height = pooled.size;
  const words = renderHeatmap(pooled);
  const bytes = new Uint8ClampedArray(words.buffer);
  ctx.putImageData(new ImageData(bytes, pooled.size, pooled.size), 0, 0);
}
