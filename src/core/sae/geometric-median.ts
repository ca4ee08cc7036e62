/**
 * Geometric median of the rows of `points` [n, d] by Weiszfeld's algorithm: the point minimising the
 * sum of Euclidean distances. Used to start b_dec at a robust centre of the data, as the paper's MNIST
 * code does. Double precision on the CPU: it runs once, on one batch.
 */
export function geometricMedian(points: Float32Array, n: number, d: number, maxIter = 100, tol = 1e-6): Float32Array {
  if (n === 0) throw new Error('geometric median of an empty batch');
  const median = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) median[j] += points[i * d + j] / n;

  const next = new Float64Array(d);
  for (let iter = 0; iter < maxIter; iter++) {
    next.fill(0);
    let weightSum = 0;
    for (let i = 0; i < n; i++) {
      let dist2 = 0;
      for (let j = 0; j < d; j++) {
        const diff = points[i * d + j] - median[j];
        dist2 += diff * diff;
      }
      // A point sitting on the current estimate would get infinite weight; the floor keeps the
      // iteration defined (the standard practical fix to Weiszfeld).
      const w = 1 / Math.max(Math.sqrt(dist2), 1e-8);
      weightSum += w;
      for (let j = 0; j < d; j++) next[j] += w * points[i * d + j];
    }
    let shift2 = 0;
    let norm2 = 0;
    for (let j = 0; j < d; j++) {
      const v = next[j] / weightSum;
      shift2 += (v - median[j]) ** 2;
      norm2 += v * v;
      next[j] = v;
    }
    median.set(next);
    if (Math.sqrt(shift2) <= tol * Math.max(1, Math.sqrt(norm2))) break;
  }
  return Float32Array.from(median);
}
