import { useShallow } from 'zustand/react/shallow';
import { labStore, useLab } from '../page';
import { SIDE_NAMES } from '../store/experiment';
import { FeatureInspector, TextFeatureInspector } from '../views';

/** The selected feature up close: its images, when it fires, and its partners in the other seeds. */
export function InspectorPanel() {
  const { side, seed, feature, details, text } = useLab(useShallow((s) => ({ ...s.selection, details: s.inspection.details, text: s.inspection.text })));
  const { selectFeature } = labStore.getState();
  const current = <T extends { seed: number; feature: number }>(d: T | null) => (d && d.seed === seed && d.feature === feature ? d : null);
  const shown = current(details);
  const shownText = current(text);
  return (
    <section className="panel" data-testid="inspector-panel">
      <h2>Feature inspector</h2>
      {feature === null ? (
        <p className="muted placeholder">Click a feature or a heatmap cell to inspect it.</p>
      ) : shown || shownText ? (
        <>
          <p className="caption">
            Configuration {SIDE_NAMES[side]}, seed {seed}, feature {feature}. Partners are its matches in every other seed under the optimal assignment;
            "shared" means the encoder and decoder matchings agree and both |cos| ≥ 0.7 (the paper's criterion). Click a partner to inspect it.
          </p>
          {shown ? (
            <FeatureInspector details={shown} onSelectPartner={(s, f) => selectFeature(side, s, f)} onClose={() => selectFeature(side, seed, null)} />
          ) : (
            shownText && (
              <TextFeatureInspector details={shownText} onSelectPartner={(s, f) => selectFeature(side, s, f)} onClose={() => selectFeature(side, seed, null)} />
            )
          )}
        </>
      ) : (
        <p className="muted placeholder">
          Loading feature {feature} of seed {seed}…
        </p>
      )}
    </section>
  );
}
