import { saveCanvasPng, saveSvg } from './save';

interface SaveFigureButtonProps {
  /** The figure's element at click time: a canvas saves as PNG, an svg as SVG. */
  target: () => HTMLCanvasElement | SVGSVGElement | null;
  /** File name without extension; the extension follows the element. */
  fileName: string;
}

/** A small button in each view's header that downloads the figure. */
export function SaveFigureButton({ target, fileName }: SaveFigureButtonProps) {
  const save = () => {
    const element = target();
    if (element instanceof HTMLCanvasElement) saveCanvasPng(element, `${fileName}.png`);
    else if (element instanceof SVGSVGElement) saveSvg(element, `${fileName}.svg`);
  };
  return (
    <button type="button" className="sv-save" onClick={save} title="Download this figure">
      Save figure
    </button>
  );
}
