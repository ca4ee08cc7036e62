import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { PairMatrix } from '../../runtime/protocol/lab-api';
import { cssGradient, sequentialRgb } from './colormap';
import { paintHeatmap } from './draw-heatmap';
import { featurePairAt, maxPool, type FeaturePairHit } from './heatmap-pool';
import { formatFixed } from './number-format';
import { SaveFigureButton } from './save-figure-button';

interface AlignmentHeatmapProps {
  /** Already reordered by the optimal assignment; null while it is being computed. */
  matrix: PairMatrix | null;
  /** Called with the row seed's and the column seed's feature indices of the clicked cell. */
  onSelect: (featureOfSeedA: number, featureOfSeedB: number) => void;
  /** Seed numbers to choose a pair from; given, a pair selector is shown. */
  seedOptions?: number[];
  /** The pair shown in the selector; default the matrix's own. */
  pair?: [number, number];
  onPairChange?: (seedA: number, seedB: number) => void;
  /** Largest canvas side: bigger matrices are max-pooled down to it. */
  maxPixels?: number;
}

const pairKey = (a: number, b: number) => `${a}-${b}`;

/**
 * |cos| between two seeds' decoder directions, rows and columns ordered so matched features lie on
 * the diagonal: a bright diagonal means the seeds learned the same features.
 */
export function AlignmentHeatmap({ matrix, onSelect, seedOptions, pair, onPairChange, maxPixels = 512 }: AlignmentHeatmapProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<FeaturePairHit | null>(null);
  const pooled = useMemo(() => (matrix && matrix.n > 0 ? maxPool(matrix.values, matrix.n, maxPixels) : null), [matrix, maxPixels]);

  useEffect(() => {
    if (canvas.current && pooled) paintHeatmap(canvas.current, pooled);
  }, [pooled]);
  useEffect(() => setHover(null), [matrix]);

  const hitOf = (event: MouseEvent<HTMLCanvasElement>): FeaturePairHit | null => {
    if (!matrix || !pooled) return null;
    const box = event.currentTarget.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * pooled.size;
    const py = ((event.clientY - box.top) / box.height) * pooled.size;
    return featurePairAt(matrix, pooled, px, py);
  };

  const shown = pair ?? (matrix ? [matrix.seedA, matrix.seedB] : undefined);
  const pairs = (seedOptions ?? []).flatMap((a, i) => (seedOptions ?? []).slice(i + 1).map((b) => [a, b] as const));
  const blockSide = pooled ? Math.ceil(pooled.n / pooled.size) : 1;

  return (
    <section className="sv-view sv-heatmap" data-testid="alignment-heatmap">
      <header className="sv-header">
        <h3>Decoder |cos| between seeds{matrix ? ` ${matrix.seedA} and ${matrix.seedB}` : ''}</h3>
        {seedOptions && pairs.length > 0 && (
          <label>
            seeds{' '}
            <select
              value={shown ? pairKey(shown[0], shown[1]) : ''}
              onChange={(e) => {
                const [a, b] = e.target.value.split('-').map(Number);
                onPairChange?.(a, b);
              }}
              data-testid="heatmap-pair"
            >
              {!shown && <option value="">choose</option>}
              {pairs.map(([a, b]) => (
                <option key={pairKey(a, b)} value={pairKey(a, b)}>
                  {a} vs {b}
                </option>
              ))}
            </select>
          </label>
        )}
        {pooled && <SaveFigureButton target={() => canvas.current} fileName={`alignment-seed${matrix?.seedA}-seed${matrix?.seedB}`} format="png" />}
      </header>
      {!matrix || !pooled ? (
        <p className="sv-empty">{matrix ? 'No features to compare.' : 'Computing the similarity matrix…'}</p>
      ) : (
        <>
          <div className="sv-heatmap-body">
            <span className="sv-axis-y">seed {matrix.seedA} features, best matched first →</span>
            <div className="sv-heatmap-plot">
              <span className="sv-axis-x">seed {matrix.seedB}: each row’s partner on the diagonal →</span>
              <canvas
                ref={canvas}
                width={pooled.size}
                height={pooled.size}
                className="sv-pixelated sv-clickable sv-heatmap-canvas"
                style={{ maxWidth: maxPixels }}
                data-testid="heatmap-canvas"
                data-n={matrix.n}
                data-size={pooled.size}
                onMouseMove={(e) => setHover(hitOf(e))}
                onMouseLeave={() => setHover(null)}
                onClick={(e) => {
                  const hit = hitOf(e);
                  if (hit) onSelect(hit.featureA, hit.featureB);
                }}
              />
            </div>
            <div className="sv-colorbar" title="|cos| of the two decoder directions">
              <span className="sv-colorbar-ramp" style={{ background: cssGradient(sequentialRgb, 0, 1, 'to top') }} />
              <span className="sv-colorbar-ticks">
                <span>1</span>
                <span>0.5</span>
                <span>0</span>
              </span>
            </div>
          </div>
          <p className="sv-readout" data-testid="heatmap-hover">
            {hover
              ? `seed ${matrix.seedA} #${hover.featureA} ↔ seed ${matrix.seedB} #${hover.featureB}: |cos| ${formatFixed(hover.value, 3)}${
                  hover.row === hover.col ? ' (matched pair)' : ''
                }`
              : 'Hover a cell for its two features; click to inspect them side by side.'}
          </p>
          <p className="sv-caption">
            {matrix.n} × {matrix.n} features
            {blockSide > 1 ? `, each pixel the maximum of a block of up to ${blockSide}×${blockSide} cells (clicking picks that maximum)` : ''}. Colour:
            |cos| from 0 (dark) to 1 (bright).
          </p>
        </>
      )}
    </section>
  );
}
