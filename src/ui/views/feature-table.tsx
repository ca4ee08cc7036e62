import { useMemo } from 'react';
import type { LabSnapshot } from '../../runtime/protocol/lab-api';
import { featureOrder, type FeatureSortKey } from './feature-order';
import { formatFixed, formatPercent } from './number-format';

interface FeatureTableProps {
  snapshot: LabSnapshot;
  seed: number;
  sortBy: FeatureSortKey;
  onSortChange: (sortBy: FeatureSortKey) => void;
  selected: number | null;
  onSelect: (feature: number) => void;
  /** Rows shown: a 16,384-feature table would cost the page more than it tells. */
  limit?: number;
}

const SORT_KEYS: { key: FeatureSortKey; label: string }[] = [
  { key: 'stability', label: 'stability' },
  { key: 'frequency', label: 'firing frequency' },
  { key: 'norm', label: 'decoder norm' },
  { key: 'index', label: 'index' },
];

/**
 * One seed's features as a sortable table, for activations that are not images: its stability
 * across seeds, how often it fires and its decoder norm. Click a row to inspect the feature.
 */
export function FeatureTable({ snapshot, seed, sortBy, onSortChange, selected, onSelect, limit = 60 }: FeatureTableProps) {
  const index = Math.max(0, snapshot.seeds.indexOf(seed));
  const stats = useMemo(
    () => ({ stability: snapshot.stability[index], frequency: snapshot.firingFrequency[index], norm: snapshot.decoderNorms[index] }),
    [snapshot, index],
  );
  const shown = useMemo(() => featureOrder(snapshot.d_sae, sortBy, stats).subarray(0, limit), [snapshot.d_sae, sortBy, stats, limit]);
  return (
    <section className="sv-view sv-feature-table" data-testid="feature-table">
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
        <span className="muted">
          first {shown.length} of {snapshot.d_sae} features of seed {seed}
        </span>
      </header>
      <table>
        <thead>
          <tr>
            <th>feature</th>
            <th title="Mean matched decoder |cos| in the other seeds">stability</th>
            <th title="Fraction of recent training rows on which it fired">fires on</th>
            <th>decoder norm</th>
          </tr>
        </thead>
        <tbody>
          {Array.from(shown, (feature) => (
            <tr
              key={feature}
              data-testid="feature-row"
              className={feature === selected ? 'selected' : undefined}
              aria-selected={feature === selected}
              tabIndex={0}
              onClick={() => onSelect(feature)}
              onKeyDown={(e) => e.key === 'Enter' && onSelect(feature)}
            >
              <td>#{feature}</td>
              <td>{formatFixed(stats.stability[feature], 3)}</td>
              <td>{stats.frequency[feature] > 0 ? formatPercent(stats.frequency[feature], 2) : <span className="muted">dead</span>}</td>
              <td>{formatFixed(stats.norm[feature], 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
