import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { SIDE_COLORS } from '../labels';
import { useLab } from '../page';
import { resultLabels } from '../selectors';
import { MetricCurves } from '../views';
import type { CurveMetric, CurveRun } from '../views/metric-series';

/** Loss terms first (what training minimises), then what the SAE became: sparsity and dead latents. */
const METRICS: { metric: CurveMetric; logScale?: boolean }[] = [
  { metric: 'loss', logScale: true },
  { metric: 'mse', logScale: true },
  { metric: 'sparsity' },
  { metric: 'penalty' },
  { metric: 'l0' },
  { metric: 'deadFrac' },
];

/** Training curves of both configurations on shared axes: one line per seed, one colour per configuration. */
export function CurvesPanel() {
  const { perSeedA, perSeedB, labelA, labelB } = useLab(
    useShallow((s) => {
      const [labelA, labelB] = resultLabels(s);
      return { perSeedA: s.runtime[0].perSeed, perSeedB: s.experiment.compare ? s.runtime[1].perSeed : null, labelA, labelB };
    }),
  );
  const runs = useMemo<CurveRun[]>(() => {
    const all = [
      { label: labelA, color: SIDE_COLORS[0], perSeed: perSeedA },
      { label: labelB, color: SIDE_COLORS[1], perSeed: perSeedB ?? [] },
    ];
    return all.filter((run) => run.perSeed.length > 0);
  }, [perSeedA, perSeedB, labelA, labelB]);

  return (
    <section className="panel" data-testid="curves-panel">
      <h2>Training curves</h2>
      <p className="caption">
        One line per seed (dashes tell seeds apart), one colour per configuration. The loss is MSE + sparsity term + weight penalty; L0 counts active latents
        per image; a latent is dead when it has not fired for a while.
      </p>
      <div className="curves-grid">
        {METRICS.map(({ metric, logScale }) => (
          <MetricCurves key={metric} metric={metric} runs={runs} logScale={logScale} height={200} />
        ))}
      </div>
    </section>
  );
}
