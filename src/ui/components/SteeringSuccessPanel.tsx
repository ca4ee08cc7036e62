import { useShallow } from 'zustand/react/shallow';
import { labController, useLab } from '../page';
import { resultLabels } from '../selectors';
import { SIDE_COLORS } from '../labels';
import { compareRates } from '../../core/stats';
import { activeSides } from '../store/experiment';

/**
 * The steering success rate of each configuration, on demand (it steers hundreds of digits), with
 * its 95% interval and the worker's own sentence on how success is judged.
 */
export function SteeringSuccessPanel() {
  const { seed, compare, labelA, labelB, successA, successB, measuring, hasSnapshot } = useLab(
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
      };
    }),
  );
  const labels = compare ? [labelA, labelB] : [labelA];
  const results = [successA, successB];
  // Two small counts: the test is arithmetic, not work for a worker.
  const comparison = compare && successA && successB && successA.trials > 0 && successB.trials > 0 ? compareRates(successB, successA) : null;
  const definition = results.find((r) => r !== null)?.definition;
  return (
    <div className="steering-success" data-testid="steering-success-panel">
      <h3>Steering success rate</h3>
      <button type="button" data-testid="measure-steering" disabled={!hasSnapshot || measuring} onClick={() => void labController.measureSteering()}>
        {measuring ? 'Measuring…' : `Measure steering success (seed ${seed})`}
      </button>
      <ul className="success-list">
        {labels.map((label, side) =>
          results[side] ? (
            <li key={side} data-testid={`steering-success-${'AB'[side]}`}>
              <strong style={{ color: SIDE_COLORS[side] }}>{label}</strong>: {(results[side].rate * 100).toFixed(1)}% (95% interval{' '}
              {(results[side].ci95[0] * 100).toFixed(1)}–{(results[side].ci95[1] * 100).toFixed(1)}%; {results[side].successes} of {results[side].trials} trials
              over {results[side].features} features, α = {results[side].alpha})
            </li>
          ) : null,
        )}
      </ul>
      {comparison && (
        <p data-testid="steering-success-comparison">
          {labelB} − {labelA}: {comparison.difference >= 0 ? '+' : '−'}
          {Math.abs(comparison.difference * 100).toFixed(1)} points · χ² = {comparison.chiSquare.statistic.toFixed(2)}, p = {formatP(comparison.chiSquare.pValue)} ·
          Fisher's exact p = {formatP(comparison.fisher.pValue)}
          {comparison.fisher.pValue >= 0.05 ? ' (not significant at 5%: more features would tell)' : ' (significant at 5%)'}
        </p>
      )}
      <p className="caption" data-testid="steering-success-definition">
        {definition ?? 'Steers many digits with many of the seed’s live features and counts how often the classifier then reads the feature’s preferred class.'}
      </p>
    </div>
  );
}

function formatP(p: number): string {
  return p < 1e-3 ? p.toExponential(1) : p.toFixed(3);
}
