import { useShallow } from 'zustand/react/shallow';
import { labController, useLab } from '../page';
import { activeSides, problemSentences } from '../store/experiment';
import { isActive, type Phase } from '../store/runtime';

/** One phase for the page: the configurations' phase when they agree, else each with its name. */
function combinedPhase(phases: Phase[]): string {
  return phases.every((p) => p === phases[0]) ? phases[0] : phases.map((p, i) => `${'AB'[i]} ${p}`).join(' · ');
}

/** Start (one click for the whole comparison), pause, resume, stop. */
export function RunButtons() {
  const { compare, problems, phaseList } = useLab(
    useShallow((s) => ({
      compare: s.experiment.compare,
      // Why Start is disabled, also listed above the buttons (ProblemList); '' when it can start.
      problems: problemSentences(s.experiment).join('; '),
      // A string, not an array: a fresh array would make every store update look like a change.
      phaseList: activeSides(s.experiment)
        .map((side) => s.runtime[side].phase)
        .join(' '),
    })),
  );
  const phases = phaseList.split(' ') as Phase[];
  const running = phases.some(isActive);
  const anyTraining = phases.includes('training');
  const anyPaused = phases.includes('paused');
  const hasRun = phases.some((p) => p !== 'idle' && p !== 'loading' && p !== 'ready');
  const what = compare ? 'comparison' : 'run';
  return (
    <div className="run-buttons">
      <button type="button" className="primary" data-testid="start" disabled={problems !== ''} title={problems || undefined} onClick={() => void labController.start()}>
        {hasRun ? `Restart ${what}` : `Start ${what}`}
      </button>
      {anyPaused && !anyTraining ? (
        <button type="button" data-testid="resume" onClick={labController.resume}>
          Resume
        </button>
      ) : (
        <button type="button" data-testid="pause" disabled={!anyTraining} title={anyTraining ? 'Pause training (the paused weights can be inspected)' : 'Nothing is training'} onClick={labController.pause}>
          Pause
        </button>
      )}
      <button type="button" data-testid="stop" disabled={!running} title={running ? 'End the run here; it stays saved and can be resumed' : 'Nothing is training or paused'} onClick={labController.stop}>
        Stop
      </button>
      <span className="muted" data-testid="phase">
        {combinedPhase(phases)}
      </span>
    </div>
  );
}
