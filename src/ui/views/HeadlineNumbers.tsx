import type { AlignmentSummary } from '../../core/align/alignSeeds';
import { formatHeadline, formatHeadlineDiff, headlineDiff, headlineValue, HEADLINE_METRICS } from './headline-values';

interface HeadlineNumbersProps {
  runs: { label: string; alignment: AlignmentSummary | null; step?: number }[];
}

/**
 * The cross-seed alignment numbers per run, and with two runs the difference B − A. Every number
 * carries data-testid `headline-<key>-<run>` / `headline-diff-<key>` (keys: mmcs, matched, frac,
 * shared) and its raw value in data-value.
 */
export function HeadlineNumbers({ runs }: HeadlineNumbersProps) {
  const tau = runs.find((r) => r.alignment)?.alignment?.tau ?? 0.7;
  const compare = runs.length === 2;
  return (
    <section className="sv-view sv-headline" data-testid="headline-numbers">
      <table>
        <thead>
          <tr>
            <th />
            {runs.map((run, i) => (
              <th key={i} scope="col">
                {run.label}
                {run.step !== undefined && <span className="sv-step"> step {run.step}</span>}
              </th>
            ))}
            {compare && (
              <th scope="col" title={`${runs[1].label} minus ${runs[0].label}`}>
                B − A
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {HEADLINE_METRICS.map((metric) => {
            const diff = compare ? headlineDiff(runs[0].alignment, runs[1].alignment, metric) : null;
            return (
              <tr key={metric.key}>
                <th scope="row" title={metric.explanation(tau)}>
                  {metric.label(tau)}
                  <span className="sv-explain">{metric.explanation(tau)}</span>
                </th>
                {runs.map((run, i) => {
                  const value = headlineValue(run.alignment, metric);
                  return (
                    <td
                      key={i}
                      data-testid={`headline-${metric.key}-${i}`}
                      data-value={value ?? ''}
                      title={run.alignment ? undefined : 'Needs two or more seeds and a first snapshot.'}
                    >
                      {formatHeadline(value, metric)}
                    </td>
                  );
                })}
                {compare && (
                  <td
                    data-testid={`headline-diff-${metric.key}`}
                    data-value={diff ?? ''}
                    className={diff === null || diff === 0 ? undefined : diff > 0 ? 'sv-up' : 'sv-down'}
                  >
                    {formatHeadlineDiff(diff, metric)}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
