import { saveCanvasPng, saveSvg } from './save';

interface SaveFigureButtonProps {
  /** The figure's element at click time: a canvas saves as PNG, an svg as SVG. */
  target: () => HTMLCanvasElement | SVGSVGElement | null;
  /** File name without extension; the extension follows the element. */
  fileName: string;
  /**
   * What the file will be, named on the button before it is pressed: 'png' for canvas figures (their
   * pixels are the figure), 'svg' for svg ones (vector, editable).
   */
  format: 'png' | 'svg';
}

/** A small button in each view's header that downloads the figure, saying as what. */
export function SaveFigureButton({ target, fileName, format }: SaveFigureButtonProps) {
  const save = () => {
    const element = target();
    if (element instanceof HTMLCanvasElement) saveCanvasPng(element, `${fileName}.png`);
    else if (element instanceof SVGSVGElement) saveSvg(element, `${fileName}.svg`);
  };
  const name = format.toUpperCase();
  return (
    <button type="button" className="sv-save" onClick={save} title={`Download this figure as ${name}`} data-testid="save-figure" data-format={format}>
      Save {name}
    </button>
  );
}
