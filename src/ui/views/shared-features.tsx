import { useEffect, useMemo, useRef } from 'react';
import { drawSharingBars } from './draw-sharing-bars';
import { SaveFigureButton } from './save-figure-button';
import { SHARING_CATEGORIES, sharingBars, sharingCategoryNote, type SharingRun } from './sharing-bars';
import { useElementWidth } from './use-element-width';

interface SharedFeaturesProps {
  /** Per configuration: its label, colour and the reference seed's sharing counts (summary.acrossSeeds). */
  runs: SharingRun[];
  /** Seeds per configuration, and the threshold both |cos| must reach. */
  seeds: number;
  tau: number;
  height?: number;
}

/**
 * The paper's stability figure: the reference seed's features that are shared with every other seed,
 * with some, or with none, per configuration side by side.
 */
export function SharedFeatures({ runs, seeds, tau, height = 220 }: SharedFeaturesProps) {
  const container = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const width = useElementWidth(container, 320);
  const bars = useMemo(() => sharingBars(runs), [runs]);
  const reference = runs.find((r) => r.sharing)?.sharing;
  useEffect(() => {
    if (svg.current) drawSharingBars(svg.current, { bars, width, height, yLabel: `of seed ${reference?.referenceSeed ?? 0}'s features` });
  }, [bars, width, height, reference]);

  return (
    <section className="sv-view sv-shared-features" data-testid="shared-features">
      <header className="sv-header">
        <h3>Features shared across seeds</h3>
        <SaveFigureButton target={() => svg.current} fileName="shared-features" format="svg" />
      </header>
      <div ref={container} className="sv-fill">
        <svg ref={svg} role="img" aria-label="bars of features always, sometimes and never shared across seeds" />
      </div>
      <p className="sv-caption">
        Counted over seed {reference?.referenceSeed ?? 0}'s {reference ? reference.features.toLocaleString('en') : ''} features (each bar: the count, and
        its fraction of them). A feature is shared with another seed when the optimal one-to-one matchings on decoder |cos| and on encoder |cos| give it
        the same partner and both |cos| are ≥ τ = {tau}.{' '}
        {SHARING_CATEGORIES.map((c) => `${c}: ${sharingCategoryNote(c, seeds)}`).join('; ')}.
      </p>
    </section>
  );
}
