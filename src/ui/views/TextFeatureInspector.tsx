import { useMemo } from 'react';
import type { TextContext, TextFeatureDetails } from '../../runtime/lab-api';
import { HistogramSvg } from './HistogramSvg';
import { formatFixed, formatPercent, formatShort } from './number-format';

interface TextFeatureInspectorProps {
  details: TextFeatureDetails;
  onSelectPartner: (seed: number, feature: number) => void;
  onClose?: () => void;
  tau?: number;
}

const RUN_COLOR = '#4c6ef5';

/**
 * One feature of a language-model SAE: how often and how strongly it fires, the contexts from the
 * shards where it fires most (each token shaded by the feature's activation on it), the tokens its
 * decoder direction promotes and suppresses through the unembedding, and its partners in the other
 * seeds. Token text comes from files, so it is only ever rendered as text.
 */
export function TextFeatureInspector({ details, onSelectPartner, onClose, tau = 0.7 }: TextFeatureInspectorProps) {
  const histogram = useMemo(
    () => ({
      series: [{ label: 'activations', color: RUN_COLOR, counts: details.histogram.counts }],
      edges: details.histogram.edges,
      xLabel: 'activation (when non-zero)',
      yLabel: 'rows',
      compact: true,
    }),
    [details],
  );
  const scale = Math.max(1e-9, ...details.contexts.flatMap((c) => [c.activation, ...(c.tokenActivations ?? [])]));
  return (
    <section className="sv-view sv-inspector" data-testid="text-feature-inspector">
      <header className="sv-header">
        <h3>
          Feature {details.feature} · seed {details.seed}
        </h3>
        {onClose && (
          <button type="button" onClick={onClose} title="Close the inspector">
            Close
          </button>
        )}
      </header>
      <dl className="sv-facts">
        <dt>fires on</dt>
        <dd data-testid="inspector-frequency">{formatPercent(details.frequency, 2)} of sampled rows</dd>
      </dl>
      <figure>
        <figcaption>Non-zero activations on a sample of the rows</figcaption>
        <HistogramSvg data={histogram} height={110} label="histogram of the feature's activations" />
      </figure>

      <h4>Top-activating contexts</h4>
      <ol className="sv-contexts" data-testid="top-contexts">
        {details.contexts.map((context, i) => (
          <li key={i}>
            <ContextLine context={context} scale={scale} />
            <span className="sv-context-value">{formatShort(context.activation)}</span>
          </li>
        ))}
      </ol>
      {details.contexts.length === 0 && <p className="sv-empty">It fires on none of the loaded rows.</p>}
      {details.contexts.length > 0 && details.contexts[0].tokenActivations === null && (
        <p className="muted">Load the model to see the contexts as text, each token shaded by the feature's activation.</p>
      )}

      <h4>Logit lens: what the decoder direction writes toward</h4>
      {details.logitLens ? (
        <div className="sv-logit-lens" data-testid="logit-lens">
          <TokenList title="promotes" tokens={details.logitLens.promoted} />
          <TokenList title="suppresses" tokens={details.logitLens.suppressed} />
        </div>
      ) : (
        <p className="muted">Load the model to see the tokens this feature's direction promotes through the unembedding.</p>
      )}

      <h4>Matched partners in the other seeds</h4>
      <div className="sv-tile-row">
        {details.partners.map((partner) => (
          <button
            type="button"
            key={partner.seed}
            className={`sv-partner${partner.shared ? ' sv-shared' : ''}`}
            data-testid={`partner-${partner.seed}`}
            onClick={() => onSelectPartner(partner.seed, partner.feature)}
            title={`Shared (the paper's criterion): encoder and decoder matchings pick the same partner and both |cos| ≥ ${tau}. Click to inspect it.`}
          >
            <span>
              seed {partner.seed} #{partner.feature}
            </span>
            <span>|cos| {formatFixed(partner.cosine, 2)}</span>
            <span className="sv-shared-flag">{partner.shared ? 'shared' : 'not shared'}</span>
          </button>
        ))}
        {details.partners.length === 0 && <p className="sv-empty">Partners need two or more seeds.</p>}
      </div>
    </section>
  );
}

function ContextLine({ context, scale }: { context: TextContext; scale: number }) {
  return (
    <span className="sv-context">
      {context.tokens.map((token, i) => {
        const last = i === context.tokens.length - 1;
        const value = context.tokenActivations?.[i] ?? (last ? context.activation : 0);
        const shade = Math.min(1, Math.max(0, value / scale));
        return (
          <span
            key={i}
            className={last ? 'sv-token sv-token-row' : 'sv-token'}
            style={{ backgroundColor: `rgba(232, 89, 12, ${shade.toFixed(3)})` }}
            title={`activation ${formatShort(value)}`}
          >
            {visibleWhitespace(token)}
          </span>
        );
      })}
    </span>
  );
}

function TokenList({ title, tokens }: { title: string; tokens: { text: string; logit: number }[] }) {
  return (
    <div>
      <h5>{title}</h5>
      <ul>
        {tokens.map((t, i) => (
          <li key={i}>
            <code>{visibleWhitespace(t.text)}</code> <span className="muted">{formatFixed(t.logit, 2, true)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Leading spaces and newlines are most of what tells tokens apart: show them. */
function visibleWhitespace(text: string): string {
  return text.replace(/\n/g, '⏎').replace(/^ /, '·');
}
