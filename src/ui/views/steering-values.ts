// Reading the judge classifier's output for the steering strip.

/** The most probable class and its probability (the first on ties); class −1 for an empty vector. */
export function topClass(probabilities: ArrayLike<number>): { label: number; probability: number } {
  let label = -1;
  let probability = -Infinity;
  for (let k = 0; k < probabilities.length; k++) {
    if (probabilities[k] > probability) {
      label = k;
      probability = probabilities[k];
    }
  }
  return { label, probability: label < 0 ? NaN : probability };
}
