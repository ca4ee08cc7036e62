import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { FeatureLabels, LabSnapshot } from '../../runtime/protocol/lab-api';
import { featureOrder, type FeatureSortKey } from './feature-order';
import { formatFixed, formatPercent } from './number-format';
import { featureTopLabel, topLabelText } from './top-label-text';
import { useElementWidth } from './use-element-width';
import { parseFeatureIndex, positionsOf, scrollTopFor, visibleWindow } from './virtual-window';

interface FeatureTableProps {
  snapshot: LabSnapshot;
  seed: number;
  sortBy: FeatureSortKey;
  onSortChange: (sortBy: FeatureSortKey) => void;
  selected: number | null;
  onSelect: (feature: number) => void;
  /**
   * Labelled shards only: each feature's most common document label among its top contexts (null until
   * found), whether they are being found, and how to ask. Without it the table has no label column.
   */
  labels?: { found: FeatureLabels | null; finding: boolean; onFind: () => void };
}

const SORT_KEYS: { key: FeatureSortKey; label: string }[] = [
  { key: 'stability', label: 'stability' },
  { key: 'frequency', label: 'firing frequency' },
  { key: 'norm', label: 'decoder norm' },
  { key: 'index', label: 'index' },
];

/** Every row's height in pixels: the window maths needs one fixed height (views.css sets the same). */
export const FEATURE_ROW_HEIGHT = 24;
/** Viewport height before the first measurement (views.css caps the scroller at 420px). */
const FALLBACK_VIEWPORT = 420;
/**
 * Below this table width (a phone) the four number columns fill the row: with labels shown, the
 * label takes the decoder norm's place (it still sorts) and is cut to fewer characters.
 */
const NARROW_TABLE = 480;
const LABEL_CHARS = { narrow: 8, wide: 20 };

/**
 * One seed's features as a sortable table, for activations that are not images: its stability
 * across seeds, how often it fires and its decoder norm. Only the rows in view are in the DOM (see
 * virtual-window.ts), so all 16,384 features of a full-size SAE scroll smoothly; typing a feature's
 * index scrolls to it and selects it. Click a row to inspect the feature.
 */
export function FeatureTable({ snapshot, seed, sortBy, onSortChange, selected, onSelect, labels }: FeatureTableProps) {
  const found = labels?.found?.seed === seed ? labels.found : null;
  const index = Math.max(0, snapshot.seeds.indexOf(seed));
  const stats = useMemo(
    () => ({ stability: snapshot.stability[index], frequency: snapshot.firingFrequency[index], norm: snapshot.decoderNorms[index] }),
    [snapshot, index],
  );
  // Sorting 16,384 rows takes a few milliseconds: done once per snapshot and key, not per scroll.
  const order = useMemo(() => featureOrder(snapshot.d_sae, sortBy, stats), [snapshot.d_sae, sortBy, stats]);
  const positions = useMemo(() => positionsOf(order), [order]);

  const scroller = useRef<HTMLDivElement>(null);
  const narrow = useElementWidth(scroller, 600) < NARROW_TABLE;
  const showNorm = !labels || !narrow;
  const labelChars = narrow ? LABEL_CHARS.narrow : LABEL_CHARS.wide;
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => element.clientHeight > 0 && setViewport(element.clientHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const reveal = (feature: number) => {
    const element = scroller.current;
    const position = positions[feature];
    if (!element || position === undefined || position < 0) return;
    const top = scrollTopFor(position, element.scrollTop, element.clientHeight - FEATURE_ROW_HEIGHT, FEATURE_ROW_HEIGHT, order.length);
    element.scrollTop = top;
    setScrollTop(top);
  };
  // A feature picked elsewhere (a heatmap cell) is brought into view; only a new selection moves the
  // list, never a re-sort at the next snapshot (so `reveal` is deliberately not a dependency).
  useEffect(() => {
    if (selected !== null) reveal(selected);
  }, [selected]);

  const [query, setQuery] = useState('');
  const [searchNote, setSearchNote] = useState<string | null>(null);
  const search = (event: FormEvent) => {
    event.preventDefault();
    const feature = parseFeatureIndex(query, snapshot.d_sae);
    setSearchNote(feature === null ? `No feature “${query.trim()}”: indices run from 0 to ${snapshot.d_sae - 1}.` : null);
    if (feature === null) return;
    reveal(feature);
    onSelect(feature);
  };

  // The header row is sticky inside the scroller, so one row's height of the viewport is not for rows.
  const span = visibleWindow(scrollTop, viewport - FEATURE_ROW_HEIGHT, FEATURE_ROW_HEIGHT, order.length);
  const rows = Array.from(order.subarray(span.start, span.end));
  return (
    <section className="sv-view sv-feature-table" data-testid="feature-table" data-features={order.length}>
      <header className="sv-header">
        <label>
          sort by{' '}
          <select value={sortBy} data-testid="feature-table-sort" onChange={(e) => onSortChange(e.target.value as FeatureSortKey)}>
            {SORT_KEYS.map(({ key, label }) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <form onSubmit={search} className="sv-feature-search" role="search">
          <label>
            feature #{' '}
            <input
              type="text"
              inputMode="numeric"
              size={6}
              value={query}
              placeholder="index"
              data-testid="feature-search"
              aria-label="Feature index to find"
              onChange={(e) => setQuery(e.target.value)}
            />
          </label>{' '}
          <button type="submit">Find</button>
        </form>
        <span className="muted">
          {order.length} features of seed {seed}
        </span>
        {labels && (
          <button
            type="button"
            data-testid="find-feature-labels"
            disabled={labels.finding}
            title="Each feature's most common document label among its top contexts, over a sample of the rows, for the current weights"
            onClick={labels.onFind}
          >
            {labels.finding ? 'Finding labels…' : found ? 'Refresh labels' : 'Find labels'}
          </button>
        )}
      </header>
      {searchNote && (
        <p className="sv-note" role="status">
          {searchNote}
        </p>
      )}
      <div ref={scroller} className="sv-feature-scroller" data-testid="feature-scroller" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <table>
          <thead>
            <tr>
              <th>feature</th>
              <th title="Mean matched decoder |cos| in the other seeds">stability</th>
              <th title="Fraction of recent training rows on which it fired">fires on</th>
              {showNorm && <th>decoder norm</th>}
              {labels && (
                <th title={found ? `Most common document label among its top ${found.contexts} contexts in a sample of ${found.sampleRows} rows` : 'Find labels to fill this column'}>
                  label
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {span.padTop > 0 && <tr aria-hidden style={{ height: span.padTop }} className="sv-spacer" />}
            {rows.map((feature) => (
              <tr
                key={feature}
                data-testid="feature-row"
                data-feature={feature}
                className={feature === selected ? 'selected' : undefined}
                aria-selected={feature === selected}
                tabIndex={0}
                onClick={() => onSelect(feature)}
                onKeyDown={(e) => e.key === 'Enter' && onSelect(feature)}
              >
                <td>#{feature}</td>
                <td>{formatFixed(stats.stability[feature], 3)}</td>
                <td>{stats.frequency[feature] > 0 ? formatPercent(stats.frequency[feature], 2) : <span className="muted">dead</span>}</td>
                {showNorm && <td>{formatFixed(stats.norm[feature], 3)}</td>}
                {labels && <LabelCell labels={found} feature={feature} maxChars={labelChars} />}
              </tr>
            ))}
            {span.padBottom > 0 && <tr aria-hidden style={{ height: span.padBottom }} className="sv-spacer" />}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function LabelCell({ labels, feature, maxChars }: { labels: FeatureLabels | null; feature: number; maxChars: number }) {
  const top = labels && featureTopLabel(labels, feature);
  return (
    <td className="sv-label-cell" data-testid="feature-label" title={top ? topLabelText(top) : undefined}>
      {top ? topLabelText(top, maxChars) : <span className="muted">–</span>}
    </td>
  );
}
