import { useShallow } from 'zustand/react/shallow';
import type { BackendReport } from '../../runtime/protocol/backend-types';
import type { LabReady } from '../../runtime/protocol/lab-api';
import { useLab } from '../page';
import { activeSides, SIDE_NAMES } from '../store/experiment';

function how(backend: BackendReport): string {
  return `${backend.detail}${backend.requested === 'auto' ? ', chosen automatically' : `, forced by ?backend=${backend.requested}`}`;
}

/** Which tfjs backend trains, on what, and why each better one was not used; then the data. */
export function BackendLine() {
  const readies = useLab(useShallow((s) => activeSides(s.experiment).map((side) => s.runtime[side].ready)));
  const loading = readies.some((r) => r === null);
  const known = readies.filter((r): r is LabReady => r !== null);
  if (known.length === 0) return <p className="backend-line muted">Choosing a tfjs backend and loading the data (for MNIST, also training the digit classifier that judges steering)…</p>;
  const first = known[0];
  // Both workers normally land on the same backend: say it once.
  const same = known.every((r) => r.backend.name === first.backend.name && r.backend.detail === first.backend.detail);
  const reasons = [...new Set(known.flatMap((r) => r.backend.reasons))];
  return (
    <div className="backend-line">
      <div>
        Backend: <strong data-testid="backend-name">{first.backend.name}</strong>{' '}
        <span className="muted" data-testid="backend-detail">
          ({how(first.backend)})
        </span>
        {!same &&
          known.slice(1).map((r, i) => (
            <span key={i} className="muted">
              {' '}
              · {SIDE_NAMES[i + 1]}: {r.backend.name} ({how(r.backend)})
            </span>
          ))}
        {loading && <span className="muted"> · starting the other worker…</span>}
      </div>
      {reasons.length > 0 && (
        <ul className="reasons" data-testid="backend-reasons" aria-label="Why better backends were not used">
          {reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
      <div className="muted" data-testid="data-name">
        {first.mnist ? (
          <>
            Data: {first.data.name} ({first.data.size.toLocaleString('en')} images of 28×28) · {first.mnist.testSize.toLocaleString('en')} test digits · digit
            classifier {(first.mnist.classifierAccuracy * 100).toFixed(1)}% accurate on held-out digits
          </>
        ) : (
          <>
            Data: {first.data.name} ({first.data.size.toLocaleString('en')} activation rows of width {first.data.d_in})
          </>
        )}
      </div>
    </div>
  );
}
