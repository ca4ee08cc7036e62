import { useEffect, useRef } from 'react';
import { maxAbs, pixelMapping, squareSide, writeImage, type ImageMode } from './image-pixels';

interface ImageTileProps {
  /** A square image, row-major (784 = 28×28 for MNIST). */
  pixels: Float32Array;
  /** Displayed side in CSS pixels; the canvas holds one pixel per image pixel and the browser scales it crisply. */
  size?: number;
  /** diverging: symmetric around 0 (blue − / white 0 / red +); gray: [0, 1] as ink on paper. */
  mode: ImageMode;
  /** A caption under the image. */
  label?: string;
  /** Diverging only: the |value| drawn fully saturated; default this image's max |value|. */
  max?: number;
  title?: string;
  testId?: string;
  onClick?: () => void;
}

/** One small image on its own canvas: the building block of the inspector and steering views. */
export function ImageTile({ pixels, size = 56, mode, label, max, title, testId, onClick }: ImageTileProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const side = squareSide(pixels.length);

  useEffect(() => {
    const element = canvas.current;
    const ctx = element?.getContext('2d');
    if (!element || !ctx || side === 0) return;
    const image = ctx.createImageData(side, side);
    const mapping = pixelMapping(mode, max ?? maxAbs(pixels));
    writeImage({ words: new Uint32Array(image.data.buffer), width: side }, 0, 0, 1, side, pixels, 0, mapping);
    ctx.putImageData(image, 0, 0);
  }, [pixels, mode, max, side]);

  return (
    <figure className={`sv-tile${onClick ? ' sv-clickable' : ''}`} title={title} onClick={onClick}>
      <canvas ref={canvas} width={side} height={side} style={{ width: size, height: size }} data-testid={testId} />
      {label !== undefined && <figcaption>{label}</figcaption>}
    </figure>
  );
}
