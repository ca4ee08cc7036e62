import type { SteeringResult, SteeringSuccess } from '../../runtime/protocol/lab-api';
import { ImageTile } from './image-tile';
import { plural } from '../format';
import { formatPercent, formatShort } from './number-format';
import { topClass } from './steering-values';

interface SteeringViewProps {
  result: SteeringResult;
  success?: SteeringSuccess | null;
  /** Called with the α (and its index) of a clicked steered image. */
  onAlphaPick?: (alpha: number, index: number) => void;
}

/** A digit pushed along one feature's decoder direction, and what the classifier makes of each step. */
export function SteeringView({ result, success, onAlphaPick }: SteeringViewProps) {
  const target = result.preferredClass;
  return (
    <section className="sv-view sv-steering" data-testid="steering-view">
      <header className="sv-header">
        <h3>
          Steering test digit #{result.digitIndex} (a {result.label}) toward class {target}
        </h3>
      </header>
      <div className="sv-steering-body">
        <div className="sv-tile-row">
          <ImageTile pixels={result.original} mode="gray" size={56} label="original" />
          <ImageTile pixels={result.reconstruction} mode="gray" size={56} label="reconstruction" />
        </div>
        <div className="sv-strip" data-testid="steering-strip">
          {result.images.map((image, i) => {
            const probabilities = result.probabilities[i] ?? [];
            const top = topClass(probabilities);
            const pTarget = probabilities[target] ?? NaN;
            return (
              <div key={i} className="sv-strip-item">
                <ImageTile
                  pixels={image}
                  mode="gray"
                  size={56}
                  testId={`steer-img-${i}`}
                  title={`α = ${result.alphas[i]}: classified ${top.label} (${formatPercent(top.probability)}); P(${target}) = ${formatPercent(pTarget)}`}
                  onClick={onAlphaPick ? () => onAlphaPick(result.alphas[i], i) : undefined}
                />
                <span className="sv-alpha">α {formatShort(result.alphas[i])}</span>
                <span className={top.label === target ? 'sv-hit' : undefined}>
                  → {top.label} {formatPercent(top.probability, 0)}
                </span>
                <span className="sv-prob" title={`probability of class ${target}`}>
                  <span style={{ width: `${Math.round(100 * (Number.isFinite(pTarget) ? pTarget : 0))}%` }} />
                </span>
              </div>
            );
          })}
        </div>
      </div>
      <p className="sv-caption">
        Each image is the reconstruction plus α times the feature’s decoder direction, pixels clipped to [0, 1]. Under it: α, the classifier’s top
        class with its probability, and a bar for the probability of class {target}.
      </p>
      {success && (
        <div className="sv-success" data-testid="steering-success">
          <p>
            Success rate <strong data-testid="steering-rate">{formatPercent(success.rate)}</strong> (95% CI {formatPercent(success.ci95[0])} –{' '}
            {formatPercent(success.ci95[1])}), {success.successes} of {plural(success.trials, 'trial')} over {plural(success.features, 'feature')} at α ={' '}
            {formatShort(success.alpha)}.
          </p>
          <p className="sv-caption" data-testid="steering-definition">
            {success.definition}
          </p>
        </div>
      )}
    </section>
  );
}
