// Thins a long curve to about as many vertices as the chart has pixels, keeping its look: the
// first and last points and every bucket's extremes survive, so spikes (a loss blow-up, a burst
// of dead features) never vanish the way they would under plain striding.

/**
 * Indices (ascending) of the points of `ys` to draw. Up to maxPoints all are kept; beyond, the
 * first and last, and the minimum and maximum of each of ⌊(maxPoints − 2) / 2⌋ equal runs of the
 * interior points. A non-finite value is a gap in the line; a run holding one keeps its first so
 * the drawn line still breaks there.
 */
export function decimateMinMax(ys: ArrayLike<number>, maxPoints: number): Int32Array {
  const n = ys.length;
  if (n <= Math.max(2, maxPoints)) return Int32Array.from({ length: n }, (_, i) => i);
  const interior = n - 2;
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const kept: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * interior) / buckets);
    const end = 1 + Math.floor(((b + 1) * interior) / buckets);
    let lo = -1;
    let hi = -1;
    let gap = -1;
    for (let i = start; i < end; i++) {
      const y = ys[i];
      if (!Number.isFinite(y)) {
        if (gap < 0) gap = i;
        continue;
      }
      if (lo < 0 || y < ys[lo]) lo = i;
      if (hi < 0 || y > ys[hi]) hi = i;
    }
    const picks = [lo, hi, gap].filter((i) => i >= 0).sort((x, y) => x - y);
    for (let k = 0; k < picks.length; k++) if (k === 0 || picks[k] !== picks[k - 1]) kept.push(picks[k]);
  }
  kept.push(n - 1);
  return Int32Array.from(kept);
}
