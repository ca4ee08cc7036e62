// One-to-one matching of two sets of directions by |cos| (e.g. the decoder directions of two SAEs
// trained with different settings): the optimal assignment and, for the features it leaves
// unmatched when the sets differ in size, each feature's best |cos| counterpart.

import { linearSumAssignment } from './assignment';
import { absCosineMatrix } from './cosine';

export interface DirectionMatching {
  /** Optimal assignment on |cos|: A's row i ↔ B's row rowToCol[i] (−1: left unmatched, A is the larger set). */
  rowToCol: Int32Array;
  /** The inverse: B's row j ↔ A's row colToRow[j] (−1: left unmatched). */
  colToRow: Int32Array;
  /** [nA]: |cos| of A's row i with its assigned partner (0 when unmatched). */
  rowMatched: Float32Array;
  /** [nB]: |cos| of B's row j with its assigned partner (0 when unmatched). */
  colMatched: Float32Array;
  /** [nA]: B's row with the largest |cos| with A's row i, and that |cos|. */
  rowBest: Int32Array;
  rowBestCosine: Float32Array;
  /** [nB]: A's row with the largest |cos| with B's row j, and that |cos|. */
  colBest: Int32Array;
  colBestCosine: Float32Array;
}

/** Matches the rows of `a` ([nA, dim], row-major) with those of `b` ([nB, dim]); one [nA, nB] matrix is alive at a time. */
export async function matchDirections(a: Float32Array, nA: number, b: Float32Array, nB: number, dim: number): Promise<DirectionMatching> {
  const s = await absCosineMatrix(a, nA, b, nB, dim);
  const { rowToCol, colToRow } = linearSumAssignment(s.values, nA, nB, { maximize: true });
  const rowMatched = new Float32Array(nA);
  const colMatched = new Float32Array(nB);
  const rowBest = new Int32Array(nA).fill(-1);
  const rowBestCosine = new Float32Array(nA);
  const colBest = new Int32Array(nB).fill(-1);
  const colBestCosine = new Float32Array(nB);
  for (let i = 0; i < nA; i++) {
    for (let j = 0; j < nB; j++) {
      const c = s.values[i * nB + j];
      if (rowBest[i] < 0 || c > rowBestCosine[i]) [rowBest[i], rowBestCosine[i]] = [j, c];
      if (colBest[j] < 0 || c > colBestCosine[j]) [colBest[j], colBestCosine[j]] = [i, c];
    }
    if (rowToCol[i] >= 0) rowMatched[i] = colMatched[rowToCol[i]] = s.values[i * nB + rowToCol[i]];
  }
  return { rowToCol, colToRow, rowMatched, colMatched, rowBest, rowBestCosine, colBest, colBestCosine };
}
