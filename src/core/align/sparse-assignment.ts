// Exact optimal assignment on a dense square matrix, solved on a sparse candidate set and certified
// on the whole matrix.
//
// Why it is exact (LP duality). Minimise Σ c_iσ(i) over permutations σ (c = −S when maximising a
// similarity S). The LP relaxation of the assignment problem has integral optima, and its dual is:
// maximise Σ u_i + Σ v_j subject to c_ij − u_i − v_j ≥ 0 for every (i, j). For any permutation σ
// and any feasible (u, v), Σ c_iσ(i) ≥ Σ u_i + Σ v_j (weak duality). The solver keeps, on the
// candidate edges, dual potentials with c_ij − u_i − v_j ≥ 0 and = 0 on the matched edges (the
// shortest-augmenting-path invariant), so Σ c_iσ(i) = Σ u_i + Σ v_j. If a pass over the WHOLE matrix
// finds no pair with a negative reduced cost, (u, v) is feasible for the full problem and the
// matching's total equals a lower bound on every permutation's total: it is optimal for the dense
// matrix, not just for the candidates. A pair that fails the check becomes a candidate, its row is
// unmatched, and the search runs again from the current duals (a warm start); each round adds at
// least one new pair, so the loop ends. With the check's tolerance `tol` the certificate is
// (u, v − tol)-feasible, so the total is within n·tol (1.6e-8 at n = 16,384) of the optimum.
//
// Why it is fast. The dense Jonker–Volgenant search (assignment.ts) scans a whole row at each step,
// O(n³) overall; here each step reads a handful of candidates (every row's and every column's top-K
// entries) through a binary heap, and the full matrix is read only by the O(n²) candidate pass and
// the certification pass, which are plain scans. The certification scans only rows whose u_i has
// changed since they last passed: a search moves u only on the rows of its tree (all marked), and
// only lowers v_j (its settled columns), so a reduced cost c_ij − u_i − v_j can fall only where u_i
// moved. A row no search
// has touched since the column reduction still has u_i = 0 and c_ij − v_j ≥ c_ij − min_i' c_i'j ≥ 0,
// because each column's cheapest entry is among its top-K candidates.
//
// Rectangular inputs and inputs with infinite (forbidden) entries go to the dense solver unchanged.

import { MinHeap } from './min-heap';
import { CandidateGraph, denseRow, topKCandidates } from './sparse-candidates';
import { linearSumAssignment, type Assignment, type AssignmentOptions, type DenseMatrix } from './assignment';

export interface SparseAssignmentOptions extends AssignmentOptions {
  /** Candidates per row and per column taken from the matrix up front (default 16). */
  k?: number;
  /** Reduced costs above −tol pass the certificate (default 1e-12); the total is within n·tol of the optimum. */
  tol?: number;
  /** At most this many violating pairs per row join the candidates per round (the worst ones; default 4k). */
  maxAddedPerRow?: number;
}

/** What the solve took, for tests and the benchmark. */
export interface SparseAssignmentStats {
  /** Certification passes over the full matrix (1 when the top-K candidates already held the optimum). */
  rounds: number;
  /** Candidate pairs taken from the top-K pass. */
  initialCandidates: number;
  /** Pairs the certification found violating and added. */
  addedByCertificate: number;
  /** Rows whose every entry was added because the candidates left them no augmenting path. */
  denseRows: number;
  /** Rows read by the certification passes (n² reads would be n·rounds; untouched rows are skipped). */
  rowsCertified: number;
  /** Shortest-path searches run (one per augmentation, including re-searches after a round). */
  searches: number;
  /** Σu + Σv of the certified duals in the caller's sign (the optimum's total, up to rounding). */
  dualTotal: number;
  /** False when the input went to the dense solver (rectangular, or infinite entries). */
  sparse: boolean;
  /** Milliseconds in the top-K pass, the searches and the certification passes. */
  ms: { candidates: number; searches: number; certificate: number };
}

export interface SparseAssignment extends Assignment {
  stats: SparseAssignmentStats;
}

const DEFAULT_K = 16;
const DEFAULT_TOL = 1e-12;

/**
 * The optimal one-to-one matching of `matrix` ([nRows, nCols], row-major), like
 * `linearSumAssignment` and with the same total, computed on top-K candidates plus a certificate.
 */
export function sparseLinearSumAssignment(
  matrix: DenseMatrix,
  nRows: number,
  nCols: number,
  options: SparseAssignmentOptions = {},
): SparseAssignment {
  if (matrix.length !== nRows * nCols) {
    throw new Error(`assignment matrix has ${matrix.length} values, expected ${nRows}×${nCols}`);
  }
  const sign = options.maximize ? -1 : 1;
  if (nRows !== nCols || nRows === 0 || !allFinite(matrix)) {
    // The dense solver rejects NaN with its own message and handles forbidden pairs and rectangles.
    const dense = linearSumAssignment(matrix, nRows, nCols, options);
    return { ...dense, stats: { rounds: 0, initialCandidates: 0, addedByCertificate: 0, denseRows: 0, rowsCertified: 0, searches: 0, dualTotal: NaN, sparse: false, ms: { candidates: 0, searches: 0, certificate: 0 } } };
  }
  const n = nRows;
  const k = Math.max(1, Math.min(n, Math.floor(options.k ?? DEFAULT_K)));
  const tol = options.tol ?? DEFAULT_TOL;
  const maxAdded = Math.max(1, options.maxAddedPerRow ?? 4 * k);

  let clock = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - clock;
    clock = now;
    return ms;
  };
  const graph = topKCandidates(matrix, n, k, sign);
  const ms = { candidates: lap(), searches: 0, certificate: 0 };
  const stats: SparseAssignmentStats = { rounds: 0, initialCandidates: graph.edgeCount(), addedByCertificate: 0, denseRows: 0, rowsCertified: 0, searches: 0, dualTotal: 0, sparse: true, ms };
  const s = new SearchState(n);
  columnReduction(s, graph);

  for (;;) {
    for (let row = 0; row < n; row++) {
      if (s.rowToCol[row] !== -1) continue;
      stats.searches++;
      if (!s.augmentFrom(row, graph)) {
        // No augmenting path among the candidates (they admit no perfect matching): the full row
        // reaches every column, free ones included, so the search cannot fail again.
        graph.addRow(row, denseRow(matrix, n, row, sign));
        stats.denseRows++;
        stats.searches++;
        if (!s.augmentFrom(row, graph)) throw new Error('assignment search failed on a dense row');
      }
    }
    stats.rounds++;
    ms.searches += lap();
    const added = certify(matrix, n, sign, tol, maxAdded, s, graph, stats);
    ms.certificate += lap();
    if (added === 0) break;
    stats.addedByCertificate += added;
  }
  let dual = 0;
  for (let i = 0; i < n; i++) dual += s.u[i] + s.v[i];
  stats.dualTotal = sign * dual;
  return { rowToCol: s.rowToCol, colToRow: s.colToRow, stats };
}

function allFinite(matrix: DenseMatrix): boolean {
  for (let k = 0; k < matrix.length; k++) if (!Number.isFinite(matrix[k])) return false;
  return true;
}

/**
 * Jonker–Volgenant's column reduction as a warm start: v_j = the column's cheapest candidate (always
 * a candidate: it is the column's top-1), and the column takes that row if the row is still free.
 * With u = 0 every candidate's reduced cost c_ij − v_j is ≥ 0 and the matched ones are 0.
 */
function columnReduction(s: SearchState, graph: CandidateGraph): void {
  s.v.fill(Infinity);
  const best = new Int32Array(s.n).fill(-1);
  for (let i = 0; i < s.n; i++) {
    const cols = graph.cols[i];
    const costs = graph.costs[i];
    for (let t = 0; t < cols.length; t++) {
      if (costs[t] < s.v[cols[t]]) {
        s.v[cols[t]] = costs[t];
        best[cols[t]] = i;
      }
    }
  }
  for (let j = s.n - 1; j >= 0; j--) {
    const i = best[j];
    if (s.rowToCol[i] === -1) {
      s.rowToCol[i] = j;
      s.colToRow[j] = i;
    }
  }
}

/** Matching, duals and the Dijkstra scratch reused by every search. */
class SearchState {
  readonly n: number;
  u: Float64Array;
  v: Float64Array;
  rowToCol: Int32Array;
  colToRow: Int32Array;
  /** Rows whose u has moved since their last certification (the only ones that can violate). */
  dirty: Uint8Array;
  private dist: Float64Array;
  private pathRow: Int32Array;
  private settled: Uint8Array;
  private touched: number[] = [];
  private settledCols: number[] = [];
  private visitedRows: number[] = [];
  private heap = new MinHeap();

  constructor(n: number) {
    this.n = n;
    this.u = new Float64Array(n);
    this.v = new Float64Array(n);
    this.rowToCol = new Int32Array(n).fill(-1);
    this.colToRow = new Int32Array(n).fill(-1);
    this.dirty = new Uint8Array(n);
    this.dist = new Float64Array(n).fill(Infinity);
    this.pathRow = new Int32Array(n).fill(-1);
    this.settled = new Uint8Array(n);
  }

  /**
   * Dijkstra over reduced costs from the free row `start` to the nearest free column, then the dual
   * update of assignment.ts (keeps every candidate's reduced cost ≥ 0, matched ones 0) and the flip
   * along the path. Returns false when the candidates reach no free column.
   */
  augmentFrom(start: number, graph: CandidateGraph): boolean {
    const { u, v, dist, pathRow, settled, colToRow, rowToCol, heap } = this;
    this.visitedRows.push(start);
    this.relax(start, 0, graph);
    let sink = -1;
    let total = 0;
    while (heap.size > 0) {
      const d = heap.topKey();
      const j = heap.pop();
      if (settled[j] || d > dist[j]) continue; // a stale entry
      settled[j] = 1;
      this.settledCols.push(j);
      if (colToRow[j] === -1) {
        sink = j;
        total = d;
        break;
      }
      this.visitedRows.push(colToRow[j]);
      this.relax(colToRow[j], d, graph);
    }
    if (sink >= 0) {
      u[start] += total;
      for (const i of this.visitedRows) {
        if (i !== start) u[i] += total - dist[rowToCol[i]];
        this.dirty[i] = 1;
      }
      for (const j of this.settledCols) v[j] -= total - dist[j];
      for (let col = sink; ; ) {
        const row = pathRow[col];
        colToRow[col] = row;
        const previous = rowToCol[row];
        rowToCol[row] = col;
        if (row === start) break;
        col = previous;
      }
    }
    for (const j of this.touched) {
      dist[j] = Infinity;
      settled[j] = 0;
      pathRow[j] = -1;
    }
    this.touched.length = 0;
    this.settledCols.length = 0;
    this.visitedRows.length = 0;
    heap.clear();
    return sink >= 0;
  }

  private relax(row: number, base: number, graph: CandidateGraph): void {
    const { u, v, dist, pathRow, settled } = this;
    const cols = graph.cols[row];
    const costs = graph.costs[row];
    const offset = base - u[row];
    for (let t = 0; t < cols.length; t++) {
      const j = cols[t];
      if (settled[j]) continue;
      const d = offset + costs[t] - v[j];
      if (d < dist[j]) {
        if (dist[j] === Infinity) this.touched.push(j);
        dist[j] = d;
        pathRow[j] = row;
        this.heap.push(d, j);
      }
    }
  }
}

/**
 * The full-matrix check, on the rows that can fail it (see the top of the file): every pair not yet a candidate with c_ij − u_i − v_j < −tol joins the
 * candidates (at most `maxAdded` per row, the most negative), and its row is unmatched so the next
 * round re-searches it. Returns how many pairs were added (0: the matching is certified optimal).
 */
function certify(matrix: DenseMatrix, n: number, sign: number, tol: number, maxAdded: number, s: SearchState, graph: CandidateGraph, stats: SparseAssignmentStats): number {
  const { u, v } = s;
  const isCandidate = new Uint8Array(n);
  let added = 0;
  const badCols: number[] = [];
  const badReduced: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!s.dirty[i]) continue;
    s.dirty[i] = 0;
    stats.rowsCertified++;
    const offset = i * n;
    // c_ij − u_i − v_j < −tol  ⇔  sign·m_ij − v_j < u_i − tol.
    const limit = u[i] - tol;
    for (let j = 0; j < n; j++) {
      if (sign * matrix[offset + j] - v[j] < limit) {
        badCols.push(j);
        badReduced.push(sign * matrix[offset + j] - v[j] - u[i]);
      }
    }
    if (badCols.length === 0) continue;
    const cols = graph.cols[i];
    for (let t = 0; t < cols.length; t++) isCandidate[cols[t]] = 1;
    // Candidates can read a hair negative from rounding in the duals; they are not new information.
    const order = badCols.map((_, q) => q).filter((q) => !isCandidate[badCols[q]]);
    for (let t = 0; t < cols.length; t++) isCandidate[cols[t]] = 0;
    if (order.length > maxAdded) order.sort((p, q) => badReduced[p] - badReduced[q]).length = maxAdded;
    const newCols = Int32Array.from(order, (q) => badCols[q]);
    const got = graph.addRow(i, { cols: newCols, costs: Float64Array.from(newCols, (j) => sign * matrix[offset + j]) });
    badCols.length = 0;
    badReduced.length = 0;
    if (got === 0) continue;
    added += got;
    const j = s.rowToCol[i];
    s.rowToCol[i] = -1;
    s.colToRow[j] = -1;
  }
  return added;
}
