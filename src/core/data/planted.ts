import { Rng } from '../rng';
import { normalizeRows } from '../sae/init';

export interface PlantedDictionary {
  /** The ground-truth directions [nFeatures, d], unit rows. */
  dictionary: Float32Array;
  /** Samples [n, d], each a sparse non-negative combination of dictionary rows. */
  data: Float32Array;
  nFeatures: number;
  d: number;
  n: number;
}

/**
 * Synthetic data with a known answer: each sample mixes `activePerSample` random dictionary rows with
 * magnitudes in [0.5, 1.5]. An SAE that works should recover the rows as its decoder directions.
 */
export function plantedDictionary(opts: { nFeatures: number; d: number; n: number; activePerSample: number; seed: number }): PlantedDictionary {
  const { nFeatures, d, n, activePerSample, seed } = opts;
  const rng = new Rng(seed);
  const dictionary = normalizeRows(rng.fillNormal(new Float32Array(nFeatures * d)), nFeatures, d);
  const data = new Float32Array(n * d);
  for (let s = 0; s < n; s++) {
    const chosen = rng.permutation(nFeatures).subarray(0, activePerSample);
    for (const f of chosen) {
      const magnitude = rng.uniform(0.5, 1.5);
      for (let j = 0; j < d; j++) data[s * d + j] += magnitude * dictionary[f * d + j];
    }
  }
  return { dictionary, data, nFeatures, d, n };
}
