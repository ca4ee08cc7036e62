import { useShallow } from 'zustand/react/shallow';
import type { StepMetrics } from '../../core/train/metrics';
import { formatDuration, formatMetric } from '../format';
import { useLab } from '../store';

const ROWS: { key: 'loss' | 'mse' | 'fvu' | 'l0'; label: string; digits: number }[] = [
  { key: 'loss', label: 'loss', digits: 4 },
  { key: 'mse', label: 'MSE', digits: 4 },
  { key: 'fvu', label: 'FVU', digits: 3 },
  { key: 'l0', label: 'L0', digits: 3 },
];

/** Step counter, speed, and the first and latest read-back of each metric (so a fall is visible). */
export function MetricsReadout() {
  const { step, totalSteps, elapsedMs, history } = useLab(
    useShallow((s) => ({ step: s.step, totalSteps: s.totalSteps, elapsedMs: s.elapsedMs, history: s.history })),
  );
  const first: StepMetrics | undefined = history[0];
  const last: StepMetrics | undefined = history[history.length - 1];
  const stepsPerSecond = elapsedMs > 0 ? (step / elapsedMs) * 1000 : 0;
  return (
    <section className="panel">
      <div>
        Step <strong data-testid="step">{step}</strong> / <span data-testid="total-steps">{totalSteps || '—'}</span>
        <span className="muted">
          {' '}
          · {formatDuration(elapsedMs)} · {stepsPerSecond.toFixed(1)} steps/s
        </span>
      </div>
      <table className="metrics">
        <thead>
          <tr>
            <th />
            <th>first (step {first?.step ?? '—'})</th>
            <th>now (step {last?.step ?? '—'})</th>
          </tr>
        </thead>
        <tbody>
          {ROWS.map(({ key, label, digits }) => (
            <tr key={key}>
              <th>{label}</th>
              <td data-testid={`${key}-first`}>{formatMetric(first?.[key], digits)}</td>
              <td data-testid={`${key}-now`}>{formatMetric(last?.[key], digits)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
