// Number formatting shared by the views' labels. A minus sign (−), not a hyphen, so signed columns
// line up and read as maths.

const DASH = '—';

function sign(value: number, always: boolean): string {
  if (value < 0) return '−';
  return always && value > 0 ? '+' : '';
}

/** value with `digits` decimals; "—" for a missing or non-finite value. */
export function formatFixed(value: number | null | undefined, digits = 3, signed = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  const rounded = Number(Math.abs(value).toFixed(digits));
  return `${rounded === 0 ? '' : sign(value, signed)}${Math.abs(value).toFixed(digits)}`;
}

/** A fraction as a percentage: 0.1234 → "12.3%". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  const text = formatFixed(value === null || value === undefined ? value : 100 * value, digits);
  return text === DASH ? text : `${text}%`;
}

/** A difference of two fractions in percentage points: 0.023 → "+2.3 pp". */
export function formatPointsDiff(value: number | null | undefined, digits = 1): string {
  const text = formatFixed(value === null || value === undefined ? value : 100 * value, digits, true);
  return text === DASH ? text : `${text} pp`;
}

/** Compact general number for tooltips and tick-like labels: 3 significant digits. */
export function formatShort(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? DASH : value > 0 ? '∞' : '−∞';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) return value.toExponential(2).replaceAll('-', '−');
  return Number(value.toPrecision(3)).toString().replaceAll('-', '−');
}
