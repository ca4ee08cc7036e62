import { useShallow } from 'zustand/react/shallow';
import { labStore, useLab } from '../page';
import { ALPHA_RANGE } from '../store/selection';
import { ImageTile, SteeringView } from '../views';
import { NumberInput } from './number-input';
import { SteeringSuccessPanel } from './steering-success-panel';

/** Steering on MNIST: add α × the feature's decoder direction to a test digit's reconstruction and see what the image becomes. */
export function SteeringPanel() {
  const { feature, digit, alpha, steering, testSize } = useLab(
    useShallow((s) => ({ ...s.selection, steering: s.inspection.steering, testSize: s.runtime[s.selection.side].ready?.mnist?.testSize ?? 0 })),
  );
  const select = labStore.getState().select;
  const at = steering ? steering.alphas.indexOf(alpha) : -1;
  return (
    <section className="panel" data-testid="steering-panel">
      <h2>Steering</h2>
      <p className="caption">
        Pick a test digit and slide α: the image is the SAE's reconstruction of the digit plus α times the selected feature's decoder direction (unit
        length), clipped to [0, 1]. The digit classifier says what the result looks like.
      </p>
      {feature === null ? (
        <p className="muted placeholder">Select a feature to steer with it.</p>
      ) : (
        <>
          <div className="steering-controls">
            <label>
              test digit #
              <NumberInput
                label="test digit"
                testId="steer-digit"
                value={String(digit)}
                onCommit={(text) => {
                  const n = Number(text);
                  if (!Number.isInteger(n) || n < 0 || (testSize > 0 && n >= testSize)) return `a whole number from 0 to ${Math.max(0, testSize - 1)}`;
                  select({ digit: n });
                  return null;
                }}
              />
            </label>
            <button type="button" data-testid="steer-another-digit" disabled={testSize === 0} onClick={() => select({ digit: Math.floor(Math.random() * testSize) })}>
              Another digit
            </button>
            <label className="alpha-slider">
              α = <output data-testid="steer-alpha">{alpha}</output>
              <input
                type="range"
                data-testid="steer-alpha-slider"
                min={ALPHA_RANGE.min}
                max={ALPHA_RANGE.max}
                step={ALPHA_RANGE.step}
                value={alpha}
                onChange={(e) => select({ alpha: Number(e.target.value) })}
              />
            </label>
          </div>
          {steering && at >= 0 && (
            <div className="steered-current">
              <ImageTile
                pixels={steering.images[at]}
                mode="gray"
                size={112}
                testId="steer-current"
                label={`reconstruction ${alpha < 0 ? '−' : '+'} ${Math.abs(alpha)}·d: the classifier reads a ${argmax(steering.probabilities[at])}`}
              />
            </div>
          )}
          {steering ? <SteeringView result={steering} onAlphaPick={(alpha) => select({ alpha })} /> : <p className="muted">Steering…</p>}
        </>
      )}
      <SteeringSuccessPanel />
    </section>
  );
}

function argmax(values: number[]): number {
  return values.reduce((best, v, i) => (v > values[best] ? i : best), 0);
}
