/**
 * The matching worker's API: matches two sets of decoder directions (one seed of configuration A
 * against one of B) by the optimal assignment on |cos|, off the page's thread. The lab workers
 * each hold one configuration, so matching across the two happens here, on the snapshots' decoders.
 */
import type { DirectionMatching } from '../../core/align';

export type { DirectionMatching };

export interface MatchWorkerApi {
  /** Rows of `a` ([nA, dim]) against rows of `b` ([nB, dim]); the arrays are copied, not transferred. */
  matchDirections(a: Float32Array, nA: number, b: Float32Array, nB: number, dim: number): Promise<DirectionMatching>;
}
