import { useShallow } from 'zustand/react/shallow';
import { LM_STEERING_DEFAULTS } from '../../core/analysis/lm/settings';
import { labController, labStore, useLab } from '../page';
import { NumberInput } from './number-input';
import { SteeringSuccessPanel } from './steering-success-panel';

const { maxNewTokens, temperature, topP } = LM_STEERING_DEFAULTS;

/**
 * The steering playground for language models: the same prompt continued with and without α × the
 * feature's unit decoder direction added at the hook, with the same sampling seed, side by side,
 * and the next-token probabilities steering moves most.
 */
export function LmSteeringPanel() {
  const { feature, settings, result, generating, modelReady, hook } = useLab(
    useShallow((s) => ({
      feature: s.selection.feature,
      settings: s.lmSteer,
      result: s.inspection.lmSteering,
      generating: s.inspection.generating,
      modelReady: s.modelLoad.info !== null,
      hook: s.runtime[s.selection.side].ready?.shards?.hook ?? 'the hook',
    })),
  );
  const set = labStore.getState().setLmSteer;
  const number = (text: string, apply: (n: number) => void, whole = false) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || (whole && !Number.isSafeInteger(n))) return whole ? 'a whole number' : 'a number';
    apply(n);
    return null;
  };
  return (
    <section className="panel" data-testid="steering-panel">
      <h2>Steering</h2>
      <p className="caption">
        Adds α × the feature's unit decoder direction to the residual stream at {hook}, at the generated tokens only (not the prompt, as in the paper), and
        samples {maxNewTokens} tokens at temperature {temperature}, top-p {topP}, with the same seed with and without it.
      </p>
      {!modelReady ? (
        <p className="muted placeholder">Load a model (Data panel) to steer.</p>
      ) : feature === null ? (
        <p className="muted placeholder">Select a feature to steer with it.</p>
      ) : (
        <>
          <form
            className="steering-controls"
            onSubmit={(e) => {
              e.preventDefault();
              void labController.generate();
            }}
          >
            <label className="prompt-input">
              prompt <input type="text" data-testid="steer-prompt" value={settings.prompt} onChange={(e) => set({ prompt: e.target.value })} />
            </label>
            <label>
              α <NumberInput label="alpha" testId="steer-text-alpha" value={String(settings.alpha)} onCommit={(t) => number(t, (alpha) => set({ alpha }))} />
            </label>
            <label>
              sampling seed{' '}
              <NumberInput label="sampling seed" testId="steer-sampling-seed" value={String(settings.samplingSeed)} onCommit={(t) => number(t, (samplingSeed) => set({ samplingSeed }), true)} />
            </label>
            <button type="submit" data-testid="steer-generate" disabled={generating || settings.prompt.trim() === ''}>
              {generating ? 'Generating…' : `Steer feature #${feature}`}
            </button>
          </form>
          {result && result.feature === feature && (
            <div className="text-steering" data-testid="text-steering-result">
              <div className="continuations">
                <figure>
                  <figcaption>Unsteered</figcaption>
                  <p data-testid="unsteered-text">
                    <span className="muted">{result.prompt}</span>
                    {result.unsteered}
                  </p>
                </figure>
                <figure>
                  <figcaption>Steered, α = {result.alpha}</figcaption>
                  <p data-testid="steered-text">
                    <span className="muted">{result.prompt}</span>
                    {result.steered}
                  </p>
                </figure>
              </div>
              <table className="next-token" data-testid="next-token-changes">
                <caption>Next token after the prompt, with α·d added at its last token</caption>
                <thead>
                  <tr>
                    <th>token</th>
                    <th>unsteered</th>
                    <th>steered</th>
                  </tr>
                </thead>
                <tbody>
                  {result.nextToken.map((change, i) => (
                    <tr key={i}>
                      <td>
                        <code>{change.text}</code>
                      </td>
                      <td>{(change.before * 100).toFixed(2)}%</td>
                      <td className={change.after > change.before ? 'up' : 'down'}>{(change.after * 100).toFixed(2)}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <SteeringSuccessPanel />
    </section>
  );
}
