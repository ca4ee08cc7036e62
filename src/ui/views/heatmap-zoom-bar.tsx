import { rangeLabel, CLICK_ZOOM, type ZoomRange } from './heatmap-zoom';

export type HeatmapClick = 'inspect' | 'zoom';

interface HeatmapZoomBarProps {
  /** Zoom levels from the whole matrix to the block shown (the last). */
  stack: ZoomRange[];
  n: number;
  /** Goes back to level `depth` of the stack (0: the whole matrix). */
  onBack: (depth: number) => void;
  click: HeatmapClick;
  onClickChange: (click: HeatmapClick) => void;
}

/** The heatmap's zoom breadcrumb, its zoom-out button, and what a click on a cell does. */
export function HeatmapZoomBar({ stack, n, onBack, click, onClickChange }: HeatmapZoomBarProps) {
  const depth = stack.length - 1;
  return (
    <div className="sv-zoom-bar">
      <nav aria-label="heatmap zoom" className="sv-breadcrumb" data-testid="heatmap-breadcrumb" data-depth={depth}>
        {stack.map((range, i) =>
          i === depth ? (
            <span key={i} aria-current="location">
              {rangeLabel(range, n)}
            </span>
          ) : (
            <span key={i}>
              <button type="button" className="sv-link" onClick={() => onBack(i)}>
                {rangeLabel(range, n)}
              </button>
              {' › '}
            </span>
          ),
        )}
      </nav>
      <button type="button" disabled={depth === 0} onClick={() => onBack(depth - 1)} data-testid="heatmap-zoom-out">
        Zoom out
      </button>
      <label title="Dragging across the heatmap always zooms into the dragged square">
        click a cell to{' '}
        <select value={click} onChange={(e) => onClickChange(e.target.value as HeatmapClick)} data-testid="heatmap-click-mode">
          <option value="inspect">inspect its two features</option>
          <option value="zoom">zoom in {CLICK_ZOOM}× around it</option>
        </select>
      </label>
    </div>
  );
}
