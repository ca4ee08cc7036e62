/**
 * The decoder |cos| matrix of two SAEs laid out for a heatmap: rows and columns permuted so that
 * the optimal one-to-one matching (the assignment the paper's metrics use) is the diagonal, best
 * matched pairs first. A stable pair of SAEs shows a bright diagonal fading towards the end.
 */
import { decoderCosine, linearSumAssignment } from '../align';
import type { SaeWeights } from '../sae/weights';

export interface OrderedPairMatrix {
  n: number;
  /** [n, n] row-major: row r is A's feature rowOrder[r], column c is B's feature colOrder[c]. */
  values: Float32Array;
  /** A's features by decreasing matched |cos| (ties by index). */
  rowOrder: Int32Array;
  /** colOrder[r]: rowOrder[r]'s partner in B. */
  colOrder: Int32Array;
  /** The diagonal: matched |cos| of each pair, in rowOrder. */
  matched: Float32Array;
}

export async function orderedPairMatrix(a: SaeWeights, b: SaeWeights): Promise<OrderedPairMatrix> {
  if (a.d_sae !== b.d_sae) throw new Error(`a square pair matrix needs equal widths, got ${a.d_sae} and ${b.d_sae}`);
  const n = a.d_sae;
  const similarity = await decoderCosine(a, b);
  const { rowToCol } = linearSumAssignment(similarity.values, n, n, { maximize: true });
  const matchedOf = (i: number) => similarity.values[i * n + rowToCol[i]];
  const rowOrder = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => matchedOf(j) - matchedOf(i) || i - j);
  const colOrder = Int32Array.from(rowOrder, (i) => rowToCol[i]);
  const values = new Float32Array(n * n);
  for (let r = 0; r < n; r++) {
    const source = rowOrder[r] * n;
    for (let c = 0; c < n; c++) values[r * n + c] = similarity.values[source + colOrder[c]];
  }
  return { n, values, rowOrder, colOrder, matched: Float32Array.from(rowOrder, matchedOf) };
}
