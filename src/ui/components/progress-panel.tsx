import { useShallow } from 'zustand/react/shallow';
import { formatDuration, formatMetric, plural } from '../format';
import { SIDE_COLORS } from '../labels';
import { useLab } from '../page';
import { importedSaeCount, resultLabels } from '../selectors';
import { activeSides, SIDE_NAMES, type Side } from '../store/experiment';
import { firstAndLatest, progressFraction, stepsPerSecond, timeLeftMs, totalTrainingMs } from '../store/runtime';

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
  const pace = stepsPerSecond(runtime);
  const loss = firstAndLatest(runtime.perSeed, (m) => m.loss);
  const imported = importedSaeCount(runtime);
  return (
    <div className="panel side-progress" style={{ borderTopColor: SIDE_COLORS[side] }} data-testid={`progress-${name}`}>
      <div className="side-progress-title">
        <strong style={{ color: SIDE_COLORS[side] }}>{label}</strong>
        <span className="muted" data-testid={`phase-${name}`}>
          {imported !== null ? 'imported' : runtime.phase}
        </span>
      </div>
      <div className="progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={1} aria-valuenow={fraction}>
        <div style={{ width: `${fraction * 100}%`, background: SIDE_COLORS[side] }} />
      </div>
      {imported !== null && (
        <div className="side-progress-numbers" data-testid={`imported-${name}`}>
          imported · {plural(imported, 'SAE')} trained elsewhere
        </div>
      )}
      <div className="side-progress-numbers" hidden={imported !== null}>
        step <strong data-testid={`step-${name}`}>{runtime.step}</strong> / <span data-testid={`total-${name}`}>{runtime.totalSteps || '—'}</span>
        {runtime.run && <> · {plural(runtime.run.seeds.length, 'seed')}</>}
        {totalTrainingMs(runtime) > 0 && <> · {formatDuration(totalTrainingMs(runtime))}</>}
        {pace !== null && (
          <span data-testid={`pace-${name}`} title={runtime.resumedFrom ? `Counted since the run resumed at step ${runtime.resumedFrom.step}` : undefined}>
            {' '}
            · {pace.toFixed(1)} steps/s{runtime.resumedFrom && runtime.phase === 'training' ? ' since resuming' : ''}
          </span>
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
