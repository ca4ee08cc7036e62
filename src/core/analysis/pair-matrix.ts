/**
 * The decoder |cos| matrix of two SAEs laid out for a heatmap: rows and columns permuted so that
 * the optimal one-to-one matching (the assignment the paper's metrics use) is the diagonal, best
 * matched pairs first. A stable pair of SAEs shows a bright diagonal fading towards the end.
 *
 * At 16,384 features the matrix is 1 GiB: it is matched by the fastest exact solver (the sparse one
 * from 1024 features on; the dense one took about 100 s there) and reordered where it lies, so a
 * pair never holds a second one.
 */
import { decoderCosine, optimalMatching } from '../align';
import type { SaeWeights } from '../sae/weights';
import { permuteSquareInPlace } from './permute-square';

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

/** `out`, when given, is an n·n buffer to build the matrix in (one nothing else uses any more). */
export async function orderedPairMatrix(a: SaeWeights, b: SaeWeights, out?: Float32Array): Promise<OrderedPairMatrix> {
  if (a.d_sae !== b.d_sae) throw new Error(`a square pair matrix needs equal widths, got ${a.d_sae} and ${b.d_sae}`);
  const n = a.d_sae;
  const similarity = await decoderCosine(a, b, { out });
  const { rowToCol } = optimalMatching(similarity);
  // Read before the matrix is reordered under it.
  const matchedOf = (i: number) => similarity.values[i * n + rowToCol[i]];
  const rowOrder = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => matchedOf(j) - matchedOf(i) || i - j);
  const colOrder = Int32Array.from(rowOrder, (i) => rowToCol[i]);
  const matched = Float32Array.from(rowOrder, matchedOf);
  permuteSquareInPlace(similarity.values, n, rowOrder, colOrder);
  return { n, values: similarity.values, rowOrder, colOrder, matched };
}
