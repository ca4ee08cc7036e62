// Saving a figure as a file.
import { downloadBlob as download } from '../lib/download';

/** The canvas's pixels as a PNG file. */
export function saveCanvasPng(canvas: HTMLCanvasElement, fileName: string): void {
  canvas.toBlob((blob) => {
    if (blob) download(blob, fileName);
  }, 'image/png');
}

/**
 * The svg as a standalone SVG file. The views style their marks with attributes rather than the
 * page's CSS, so the copy looks the same outside the page.
 */
export function saveSvg(svg: SVGSVGElement, fileName: string): void {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const { width, height } = svg.getBoundingClientRect();
  if (!copy.hasAttribute('width')) copy.setAttribute('width', String(Math.round(width)));
  if (!copy.hasAttribute('height')) copy.setAttribute('height', String(Math.round(height)));
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
  download(new Blob([text], { type: 'image/svg+xml' }), fileName);
}
