import { labController, labStore, useLab } from '../page';

/** What this visit came back to, and the one click that acts on it: resume the interrupted run, or train again. */
export function ArrivalNotice() {
  const arrival = useLab((s) => s.library.arrival);
  if (!arrival) return null;
  const dismiss = () => labStore.getState().setLibrary({ arrival: null });
  if (arrival.kind === 'interrupted') {
    return (
      <section className="panel arrival notice" role="status" data-testid="arrival-interrupted">
        <p>
          <strong>“{arrival.name}” was interrupted</strong> (the page was reloaded or closed while it trained).{' '}
          {arrival.checkpointStep === null ? 'It had no checkpoint yet, so it cannot be resumed.' : `Its checkpoint at step ${arrival.checkpointStep} is saved: Resume continues from there.`}{' '}
          Nothing new was started.
        </p>
        <div className="arrival-actions">
          {arrival.checkpointStep !== null && (
            <button type="button" className="primary" data-testid="arrival-resume" onClick={() => void labController.resumeComparison(arrival.comparisonId)}>
              Resume it
            </button>
          )}
          <button type="button" data-testid="arrival-dismiss" onClick={dismiss}>
            Leave it (it stays in Saved runs)
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="panel arrival notice" role="status" data-testid="arrival-reopened">
      <p>
        <strong>This experiment is already saved in this browser</strong> (“{arrival.name}”, finished {new Date(arrival.finishedAt).toLocaleString('en')}): it was opened
        instead of trained and stored again. Its curves, alignment and features are below.
      </p>
      <div className="arrival-actions">
        <button type="button" className="primary" data-testid="arrival-train-again" onClick={() => void labController.start()}>
          Train it again
        </button>
        <button type="button" data-testid="arrival-dismiss" onClick={dismiss}>
          OK
        </button>
      </div>
    </section>
  );
}
