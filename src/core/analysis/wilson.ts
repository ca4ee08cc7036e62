/**
 * 95% Wilson score interval for a binomial proportion: unlike the normal approximation it stays
 * inside [0, 1] and is sensible for rates near 0 or 1 and for few trials. No trials: [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, z = 1.959963984540054): [number, number] {
  if (trials === 0) return [0, 1];
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / (1 + z2n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A success rate as the lab reports it: the rate, its 95% Wilson interval, and the counts behind it. */
export function successRate(successes: number, trials: number): { rate: number; ci95: [number, number]; successes: number; trials: number } {
  return { rate: trials === 0 ? 0 : successes / trials, ci95: wilsonInterval(successes, trials), successes, trials };
}
