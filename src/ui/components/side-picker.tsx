import { useShallow } from 'zustand/react/shallow';
import { SIDE_COLORS } from '../labels';
import { labStore, useLab } from '../page';
import { useConfigurationSwitch } from './use-configuration-switch';
import { resultLabels } from '../selectors';
import type { Side } from '../store/experiment';

/**
 * Which configuration, and which of its seeds, the feature views show. Switching configuration with
 * a feature open goes to its matched partner in the other configuration.
 */
export function SidePicker() {
  const { side, seed, compare, seeds, labelA, labelB } = useLab(
    useShallow((s) => {
      const [labelA, labelB] = resultLabels(s);
      const { selection, runtime } = s;
      return {
        side: selection.side,
        seed: selection.seed,
        compare: s.experiment.compare,
        seeds: (runtime[selection.side].snapshot?.seeds ?? []).join(' '),
        labelA,
        labelB,
      };
    }),
  );
  const select = labStore.getState().select;
  const { switching: matching, problem, switchTo } = useConfigurationSwitch();
  return (
    <div className="side-picker">
      {compare && (
        <div role="group" aria-label="Configuration shown" className="segmented">
          {[labelA, labelB].map((label, i) => (
            <button
              key={i}
              type="button"
              data-testid={`show-side-${'AB'[i]}`}
              aria-pressed={side === i}
              style={side === i ? { borderColor: SIDE_COLORS[i], color: SIDE_COLORS[i] } : undefined}
              disabled={matching}
              onClick={() => void switchTo(i as Side)}
            >
              {label}
            </button>
          ))}
        </div>
      )}
      {matching && (
        <span className="muted" data-testid="cross-matching">
          finding the matched partner…
        </span>
      )}
      {problem && (
        <span className="muted" data-testid="cross-problem">
          No partner: {problem}.
        </span>
      )}
      {seeds && (
        <div role="group" aria-label="Seed shown" className="segmented">
          {seeds.split(' ').map(Number).map((s) => (
            <button key={s} type="button" data-testid={`show-seed-${s}`} aria-pressed={seed === s} onClick={() => select({ seed: s })}>
              seed {s}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
