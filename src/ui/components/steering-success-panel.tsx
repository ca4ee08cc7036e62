import { useShallow } from 'zustand/react/shallow';
import { compareFeatureRates, compareRates, type FeatureSuccess, type RateCount } from '../../core/stats';
import { labController, useLab } from '../page';
import { resultLabels } from '../selectors';
import { SIDE_COLORS } from '../labels';
import { activeSides } from '../store/experiment';
import { JudgeSettings } from './judge-settings';

interface Rate extends RateCount {
  rate: number;
  ci95: [number, number];
  perFeature?: FeatureSuccess[];
}

/**
 * The steering success rate of each configuration, on demand (it steers hundreds of digits or
 * generates hundreds of continuations), with its 95% interval, B against A, and the worker's own
 * sentence on how success is judged. The verdict compares the features' own success rates, since
 * trials of one feature are not independent; the pooled-trial tests follow as secondary
 * information. On language-model data an optional LLM judge scores the same trials, and on shards
 * that carry WordNet categories and a concept judge (the gloss sample) a concept-grounded rate follows.
 */
export function SteeringSuccessPanel() {
  const { seed, compare, labelA, labelB, successA, successB, measuring, hasSnapshot, lm, alpha } = useLab(
    useShallow((s) => {
      const sides = activeSides(s.experiment);
      const [labelA, labelB] = resultLabels(s);
      return {
        seed: s.selection.seed,
        compare: s.experiment.compare,
        labelA,
        labelB,
        successA: s.runtime[0].steeringSuccess,
        successB: s.runtime[1].steeringSuccess,
        measuring: sides.some((side) => s.runtime[side].measuringSteering),
        hasSnapshot: sides.every((side) => s.runtime[side].snapshot !== null),
        lm: s.experiment.dataset === 'lm',
        alpha: s.lmSteer.alpha,
      };
    }),
  );
  const labels = compare ? [labelA, labelB] : [labelA];
  const results = [successA, successB];
  const definition = results.find((r) => r !== null)?.definition;
  const judged = [successA?.judged ?? null, successB?.judged ?? null];
  const concept = [successA?.concept ?? null, successB?.concept ?? null];
  const conceptJudge = concept.find((c) => c)?.judge;
  return (
    <div className="steering-success" data-testid="steering-success-panel">
      <h3>Steering success rate</h3>
      <button type="button" data-testid="measure-steering" disabled={!hasSnapshot || measuring} onClick={() => void labController.measureSteering()}>
        {measuring ? 'Measuring…' : `Measure steering success (seed ${seed}${lm ? `, α = ${alpha}` : ''})`}
      </button>
      <RateLines testId="steering-success" labels={labels} rates={results} compare={compare} />
      <p className="caption" data-testid="steering-success-definition">
        {definition ?? 'Steers with many of the seed’s live features and counts how often the output moves toward what the feature stands for.'}
      </p>
      {conceptJudge && (
        <>
          <h4>Judged by WordNet's categories</h4>
          <RateLines testId="concept-success" labels={labels} rates={concept} compare={compare} />
          <p className="caption" data-testid="concept-success-definition">
            {concept.find((c) => c)?.definition} The judge puts {(conceptJudge.accuracy * 100).toFixed(1)}% of {conceptJudge.heldOut.toLocaleString('en')} held-out glosses in
            their category (the most common category alone: {(conceptJudge.majority * 100).toFixed(1)}%).
          </p>
        </>
      )}
      {judged.some((j) => j) && (
        <>
          <h4>Judged by the LLM</h4>
          <RateLines testId="judge-success" labels={labels} rates={judged} compare={compare} />
          <p className="caption">{judged.find((j) => j)?.definition}</p>
        </>
      )}
      {lm && <JudgeSettings />}
    </div>
  );
}

function RateLines({ testId, labels, rates, compare }: { testId: string; labels: string[]; rates: (Rate | null)[]; compare: boolean }) {
  const [a, b] = rates;
  const both = compare && a && b && a.trials > 0 && b.trials > 0;
  // Small counts: the tests are arithmetic, not work for a worker.
  const perFeature = both && a.perFeature && b.perFeature ? compareFeatureRates(b.perFeature, a.perFeature) : null;
  const pooled = both ? compareRates(b, a) : null;
  return (
    <>
      <ul className="success-list">
        {labels.map((label, side) => {
          const r = rates[side];
          return r ? (
            <li key={side} data-testid={`${testId}-${'AB'[side]}`}>
              <strong style={{ color: SIDE_COLORS[side] }}>{label}</strong>: {(r.rate * 100).toFixed(1)}% (95% interval {(r.ci95[0] * 100).toFixed(1)}–
              {(r.ci95[1] * 100).toFixed(1)}%; {r.successes} of {r.trials} trials{'features' in r ? ` over ${String(r.features)} features` : ''}
              {'alpha' in r ? `, α = ${String(r.alpha)}` : ''})
            </li>
          ) : null;
        })}
      </ul>
      {perFeature && (
        <>
          <p data-testid={`${testId}-comparison`}>
            {labels[1]} − {labels[0]}, mean success per feature: {points(perFeature.difference)} · Mann–Whitney U over the success rates of {perFeature.features[1]} +{' '}
            {perFeature.features[0]} features, p = {formatP(perFeature.test.pValue)}
            {verdict(perFeature.test.pValue, 'features')}
          </p>
          <p className="caption" data-testid={`${testId}-clustering`}>
            Trials that steer with the same feature are not independent, so this test compares the features' success rates, one per feature.
          </p>
        </>
      )}
      {pooled && (
        <p className={perFeature ? 'caption' : undefined} data-testid={perFeature ? `${testId}-pooled` : `${testId}-comparison`}>
          {perFeature ? 'Pooled trials, assuming every trial independent: ' : `${labels[1]} − ${labels[0]}: `}
          {points(pooled.difference)} · χ² = {pooled.chiSquare.statistic.toFixed(2)}, p = {formatP(pooled.chiSquare.pValue)} · Fisher's exact p ={' '}
          {formatP(pooled.fisher.pValue)}
          {perFeature ? '' : verdict(pooled.fisher.pValue, 'trials')}
        </p>
      )}
    </>
  );
}

function points(difference: number): string {
  return `${difference >= 0 ? '+' : '−'}${Math.abs(difference * 100).toFixed(1)} points`;
}

function verdict(p: number, more: 'features' | 'trials'): string {
  return p >= 0.05 ? ` (not significant at 5%: more ${more} would tell)` : ' (significant at 5%)';
}

function formatP(p: number): string {
  return p < 1e-3 ? p.toExponential(1) : p.toFixed(3);
}
