import { Fragment } from 'react';
import type { LmContext, LmFeatureDetails } from '../../runtime/protocol/lab-api';
import { ActivationHistogram, InspectorHeader } from './activation-histogram';
import { PartnerCards } from './partner-cards';
import { formatFixed, formatPercent, formatShort } from './number-format';
import { topLabelText } from './top-label-text';

interface LmFeatureInspectorProps {
  details: LmFeatureDetails;
  onSelectPartner: (seed: number, feature: number) => void;
  onClose?: () => void;
  tau?: number;
  /** A partner to mark: the other feature of a clicked heatmap cell. */
  highlight?: { seed: number; feature: number } | null;
}

/**
 * One feature of a language-model SAE: how often and how strongly it fires, the contexts from the
 * shards where it fires most (each token shaded by the feature's activation on it), the tokens its
 * decoder direction promotes and suppresses through the unembedding, and its partners in the other
 * seeds. Token text comes from files, so it is only ever rendered as text.
 */
export function LmFeatureInspector({ details, onSelectPartner, onClose, tau = 0.7, highlight = null }: LmFeatureInspectorProps) {
  const scale = Math.max(1e-9, ...details.contexts.flatMap((c) => [c.activation, ...(c.tokenActivations ?? [])]));
  return (
    <section className="sv-view sv-inspector" data-testid="text-feature-inspector">
      <InspectorHeader feature={details.feature} seed={details.seed} onClose={onClose} />
      <dl className="sv-facts">
        <dt>fires on</dt>
        <dd data-testid="inspector-frequency">{formatPercent(details.frequency, 2)} of sampled rows</dd>
        {details.topLabel !== undefined && (
          <>
            <dt>top label</dt>
            <dd data-testid="inspector-top-label">
              {details.topLabel ? `${topLabelText(details.topLabel)} of its top contexts` : <span className="muted">none of its top contexts has a label</span>}
            </dd>
          </>
        )}
      </dl>
      <figure>
        <figcaption>Non-zero activations on a sample of the rows</figcaption>
        <ActivationHistogram histogram={details.histogram} unit="rows" />
      </figure>

      <h4>Top-activating contexts</h4>
      <ol className="sv-contexts" data-testid="top-contexts">
        {details.contexts.map((context, i) => (
          <li key={i} data-testid="top-context">
            <ContextLine context={context} scale={scale} />
            <span className="sv-context-value">{formatShort(context.activation)}</span>
            {context.label !== undefined && (
              <span className="sv-context-label" data-testid="context-label">
                {context.label ?? '–'}
              </span>
            )}
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
      <PartnerCards partners={details.partners} onSelect={onSelectPartner} tau={tau} highlight={highlight} />
    </section>
  );
}

function ContextLine({ context, scale }: { context: LmContext; scale: number }) {
  return (
    <span className="sv-context">
      {context.tokens.map((token, i) => {
        const last = i === context.tokens.length - 1;
        const value = context.tokenActivations?.[i] ?? (last ? context.activation : 0);
        const shade = Math.min(1, Math.max(0, value / scale));
        // Spaces are drawn as "·", so a context has no spaces left to wrap at: <wbr> lets a line break
        // between any two tokens, and the whole context (its firing last token too) stays in view.
        return (
          <Fragment key={i}>
            <span
              className={last ? 'sv-token sv-token-row' : 'sv-token'}
              style={{ backgroundColor: `rgba(232, 89, 12, ${shade.toFixed(3)})` }}
              title={`activation ${formatShort(value)}`}
            >
              {visibleWhitespace(token)}
            </span>
            {!last && <wbr />}
          </Fragment>
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
