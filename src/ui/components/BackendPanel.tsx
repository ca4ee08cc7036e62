import { useLab } from '../store';

/** Which tfjs backend trains, on what, and why each better one was not used. */
export function BackendPanel() {
  const backend = useLab((s) => s.backend);
  const data = useLab((s) => s.data);
  if (!backend) return <section className="panel">Choosing a tfjs backend and loading MNIST…</section>;
  return (
    <section className="panel">
      <div>
        Backend: <strong data-testid="backend-name">{backend.name}</strong>{' '}
        <span className="muted" data-testid="backend-detail">
          ({backend.detail}{backend.requested === 'auto' ? ', chosen automatically' : `, forced by ?backend=${backend.requested}`})
        </span>
      </div>
      {backend.reasons.length > 0 && (
        <ul className="reasons" data-testid="backend-reasons">
          {backend.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
      {data && (
        <div className="muted" data-testid="data-name">
          Data: {data.name} ({data.size.toLocaleString('en')} × {data.d_in})
        </div>
      )}
    </section>
  );
}
