import { useLab } from '../store';

export function RunControls() {
  const phase = useLab((s) => s.phase);
  // Without a backend (the worker failed to start) there is nothing to train on; after a failed run there is.
  const ready = useLab((s) => s.backend !== null);
  const { train, pause, resume, stop } = useLab.getState();
  const active = phase === 'training' || phase === 'paused';
  return (
    <div className="controls">
      <button data-testid="train" onClick={train} disabled={!ready || active}>
        Train
      </button>
      {phase === 'paused' ? (
        <button data-testid="resume" onClick={resume}>
          Resume
        </button>
      ) : (
        <button data-testid="pause" onClick={pause} disabled={phase !== 'training'}>
          Pause
        </button>
      )}
      <button data-testid="stop" onClick={stop} disabled={!active}>
        Stop
      </button>
      <span className="muted" data-testid="phase">
        {phase}
      </span>
    </div>
  );
}
