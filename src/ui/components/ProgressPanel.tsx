import { useShallow } from 'zustand/react/shallow';
import { formatDuration, formatMetric } from '../format';
import { SIDE_COLORS } from '../labels';
import { useLab } from '../page';
import { resultLabels } from '../selectors';
import { activeSides, SIDE_NAMES, type Side } from '../store/experiment';
import { firstAndLatest, progressFraction, timeLeftMs } from '../store/runtime';

/** Each configuration's run: phase, steps, time so far and left, and its error if it failed. */
export function ProgressPanel() {
  const sides = useLab(useShallow((s) => activeSides(s.experiment)));
  return (
    <section className="progress-row" data-testid="progress-panel">
      {sides.map((side) => (
        <SideProgress key={side} side={side} />
      ))}
    </section>
  );
}

function SideProgress({ side }: { side: Side }) {
  const runtime = useLab((s) => s.runtime[side]);
  const label = useLab((s) => resultLabels(s)[side]);
  const name = SIDE_NAMES[side];
  const left = timeLeftMs(runtime);
  const fraction = progressFraction(runtime);
  const pace = runtime.elapsedMs > 0 ? (runtime.step / runtime.elapsedMs) * 1000 : 0;
  const loss = firstAndLatest(runtime.perSeed, (m) => m.loss);
  return (
    <div className="panel side-progress" style={{ borderTopColor: SIDE_COLORS[side] }} data-testid={`progress-${name}`}>
      <div className="side-progress-title">
        <strong style={{ color: SIDE_COLORS[side] }}>{label}</strong>
        <span className="muted" data-testid={`phase-${name}`}>
          {runtime.phase}
        </span>
      </div>
      <div className="progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={1} aria-valuenow={fraction}>
        <div style={{ width: `${fraction * 100}%`, background: SIDE_COLORS[side] }} />
      </div>
      <div className="side-progress-numbers">
        step <strong data-testid={`step-${name}`}>{runtime.step}</strong> / <span data-testid={`total-${name}`}>{runtime.totalSteps || '—'}</span>
        {runtime.run && <> · {runtime.run.seeds.length} seeds</>}
        {runtime.elapsedMs > 0 && (
          <>
            {' '}
            · {formatDuration(runtime.elapsedMs)} · {pace.toFixed(1)} steps/s
          </>
        )}
        {left !== null && runtime.phase === 'training' && <span data-testid={`time-left-${name}`}> · about {formatDuration(left)} left</span>}
      </div>
      {loss && (
        <div className="side-progress-numbers">
          loss (mean over seeds) <span data-testid={`loss-first-${name}`}>{formatMetric(loss.first)}</span> at the start →{' '}
          <strong data-testid={`loss-now-${name}`}>{formatMetric(loss.latest)}</strong> now
        </div>
      )}
      {runtime.runId && (
        <div className="muted side-progress-numbers" data-testid={`saved-${name}`}>
          {runtime.checkpointStep === null ? 'saved in this browser; first checkpoint soon' : `saved in this browser, checkpoint at step ${runtime.checkpointStep}`}
        </div>
      )}
      {runtime.notice && (
        <p className="notice" role="status" data-testid={`notice-${name}`}>
          {runtime.notice}
        </p>
      )}
      {runtime.storageProblem && (
        <p className="error" role="alert" data-testid={`storage-problem-${name}`}>
          {runtime.storageProblem}
        </p>
      )}
      {runtime.error && (
        <p className="error" data-testid="error">
          {runtime.error}
        </p>
      )}
    </div>
  );
}
