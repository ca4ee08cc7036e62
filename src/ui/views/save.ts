// Saving a figure as a file: the browser downloads a Blob through a temporary object URL.

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a later revoke still frees it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

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
