import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { PooledMatrix } from '../../core/analysis/heatmap-pool';
import type { PairHeatmap } from '../../runtime/protocol/lab-api';
import { cssGradient, sequentialRgb } from './colormap';
import { paintHeatmap } from './draw-heatmap';
import { featurePairAt, type FeaturePairHit } from './heatmap-hit';
import { blockAround, cellAt, dragRange, rangeLabel, zoomStackFor, type ZoomRange } from './heatmap-zoom';
import { HeatmapZoomBar, type HeatmapClick } from './heatmap-zoom-bar';
import { formatFixed } from './number-format';
import { SaveFigureButton } from './save-figure-button';
import { useElementWidth } from './use-element-width';
import { usePooledHeatmap, type HeatmapViewRequest } from './use-pooled-heatmap';

interface AlignmentHeatmapProps {
  /** The pair's orders and a pooled block of its reordered matrix; null while it is being computed. */
  heatmap: PairHeatmap | null;
  /** Asks the worker for the block and canvas size shown, as the zoom or the canvas's width change. */
  onViewChange?: HeatmapViewRequest;
  /** Called with the row seed's and the column seed's feature indices of the clicked cell. */
  onSelect: (featureOfSeedA: number, featureOfSeedB: number) => void;
  /** Seed numbers to choose a pair from; given, a pair selector is shown. */
  seedOptions?: number[];
  /** The pair shown in the selector; default the matrix's own. */
  pair?: [number, number];
  onPairChange?: (seedA: number, seedB: number) => void;
  /** Largest width of the plot in CSS pixels; the canvas has as many device pixels as that shows. */
  maxPixels?: number;
}

const pairKey = (a: number, b: number) => `${a}-${b}`;
/** A press that moves less than this (CSS pixels) is a click, not a drag. */
const DRAG_THRESHOLD = 5;

interface Drag {
  x: number;
  y: number;
  cell: { row: number; col: number };
  /** The dragged square so far, in CSS pixels over the canvas. */
  band: { left: number; top: number; side: number } | null;
}

/**
 * |cos| between two seeds' decoder directions, rows and columns ordered so matched features lie on
 * the diagonal: a bright diagonal means the seeds learned the same features. The worker pools the
 * matrix to the canvas's own pixels; dragging a square (or clicking, in zoom mode) zooms into that
 * block, pooled again, down to single cells; the breadcrumb goes back out.
 */
export function AlignmentHeatmap({ heatmap, onViewChange, onSelect, seedOptions, pair, onPairChange, maxPixels = 512 }: AlignmentHeatmapProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const plot = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<FeaturePairHit | null>(null);
  const [click, setClick] = useState<HeatmapClick>('inspect');
  const drag = useRef<Drag | null>(null);
  const [band, setBand] = useState<Drag['band']>(null);

  // The zoom belongs to one pair at one width: a new snapshot of it keeps the zoom, another pair resets it.
  const n = heatmap?.n ?? 0;
  const key = heatmap ? `${pairKey(heatmap.seedA, heatmap.seedB)}:${n}` : '';
  const [zoom, setZoom] = useState<{ key: string; stack: ZoomRange[] }>({ key: '', stack: [] });
  const stack = zoomStackFor(zoom.stack, n, zoom.key === key);
  const range = stack[stack.length - 1];
  const pushRange = (next: ZoomRange) => setZoom({ key, stack: [...stack, next] });

  const plotWidth = useElementWidth(plot, maxPixels);
  const cssWidth = Math.min(maxPixels, plotWidth);
  const devicePixels = Math.round(cssWidth * (typeof devicePixelRatio === 'number' ? devicePixelRatio : 1));
  const { pooled, pending } = usePooledHeatmap(heatmap, range, devicePixels, onViewChange);

  useEffect(() => {
    if (canvas.current && pooled) paintHeatmap(canvas.current, pooled);
  }, [pooled]);
  useEffect(() => setHover(null), [heatmap, pooled]);

  const pixelOf = (event: PointerEvent<HTMLCanvasElement>, shown: PooledMatrix) => {
    const box = event.currentTarget.getBoundingClientRect();
    return { px: ((event.clientX - box.left) / box.width) * shown.size, py: ((event.clientY - box.top) / box.height) * shown.size, box };
  };
  const hitOf = (event: PointerEvent<HTMLCanvasElement>): FeaturePairHit | null => {
    if (!heatmap || !pooled) return null;
    const { px, py } = pixelOf(event, pooled);
    return featurePairAt(heatmap, pooled, px, py);
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!pooled || event.button !== 0) return;
    const { px, py } = pixelOf(event, pooled);
    event.currentTarget.setPointerCapture?.(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY, cell: cellAt(pooled.range, pooled.size, px, py), band: null };
  };
  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    setHover(hitOf(event));
    const start = drag.current;
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (Math.max(Math.abs(dx), Math.abs(dy)) < DRAG_THRESHOLD) return;
    // The band is square, like the block it will zoom to.
    const box = event.currentTarget.getBoundingClientRect();
    const side = Math.max(Math.abs(dx), Math.abs(dy));
    const left = (dx < 0 ? start.x - side : start.x) - box.left;
    const top = (dy < 0 ? start.y - side : start.y) - box.top;
    start.band = { left, top, side };
    setBand(start.band);
  };
  const onPointerUp = (event: PointerEvent<HTMLCanvasElement>) => {
    const start = drag.current;
    drag.current = null;
    setBand(null);
    if (!start || !heatmap || !pooled) return;
    const { px, py } = pixelOf(event, pooled);
    const end = cellAt(pooled.range, pooled.size, px, py);
    if (start.band) pushRange(dragRange(heatmap.n, start.cell, end));
    else if (click === 'zoom') pushRange(blockAround(heatmap.n, pooled.range, end));
    else {
      const hit = featurePairAt(heatmap, pooled, px, py);
      onSelect(hit.featureA, hit.featureB);
    }
  };

  const shown = pair ?? (heatmap ? [heatmap.seedA, heatmap.seedB] : undefined);
  const pairs = (seedOptions ?? []).flatMap((a, i) => (seedOptions ?? []).slice(i + 1).map((b) => [a, b] as const));
  const blockSide = pooled ? Math.ceil(pooled.range.side / pooled.size) : 1;

  return (
    <section className="sv-view sv-heatmap" data-testid="alignment-heatmap">
      <header className="sv-header">
        <h3>Decoder |cos| between seeds{heatmap ? ` ${heatmap.seedA} and ${heatmap.seedB}` : ''}</h3>
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
        {pooled && <SaveFigureButton target={() => canvas.current} fileName={`alignment-seed${heatmap?.seedA}-seed${heatmap?.seedB}`} format="png" />}
      </header>
      {heatmap && n > 0 && <HeatmapZoomBar stack={stack} n={n} onBack={(depth) => setZoom({ key, stack: stack.slice(0, depth + 1) })} click={click} onClickChange={setClick} />}
      {!heatmap || n === 0 ? (
        <p className="sv-empty">{heatmap ? 'No features to compare.' : 'Computing the similarity matrix…'}</p>
      ) : (
        <>
          <div className="sv-heatmap-body">
            <span className="sv-axis-y">seed {heatmap.seedA} features, best matched first →</span>
            <div className="sv-heatmap-plot" ref={plot}>
              <span className="sv-axis-x">seed {heatmap.seedB}: each row’s partner on the diagonal →</span>
              <div className="sv-heatmap-stage">
                {pooled ? (
                  <canvas
                    ref={canvas}
                    width={pooled.size}
                    height={pooled.size}
                    className="sv-pixelated sv-clickable sv-heatmap-canvas"
                    style={{ maxWidth: maxPixels }}
                    data-testid="heatmap-canvas"
                    data-n={heatmap.n}
                    data-size={pooled.size}
                    data-range={`${pooled.range.row0},${pooled.range.col0},${pooled.range.side}`}
                    data-pending={pending}
                    onPointerDown={onPointerDown}
                    onPointerMove={onPointerMove}
                    onPointerUp={onPointerUp}
                    onPointerCancel={() => {
                      drag.current = null;
                      setBand(null);
                    }}
                    onPointerLeave={() => setHover(null)}
                  />
                ) : (
                  <p className="sv-empty">Drawing the heatmap…</p>
                )}
                {band && <span className="sv-zoom-band" style={{ left: band.left, top: band.top, width: band.side, height: band.side }} />}
              </div>
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
              ? `seed ${heatmap.seedA} #${hover.featureA} ↔ seed ${heatmap.seedB} #${hover.featureB}: |cos| ${formatFixed(hover.value, 3)}${
                  hover.row === hover.col ? ' (matched pair)' : ''
                }`
              : `Hover a cell for its two features; ${click === 'inspect' ? 'click to inspect them side by side' : 'click to zoom in around it'}; drag a square to zoom into it.`}
          </p>
          <p className="sv-caption">
            {pooled && pooled.range.side < heatmap.n ? `${rangeLabel(pooled.range, heatmap.n)} of ` : ''}
            {heatmap.n} × {heatmap.n} features
            {blockSide > 1 ? `, each pixel the maximum of a block of up to ${blockSide}×${blockSide} cells (clicking picks that maximum)` : ''}
            {pending ? ' (redrawing…)' : ''}. Colour: |cos| from 0 (dark) to 1 (bright). Saved as PNG: the canvas's pixels at the current zoom.
          </p>
        </>
      )}
    </section>
  );
}
