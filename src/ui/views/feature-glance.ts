// What a snapshot alone says about one feature (no worker call): its decoder direction, how often it
// fired recently, its stability across seeds; and the |cos| of two features' decoder directions.
import type { LabSnapshot } from '../../runtime/protocol/lab-api';

export interface FeatureGlance {
  seed: number;
  feature: number;
  /** [d_in]: the feature's decoder direction (row `feature` of W_dec). */
  decoder: Float32Array;
  /** Fraction of recent training inputs on which it fired. */
  frequency: number;
  /** Mean matched decoder |cos| with the other seeds (0 with one seed). */
  stability: number;
}

/** null where the snapshot has no such seed or feature. */
export function featureGlance(snapshot: LabSnapshot, seed: number, feature: number): FeatureGlance | null {
  const index = snapshot.seeds.indexOf(seed);
  if (index < 0 || !Number.isInteger(feature) || feature < 0 || feature >= snapshot.d_sae) return null;
  const { d_in } = snapshot;
  return {
    seed,
    feature,
    decoder: snapshot.decoders[index].subarray(feature * d_in, (feature + 1) * d_in),
    frequency: snapshot.firingFrequency[index][feature],
    stability: snapshot.stability[index][feature],
  };
}

/** |cos| of two vectors; 0 when either is zero. */
export function absCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < a.length; k++) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  return aa === 0 || bb === 0 ? 0 : Math.min(1, Math.abs(ab) / Math.sqrt(aa * bb));
}
