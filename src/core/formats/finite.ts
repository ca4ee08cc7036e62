export interface NonFinite {
  index: number;
  value: number;
}

/** The first NaN or ±Infinity in `values`, or null when all are finite. */
export function findNonFinite(values: ArrayLike<number>): NonFinite | null {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) return { index: i, value: values[i] };
  }
  return null;
}

/** Throws `<what> has NaN at index i of n` on the first non-finite value. */
export function assertFinite(values: ArrayLike<number>, what: string): void {
  const bad = findNonFinite(values);
  if (bad) throw new Error(`${what} has ${bad.value} at index ${bad.index} of ${values.length}`);
}
