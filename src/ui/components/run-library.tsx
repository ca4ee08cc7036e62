import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ComparisonRecord, RunRecord } from '../../runtime/protocol/run-records';
import type { RunState } from '../../runtime/protocol/run-state';
import { formatBytes } from '../lib/picked-files';
import { labController, useLab } from '../page';
import { sideLabel } from '../labels';
import { SIDE_NAMES } from '../store/experiment';
import { isActive, type Phase } from '../store/runtime';
import { ImportSaes } from './import-saes';

const STATUS_WORDS: Record<RunState, string> = {
  training: 'training',
  paused: 'paused',
  done: 'done',
  stopped: 'stopped',
  diverged: 'diverged',
  interrupted: 'interrupted',
};

/**
 * Every saved comparison (IndexedDB): what it trained on, how far each configuration got, its
 * alignment, and what can be done with it — resume an interrupted or stopped run, rename, delete —
 * with how much of the site's storage the runs use.
 */
export function RunLibrary() {
  const { library, busyReason, liveIds } = useLab(
    useShallow((s) => ({
      library: s.library,
      busyReason: busyReasonOf(s.runtime.map((r) => r.phase)),
      // A string, not an array, so that useShallow sees no change while the same runs train.
      liveIds: s.runtime.flatMap((r) => (r.runId && isActive(r.phase) ? [r.runId] : [])).join(' '),
    })),
  );
  return (
    <section className="panel run-library" data-testid="run-library">
      <h2>Saved runs</h2>
      <p className="caption">
        Every run is saved in this browser as it trains (settings, metrics, a checkpoint of every seed at most every few seconds of training, alignment), so
        a reload, a closed tab or a crashed worker loses at most one checkpoint interval. Interrupted runs can be resumed from their checkpoint.
        {library.usage && ` Storage: ${formatBytes(library.usage.usage)} of ${formatBytes(library.usage.quota)} used.`}
      </p>
      {!library.available && <p className="error">This browser offers no storage to the page (IndexedDB): runs are kept in memory only.</p>}
      {library.problem && (
        <p className="error" role="alert" data-testid="library-problem">
          {library.problem}
        </p>
      )}
      <ImportSaes busyReason={busyReason} />
      {library.comparisons.length > 0 && <CompareTwo comparisons={library.comparisons} busyReason={busyReason} />}
      {library.comparisons.length === 0 ? (
        <p className="muted">No saved runs yet.</p>
      ) : (
        <table className="library-table">
          <thead>
            <tr>
              <th>name</th>
              <th>data</th>
              <th>started</th>
              <th>configurations</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {library.comparisons.map((comparison) => (
              <ComparisonRow key={comparison.id} comparison={comparison} busyReason={busyReason} live={comparison.runs.some((r) => liveIds.split(' ').includes(r.id))} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Why saved runs cannot be opened or resumed now (the page shows one run at a time), or null. */
function busyReasonOf(phases: Phase[]): string | null {
  if (phases.includes('loading')) return 'Wait until the data has loaded.';
  if (phases.some(isActive)) return 'A run is training here: stop it first (the page shows one run at a time).';
  return null;
}

function ComparisonRow({ comparison, busyReason, live }: { comparison: ComparisonRecord; busyReason: string | null; live: boolean }) {
  const busy = busyReason !== null;
  const first = comparison.runs[0];
  const resumable = comparison.runs.some((r) => r.status === 'interrupted' || r.status === 'stopped' || r.status === 'paused') && comparison.runs.every((r) => r.checkpointStep !== null);
  const data = first.data.kind === 'mnist' ? `MNIST${first.data.trainLimit ? `, first ${first.data.trainLimit}` : ''}` : first.data.name;
  return (
    <tr data-testid="saved-comparison">
      <td>
        <input
          type="text"
          aria-label="comparison name"
          data-testid="saved-name"
          defaultValue={first.name}
          size={Math.max(16, first.name.length + 2)}
          onBlur={(e) => e.target.value !== first.name && void labController.renameComparison(comparison.id, e.target.value)}
        />
      </td>
      <td>{data}</td>
      <td>{new Date(first.createdAt).toLocaleString('en')}</td>
      <td>
        {comparison.runs.map((run) => (
          <div key={run.id} data-testid="saved-run">
            {sideLabel(run.side, [comparison.runs[0].config, (comparison.runs[1] ?? comparison.runs[0]).config], comparison.runs.length > 1)}:{' '}
            <span data-testid="saved-status">{STATUS_WORDS[run.status]}</span> at step {run.step}/{run.totalSteps || '—'}
            {run.checkpointStep !== null && run.status !== 'done' && ` (checkpoint at ${run.checkpointStep})`}
            {run.alignment && ` · MMCS ${run.alignment.meanOverPairs.mmcs.toFixed(3)}`}
            {run.message && <span className="error"> · {run.message}</span>}
          </div>
        ))}
      </td>
      <td className="library-actions">
        <button
          type="button"
          data-testid="open-saved"
          disabled={busy}
          title={busyReason ?? "Show these runs' curves, alignment and features without training them"}
          onClick={() => void labController.openSaved(comparison.runs[0].id, comparison.runs[1]?.id ?? null)}
        >
          Open
        </button>
        {resumable && (
          <button
            type="button"
            data-testid="resume-saved"
            disabled={busy}
            title={busyReason ?? 'Continue training from the saved checkpoint'}
            onClick={() => void labController.resumeComparison(comparison.id)}
          >
            Resume
          </button>
        )}
        <button
          type="button"
          data-testid="delete-saved"
          disabled={live}
          title={live ? 'It is training now: stop it first, then delete it.' : 'Delete these runs from this browser'}
          onClick={() => void labController.deleteComparison(comparison.id)}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

/** Any two saved runs side by side (as A and B), whichever comparisons they came from. */
function CompareTwo({ comparisons, busyReason }: { comparisons: ComparisonRecord[]; busyReason: string | null }) {
  const busy = busyReason !== null;
  const runs = comparisons.flatMap((c) => c.runs);
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const label = (run: RunRecord) => `${run.name} (${SIDE_NAMES[run.side]}, ${new Date(run.createdAt).toLocaleString('en')}, ${run.status})`;
  const options = runs.map((run) => (
    <option key={run.id} value={run.id}>
      {label(run)}
    </option>
  ));
  return (
    <div className="compare-two" data-testid="compare-two">
      Compare any two saved runs: A{' '}
      <select aria-label="saved run A" data-testid="compare-a" value={a} onChange={(e) => setA(e.target.value)}>
        <option value="">choose…</option>
        {options}
      </select>{' '}
      B{' '}
      <select aria-label="saved run B" data-testid="compare-b" value={b} onChange={(e) => setB(e.target.value)}>
        <option value="">choose…</option>
        {options}
      </select>{' '}
      <button
        type="button"
        data-testid="compare-open"
        disabled={busy || !a || !b || a === b}
        title={busyReason ?? (!a || !b ? 'Choose a run for A and one for B' : a === b ? 'Choose two different runs' : 'Show both runs side by side, without training')}
        onClick={() => void labController.openSaved(a, b)}
      >
        Open side by side
      </button>
    </div>
  );
}
