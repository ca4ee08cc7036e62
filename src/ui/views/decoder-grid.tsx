import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { LabSnapshot } from '../../runtime/protocol/lab-api';
import { cssGradient, divergingRgb, sequentialRgb } from './colormap';
import { DEAD_COLOR, gridPixelRatio, paintDecoderGrid, renderDecoderGrid } from './draw-decoder-grid';
import { featureOrder, type FeatureSortKey } from './feature-order';
import { maxAbs, squareSide } from './image-pixels';
import { formatFixed, formatPercent } from './number-format';
import { SaveFigureButton } from './save-figure-button';
import { slotAt, tileGridLayout } from './tile-layout';
import { useElementWidth } from './use-element-width';

interface DecoderGridProps {
  snapshot: LabSnapshot;
  /** Seed number (an entry of snapshot.seeds) whose decoders are shown. */
  seed: number;
  sortBy: FeatureSortKey;
  /** Given: a sort selector is shown in the header. */
  onSortChange?: (sortBy: FeatureSortKey) => void;
  /** Feature index of the highlighted tile. */
  selected?: number | null;
  onSelect: (feature: number) => void;
  /** What snapshot.stability measures, for the legend and tooltips. */
  stabilityLabel?: string;
  /** Tiles drawn before "show all" (default 256): keeps wide SAEs fast and the page short. */
  limit?: number;
}

const SORT_LABELS: Record<FeatureSortKey, string> = {
  index: 'index',
  stability: 'stability',
  frequency: 'firing frequency',
  norm: 'decoder norm',
};
const TILE_ZOOMS = [1, 2, 3];
/** Above this many tiles the largest zoom would make a canvas too big to redraw every snapshot. */
const MANY_TILES = 512;
const BAR_HEIGHT = 3;

/**
 * Every feature's decoder direction of one seed as a tile, on one canvas: sortable, with dead
 * features hatched, a stability bar under each tile, and click-to-select.
 */
export function DecoderGrid(props: DecoderGridProps) {
  const { snapshot, seed, sortBy, onSortChange, selected, onSelect, limit = 256 } = props;
  const stabilityLabel = props.stabilityLabel ?? 'stability: mean matched decoder |cos| with the other seeds';
  const container = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const width = useElementWidth(container);
  const [showAll, setShowAll] = useState(false);
  const [chosenZoom, setZoom] = useState(1);
  const [sharedScale, setSharedScale] = useState(false);
  const [hovered, setHovered] = useState(-1);

  const seedIndex = snapshot.seeds.indexOf(seed);
  const side = squareSide(snapshot.d_in);
  const decoders = seedIndex >= 0 ? snapshot.decoders[seedIndex] : undefined;
  const frequency = seedIndex >= 0 ? snapshot.firingFrequency[seedIndex] : undefined;
  const norms = seedIndex >= 0 ? snapshot.decoderNorms[seedIndex] : undefined;
  // With one seed stability is 0 by definition: neither bars nor sorting by it mean anything.
  const multiSeed = snapshot.seeds.length > 1;
  const stability = multiSeed && seedIndex >= 0 ? snapshot.stability[seedIndex] : undefined;
  const effectiveSort = sortBy === 'stability' && !stability ? 'index' : sortBy;

  const order = useMemo(
    () => featureOrder(snapshot.d_sae, effectiveSort, { stability, frequency, norm: norms }),
    [snapshot.d_sae, effectiveSort, stability, frequency, norms],
  );
  const count = showAll ? snapshot.d_sae : Math.min(limit, snapshot.d_sae);
  const maxZoom = count > MANY_TILES ? 2 : 3;
  const zoom = Math.min(chosenZoom, maxZoom);
  const layout = useMemo(
    () => tileGridLayout({ count, availableWidth: width, tileSize: side * zoom, barHeight: stability ? BAR_HEIGHT : 0 }),
    [count, width, side, zoom, stability],
  );
  const ratio = gridPixelRatio(layout, window.devicePixelRatio);
  const sharedMax = useMemo(() => (sharedScale && decoders ? maxAbs(decoders) : undefined), [sharedScale, decoders]);
  const pixels = useMemo(
    () =>
      decoders && side > 0
        ? renderDecoderGrid({ decoders, side, scale: zoom, order, layout, stability, sharedMax, pixelRatio: ratio })
        : null,
    [decoders, side, zoom, order, layout, stability, sharedMax, ratio],
  );
  const deadSlots = useMemo(() => {
    const slots: number[] = [];
    if (frequency) for (let slot = 0; slot < layout.count; slot++) if (frequency[order[slot]] === 0) slots.push(slot);
    return slots;
  }, [frequency, order, layout.count]);
  const selectedSlot = useMemo(() => {
    if (selected === null || selected === undefined) return -1;
    const slot = order.indexOf(selected);
    return slot < layout.count ? slot : -1;
  }, [order, selected, layout.count]);

  useEffect(() => {
    if (canvas.current && pixels) paintDecoderGrid(canvas.current, pixels, ratio, { layout, deadSlots, selectedSlot });
  }, [pixels, ratio, layout, deadSlots, selectedSlot]);

  const slotOf = (event: MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return slotAt(layout, event.clientX - box.left, event.clientY - box.top);
  };
  const describe = (feature: number) => {
    const parts = [`feature ${feature}`];
    if (stability) parts.push(`stability ${formatFixed(stability[feature], 3)}`);
    if (frequency) parts.push(`fires on ${formatPercent(frequency[feature], 2)}${frequency[feature] === 0 ? ' (dead)' : ''}`);
    if (norms) parts.push(`norm ${formatFixed(norms[feature], 3)}`);
    return parts.join(' · ');
  };

  if (seedIndex < 0) return <p className="sv-empty">Seed {seed} is not in this snapshot (seeds: {snapshot.seeds.join(', ')}).</p>;
  if (side === 0) return <p className="sv-empty">Decoder rows of length {snapshot.d_in} are not square images.</p>;
  const hoveredFeature = hovered >= 0 ? order[hovered] : -1;
  const deadCount = frequency ? frequency.reduce((n, f) => (f === 0 ? n + 1 : n), 0) : 0;

  return (
    <section className="sv-view sv-grid" data-testid="decoder-grid">
      <header className="sv-header">
        <h3>
          Decoder directions · seed {seed} · step {snapshot.step}
        </h3>
        {onSortChange && (
          <label>
            sort by{' '}
            <select value={effectiveSort} onChange={(e) => onSortChange(e.target.value as FeatureSortKey)} data-testid="grid-sort">
              {(Object.keys(SORT_LABELS) as FeatureSortKey[]).map((key) => (
                <option key={key} value={key} disabled={key === 'stability' && !stability}>
                  {SORT_LABELS[key]}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          tile{' '}
          <select value={zoom} onChange={(e) => setZoom(Number(e.target.value))}>
            {TILE_ZOOMS.map((z) => (
              <option key={z} value={z} disabled={z > maxZoom}>
                {side * z} px
              </option>
            ))}
          </select>
        </label>
        <label className="sv-toggle" title="One colour scale for all tiles (compare magnitudes) instead of one per tile (see each shape)">
          <input type="checkbox" checked={sharedScale} onChange={(e) => setSharedScale(e.target.checked)} /> shared colour scale
        </label>
        <SaveFigureButton target={() => canvas.current} fileName={`decoders-seed${seed}-step${snapshot.step}`} format="png" />
      </header>
      <div ref={container} className="sv-fill">
        <canvas
          ref={canvas}
          className="sv-pixelated sv-clickable"
          style={{ width: layout.width, height: layout.height }}
          data-testid="decoder-grid-canvas"
          data-tiles={layout.count}
          data-columns={layout.columns}
          data-margin={layout.margin}
          data-pitch-x={layout.pitchX}
          data-pitch-y={layout.pitchY}
          title={hoveredFeature >= 0 ? describe(hoveredFeature) : undefined}
          onMouseMove={(e) => setHovered(slotOf(e))}
          onMouseLeave={() => setHovered(-1)}
          onClick={(e) => {
            const slot = slotOf(e);
            if (slot >= 0) onSelect(order[slot]);
          }}
        />
      </div>
      <p className="sv-readout" data-testid="grid-hover">
        {hoveredFeature >= 0 ? describe(hoveredFeature) : `Hover a tile for its numbers; click to inspect it.`}
      </p>
      <footer className="sv-legend">
        <span>
          <span className="sv-swatch sv-swatch-wide" style={{ background: cssGradient(divergingRgb, -1, 1, 'to right') }} /> −max · 0 · +max
          weight
        </span>
        {stability && (
          <span title={stabilityLabel}>
            <span className="sv-swatch sv-swatch-wide" style={{ background: cssGradient(sequentialRgb, 0, 1, 'to right') }} /> bar: stability 0 → 1
          </span>
        )}
        <span>
          <span className="sv-swatch sv-hatch" style={{ borderColor: DEAD_COLOR }} /> dead ({deadCount} of {snapshot.d_sae})
        </span>
        {snapshot.d_sae > limit && (
          <button type="button" onClick={() => setShowAll(!showAll)} data-testid="grid-show-all">
            {showAll ? `Show first ${limit}` : `Show all ${snapshot.d_sae}`}
          </button>
        )}
      </footer>
      <p className="sv-caption">
        Each tile is one feature’s decoder row as a {side}×{side} image: red positive, blue negative, white 0, saturated at{' '}
        {sharedScale ? 'the largest |weight| of any feature (one scale for all tiles)' : 'that tile’s own largest |weight| (a scale per tile)'}.{' '}
        {stability ? `The bar under a tile shows its ${stabilityLabel} (length and colour). ` : 'Stability needs two or more seeds. '}
        Hatched grey tiles are dead: they did not fire on recent training inputs. Showing {layout.count} of {snapshot.d_sae}, sorted by{' '}
        {SORT_LABELS[effectiveSort]}.
      </p>
    </section>
  );
}
