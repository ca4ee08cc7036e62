/** How the page names and colours the two configurations, so every view says the same. */
import type { PenaltyConfig, TrainConfig } from '../core/train/config';
import { CONFIG_FIELDS, fieldApplies } from './store/config-fields';
import { SIDE_NAMES, type Side } from './store/experiment';

/** A and B keep their colour in every chart: a calm blue and a warm orange that stay apart for most colour vision. */
export const SIDE_COLORS = ['#3b6fd8', '#e0731a'] as const;

const PENALTY_NAMES: Record<PenaltyConfig['kind'], string> = { none: 'none', l1: 'L1', l2: 'L2²', 'l2-unsquared': 'L2' };

/** "L2 off" or, e.g., "L2 1e-3" (unsquared), "L2² 1e-5" (squared), "L1 1e-3". */
export function penaltySummary(penalty: PenaltyConfig): string {
  if (penalty.kind === 'none' || penalty.coeff === 0) return 'L2 off';
  const on = penalty.on === 'both' ? '' : ` (${penalty.on})`;
  return `${PENALTY_NAMES[penalty.kind]} ${formatCoeff(penalty.coeff)}${on}`;
}

/** 0.001 → "1e-3": how the paper writes coefficients. */
export function formatCoeff(value: number): string {
  if (value === 0) return '0';
  const [mantissa, exponent] = value.toExponential().split('e');
  return Number(exponent) >= -2 && Number(exponent) <= 2 ? String(value) : `${mantissa}e${Number(exponent)}`;
}

/**
 * What sets a side apart, without its letter: "L2 off", "L2 1e-3"; when the penalties agree, the
 * first other field that differs ("width (latents) 32"); "" when nothing does.
 */
export function sideDistinction(side: Side, configs: readonly [TrainConfig, TrainConfig], compare: boolean): string {
  const own = configs[side];
  if (!compare) return penaltySummary(own.penalty);
  const other = configs[side === 0 ? 1 : 0];
  if (penaltySummary(own.penalty) !== penaltySummary(other.penalty)) return penaltySummary(own.penalty);
  const differing = CONFIG_FIELDS.find((f) => fieldApplies(f, own) && f.get(own) !== f.get(other));
  return differing ? `${differing.label} ${differing.get(own)}` : '';
}

/** "A · L2 off", "B · L2 1e-3": the side's name and what sets it apart (see sideDistinction). */
export function sideLabel(side: Side, configs: readonly [TrainConfig, TrainConfig], compare: boolean): string {
  const distinction = sideDistinction(side, configs, compare);
  return distinction ? `${SIDE_NAMES[side]} · ${distinction}` : SIDE_NAMES[side];
}

/**
 * A saved comparison's name: the experiment's title and what it compares, "Teaching demo: L2 off vs
 * L2 1e-3" (one configuration: "Teaching demo: L2 off"). Each side's own label is sideLabel.
 */
export function comparisonName(title: string, configs: readonly [TrainConfig, TrainConfig], compare: boolean): string {
  if (!compare) return `${title}: ${sideDistinction(0, configs, false)}`;
  const [a, b] = [sideDistinction(0, configs, true), sideDistinction(1, configs, true)];
  return a || b ? `${title}: ${a || 'A'} vs ${b || 'B'}` : `${title}: A vs B (same settings)`;
}
