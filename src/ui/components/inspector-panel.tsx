import { useEffect, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { labStore, useLab } from '../page';
import { useConfigurationSwitch } from './use-configuration-switch';
import { resultLabels } from '../selectors';
import type { Side } from '../store/experiment';
import { FeatureInspector, LmFeatureInspector } from '../views';
import { CellComparison } from '../views/cell-comparison';
import { absCosine, featureGlance } from '../views/feature-glance';
import { formatFixed } from '../views/number-format';

/** Scrolls the inspector into view, smoothly unless the person asked for less motion. */
function reveal(element: HTMLElement | null) {
  const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
  element?.scrollIntoView({ block: 'nearest', behavior: reduced ? 'auto' : 'smooth' });
}

/**
 * The selected feature up close: its images, when it fires, and its partners in the other seeds;
 * beside it the other feature of a clicked heatmap cell; and, after a switch of configuration,
 * which feature of the other configuration it is the matched partner of.
 */
export function InspectorPanel() {
  const { side, seed, feature, companion, arrivedFrom, details, text, snapshot, images, compare, otherReady, labelA, labelB } = useLab(
    useShallow((s) => {
      const [labelA, labelB] = resultLabels(s);
      return {
        ...s.selection,
        details: s.inspection.details,
        text: s.inspection.lm,
        snapshot: s.runtime[s.selection.side].snapshot,
        images: s.experiment.dataset === 'mnist',
        compare: s.experiment.compare,
        otherReady: s.runtime[s.selection.side === 0 ? 1 : 0].snapshot !== null,
        labelA,
        labelB,
      };
    }),
  );
  const { selectFeature } = labStore.getState();
  const sideName = (s: Side) => (s === 0 ? labelA : labelB);
  const current = <T extends { seed: number; feature: number }>(d: T | null) => (d && d.seed === seed && d.feature === feature ? d : null);
  const shown = current(details);
  const shownText = current(text);
  const partners = (shown ?? shownText)?.partners ?? null;

  // Opening a feature (a tile, a row, a heatmap cell, a partner, a switch of configuration) brings the
  // inspector into view, and again once its details arrive and it has its full height; so does a
  // heatmap cell that adds a companion to the feature already open. A link that opens on a feature
  // leaves the page where it is.
  const panel = useRef<HTMLElement>(null);
  const mounted = useRef(false);
  const pending = useRef(false);
  const key = feature === null ? null : `${side}:${seed}:${feature}:${companion ? `${companion.seed}:${companion.feature}` : ''}`;
  useEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    if (key === null) return;
    pending.current = true;
    reveal(panel.current);
  }, [key]);
  const loaded = shown !== null || shownText !== null;
  useEffect(() => {
    if (!loaded || !pending.current) return;
    pending.current = false;
    reveal(panel.current);
  }, [loaded, key]);

  const { switching, problem: switchProblem, switchTo } = useConfigurationSwitch();
  const other: Side = side === 0 ? 1 : 0;
  const switchSide = () => switchTo(other);

  const inspectedGlance = snapshot && feature !== null ? featureGlance(snapshot, seed, feature) : null;
  const companionGlance = snapshot && companion ? featureGlance(snapshot, companion.seed, companion.feature) : null;
  const companionPartner = companion && partners ? (partners.find((p) => p.seed === companion.seed) ?? null) : null;
  const selectPartner = (s: number, f: number) => selectFeature(side, s, f);
  const close = () => selectFeature(side, seed, null);

  return (
    <section className="panel inspector-panel" data-testid="inspector-panel" ref={panel}>
      <h2>Feature inspector</h2>
      {feature === null ? (
        <p className="muted placeholder">Click a feature or a heatmap cell to inspect it.</p>
      ) : (
        <>
          <p className="caption">
            Configuration {sideName(side)}, seed {seed}, feature {feature}. Partners are its matches in every other seed under the optimal assignment;
            "shared" means the encoder and decoder matchings agree and both |cos| ≥ 0.7 (the paper's criterion). Click a partner to inspect it.
          </p>
          {arrivedFrom && arrivedFrom.side !== side && (
            <p
              className="cross-partner-note"
              data-testid="cross-partner-note"
              data-from-side={'AB'[arrivedFrom.side]}
              data-from-seed={arrivedFrom.seed}
              data-from-feature={arrivedFrom.feature}
              data-cosine={arrivedFrom.cosine}
              data-to-seed={seed}
              data-to-feature={feature}
            >
              {sideName(arrivedFrom.side)} seed {arrivedFrom.seed} #{arrivedFrom.feature} → {sideName(side)} seed {seed} #{feature}:{' '}
              {arrivedFrom.how === 'assignment' ? 'its matched partner' : 'its closest feature'}, decoder |cos| <strong>{formatFixed(arrivedFrom.cosine, 3)}</strong>
              {arrivedFrom.how === 'assignment'
                ? ` (the optimal one-to-one assignment of the two seeds' decoder directions).`
                : ` (the largest |cos|: the SAEs differ in width and the optimal assignment leaves #${arrivedFrom.feature} unmatched).`}
            </p>
          )}
          {compare && otherReady && (
            <p className="inspector-actions">
              <button type="button" data-testid="inspector-switch-side" disabled={switching} onClick={() => void switchSide()}>
                {switching ? 'Finding its partner…' : `Its matched partner in ${sideName(other)}`}
              </button>
              {switchProblem && <span className="muted"> No partner: {switchProblem}.</span>}
            </p>
          )}
          {inspectedGlance && companionGlance && (
            <CellComparison
              inspected={inspectedGlance}
              companion={companionGlance}
              cosine={absCosine(inspectedGlance.decoder, companionGlance.decoder)}
              partner={companionPartner && { feature: companionPartner.feature, cosine: companionPartner.cosine }}
              images={images}
              onSwap={() => selectFeature(side, companionGlance.seed, companionGlance.feature, { companion: { seed, feature } })}
              onDismiss={() => selectFeature(side, seed, feature)}
            />
          )}
          {shown ? (
            <FeatureInspector details={shown} onSelectPartner={selectPartner} onClose={close} highlight={companion} />
          ) : shownText ? (
            <LmFeatureInspector details={shownText} onSelectPartner={selectPartner} onClose={close} highlight={companion} />
          ) : (
            <p className="muted placeholder">
              Loading feature {feature} of seed {seed}…
            </p>
          )}
        </>
      )}
    </section>
  );
}
