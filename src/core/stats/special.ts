/** Special functions for the significance tests, in float64. */

const SQRT_PI = Math.sqrt(Math.PI);

/**
 * The complementary error function erfc(x) = (2/√π) ∫ₓ^∞ e^(−t²) dt, to near float64 precision. It
 * is computed directly (not as 1 − erf) in the tail, where small p-values live and 1 − erf would lose
 * every digit.
 * - |x| < 2: erf by the series (2/√π) e^(−x²) Σₙ x (2x²)ⁿ / (2n+1)!!, whose terms are all positive (no
 *   cancellation);
 * - x ≥ 2: the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))) (Abramowitz
 *   & Stegun 7.1.14), evaluated from the back;
 * - x < 0: erfc(x) = 2 − erfc(−x).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  let tail = x;
  for (let n = 120; n >= 1; n--) tail = x + n / 2 / tail;
  return Math.exp(-x * x) / SQRT_PI / tail;
}

function erfSeries(x: number): number {
  const twoX2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 0; term > sum * 1e-17; n++) {
    term *= twoX2 / (2 * n + 3);
    sum += term;
  }
  return ((2 / SQRT_PI) * Math.exp(-x * x)) * sum;
}

/** ln(k!) for k = 0..n, by summing logarithms (exact enough for the table sizes of rate comparisons). */
export function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let k = 2; k <= n; k++) out[k] = out[k - 1] + Math.log(k);
  return out;
}
