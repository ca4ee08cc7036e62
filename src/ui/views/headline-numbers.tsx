import type { AlignmentSummary } from '../../core/align/align-seeds';
import {
  describeSpread,
  formatHeadline,
  formatHeadlineDiff,
  formatSpread,
  headlineDiff,
  headlineValue,
  HEADLINE_METRICS,
  pairSpread,
  pairWins,
  type HeadlineMetric,
} from './headline-values';
import { formatFixed } from './number-format';

export interface HeadlineRun {
  label: string;
  alignment: AlignmentSummary | null;
  /** The step these numbers were taken at. */
  step?: number;
  /** Mean L0 over seeds at that step (the sparsity the alignment was measured at). */
  l0?: number | null;
}

interface HeadlineNumbersProps {
  runs: HeadlineRun[];
  /** With two runs: whether both are shown at the same step; B − A is shown only then. */
  equalSteps?: boolean;
}

/**
 * The cross-seed alignment numbers per run, each with its spread over seed pairs, the sparsity they
 * were measured at, and with two runs at the same step the difference B − A and in how many seed
 * pairs B is higher. Every number carries data-testid `headline-<key>-<run>` / `headline-diff-<key>`
 * (keys: mmcs, matched, frac, pairShared, shared; l0) and its raw value in data-value.
 */
export function HeadlineNumbers({ runs, equalSteps = true }: HeadlineNumbersProps) {
  const tau = runs.find((r) => r.alignment)?.alignment?.tau ?? 0.7;
  const compare = runs.length === 2;
  const diffShown = compare && equalSteps;
  return (
    <section className="sv-view sv-headline" data-testid="headline-numbers">
      <table>
        <thead>
          <tr>
            <th />
            {runs.map((run, i) => (
              <th key={i} scope="col">
                {run.label}
                {run.step !== undefined && (
                  <span className="sv-step" data-testid={`headline-step-${i}`}>
                    {' '}
                    step {run.step}
                  </span>
                )}
              </th>
            ))}
            {compare && (
              <th scope="col" title={`${runs[1].label} minus ${runs[0].label}, at the same step`}>
                B − A
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {HEADLINE_METRICS.map((metric) => (
            <MetricRow key={metric.key} metric={metric} runs={runs} tau={tau} compare={compare} diffShown={diffShown} />
          ))}
          <tr>
            <th scope="row" title="Mean over seeds of the number of features active per input, at the step shown: alignment depends on sparsity.">
              L0 (mean over seeds)
              <span className="sv-explain">Features active per input at that step: alignment is only like for like at similar sparsity.</span>
            </th>
            {runs.map((run, i) => (
              <td key={i}>
                <span data-testid={`headline-l0-${i}`} data-value={run.l0 ?? ''}>
                  {formatFixed(run.l0, 1)}
                </span>
              </td>
            ))}
            {compare && (
              <td>
                <span data-testid="headline-diff-l0">{diffShown && runs[0].l0 != null && runs[1].l0 != null ? formatFixed(runs[1].l0 - runs[0].l0, 1, true) : '—'}</span>
              </td>
            )}
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function MetricRow({ metric, runs, tau, compare, diffShown }: { metric: HeadlineMetric; runs: HeadlineRun[]; tau: number; compare: boolean; diffShown: boolean }) {
  const diff = diffShown ? headlineDiff(runs[0].alignment, runs[1].alignment, metric) : null;
  const wins = diffShown ? pairWins(runs[0].alignment, runs[1].alignment, metric) : null;
  return (
    <tr>
      <th scope="row" title={metric.explanation(tau)}>
        {metric.label(tau)}
        <span className="sv-explain">{metric.explanation(tau)}</span>
      </th>
      {runs.map((run, i) => {
        const value = headlineValue(run.alignment, metric);
        const spread = pairSpread(run.alignment, metric);
        return (
          <td key={i} title={run.alignment ? undefined : 'Needs two or more seeds and a first snapshot.'}>
            <span data-testid={`headline-${metric.key}-${i}`} data-value={value ?? ''}>
              {formatHeadline(value, metric)}
            </span>
            {spread && (
              <span className="sv-spread" data-testid={`headline-spread-${metric.key}-${i}`} title={describeSpread(spread, metric)}>
                {formatSpread(spread, metric)}
              </span>
            )}
          </td>
        );
      })}
      {compare && (
        <td className={diff === null || diff === 0 ? undefined : diff > 0 ? 'sv-up' : 'sv-down'} title={diffShown ? undefined : 'Shown once both configurations have reached the same step.'}>
          <span data-testid={`headline-diff-${metric.key}`} data-value={diff ?? ''}>
            {formatHeadlineDiff(diff, metric)}
          </span>
          {wins && (
            <span className="sv-spread" data-testid={`headline-wins-${metric.key}`}>
              B higher in {wins.higher} of {wins.pairs} {wins.pairs === 1 ? 'pair' : 'pairs'}
            </span>
          )}
        </td>
      )}
    </tr>
  );
}
