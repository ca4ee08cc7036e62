// Optimal one-to-one assignment (linear sum assignment) on a dense matrix.
//
// This is the shortest-augmenting-path method of Jonker & Volgenant in the form SciPy's
// `linear_sum_assignment` uses (Crouse 2016, "On implementing 2D rectangular assignment
// algorithms"): one Dijkstra-like search per row over reduced costs, with dual potentials u, v kept
// feasible so every search sees non-negative edge weights. O(nRows² · nCols) worst case; memory is
// O(nRows + nCols) beyond the input, which is read in place (no negated or transposed copy for the
// common square and wide cases).
//
// The paper aligns features with SciPy's routine, so using the same algorithm keeps our matchings
// comparable with theirs, including on rectangular inputs.

export type DenseMatrix = Float32Array | Float64Array;

export interface Assignment {
  /** rowToCol[i] = column matched to row i, or -1 when row i is left unmatched (more rows than columns). */
  rowToCol: Int32Array;
  /** colToRow[j] = row matched to column j, or -1 when column j is left unmatched. */
  colToRow: Int32Array;
}

export interface AssignmentOptions {
  /** Maximise the total instead of minimising it (e.g. pass a similarity matrix directly). */
  maximize?: boolean;
}

/**
 * Finds the one-to-one matching of rows to columns of `matrix` ([nRows, nCols], row-major) with the
 * smallest total (largest with `maximize`). Every row of the smaller side gets a distinct partner.
 * +Infinity (−Infinity when maximising) marks a forbidden pair; NaN is rejected; an input with no
 * complete matching throws.
 */
export function linearSumAssignment(
  matrix: DenseMatrix,
  nRows: number,
  nCols: number,
  options: AssignmentOptions = {},
): Assignment {
  if (matrix.length !== nRows * nCols) {
    throw new Error(`assignment matrix has ${matrix.length} values, expected ${nRows}×${nCols}`);
  }
  const sign = options.maximize ? -1 : 1;
  checkValues(matrix, sign);

  // The search needs rows ≤ columns; a tall matrix is solved on its transpose.
  if (nRows > nCols) {
    const swapped = solveWide(transpose(matrix, nRows, nCols), nCols, nRows, sign);
    return { rowToCol: swapped.colToRow, colToRow: swapped.rowToCol };
  }
  return solveWide(matrix, nRows, nCols, sign);
}

/** Sum of the matched entries, the quantity the assignment optimises. */
export function assignmentTotal(matrix: DenseMatrix, nCols: number, assignment: Assignment): number {
  let total = 0;
  assignment.rowToCol.forEach((j, i) => {
    if (j >= 0) total += matrix[i * nCols + j];
  });
  return total;
}

function checkValues(matrix: DenseMatrix, sign: number): void {
  for (let k = 0; k < matrix.length; k++) {
    const c = sign * matrix[k];
    if (Number.isNaN(c) || c === -Infinity) {
      throw new Error(`assignment matrix entry ${k} is ${matrix[k]}: only finite values or the forbidden value are allowed`);
    }
  }
}

function transpose(matrix: DenseMatrix, nRows: number, nCols: number): DenseMatrix {
  const out = new (matrix.constructor as { new (n: number): DenseMatrix })(matrix.length);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) out[j * nRows + i] = matrix[i * nCols + j];
  }
  return out;
}

/** Scratch state of the solver, allocated once per call and reused by every row's search. */
interface SolverState {
  cost: DenseMatrix;
  sign: number;
  nCols: number;
  u: Float64Array; // row potentials
  v: Float64Array; // column potentials
  pathCost: Float64Array; // tentative shortest reduced-path cost to each column in this search
  pathRow: Int32Array; // predecessor row of each column on the current shortest-path tree
  rowToCol: Int32Array;
  colToRow: Int32Array;
  rowVisited: Uint8Array;
  colVisited: Uint8Array;
  unvisitedCols: Int32Array; // first `count` entries are the columns not yet settled
  lastMinCost: number; // length of the augmenting path found by the latest search
}

function solveWide(cost: DenseMatrix, nRows: number, nCols: number, sign: number): Assignment {
  const s: SolverState = {
    cost,
    sign,
    nCols,
    u: new Float64Array(nRows),
    v: new Float64Array(nCols),
    pathCost: new Float64Array(nCols),
    pathRow: new Int32Array(nCols).fill(-1),
    rowToCol: new Int32Array(nRows).fill(-1),
    colToRow: new Int32Array(nCols).fill(-1),
    rowVisited: new Uint8Array(nRows),
    colVisited: new Uint8Array(nCols),
    unvisitedCols: new Int32Array(nCols),
    lastMinCost: 0,
  };

  for (let row = 0; row < nRows; row++) {
    const sink = shortestAugmentingPath(s, row);
    if (sink < 0) throw new Error('assignment is infeasible: forbidden entries leave no complete matching');
    updatePotentials(s, row, nRows);
    augment(s, row, sink);
  }
  return { rowToCol: s.rowToCol, colToRow: s.colToRow };
}

/**
 * Dijkstra from `startRow` over reduced costs until it settles a free column; returns that column
 * (the sink) or -1 if every reachable column is forbidden.
 */
function shortestAugmentingPath(s: SolverState, startRow: number): number {
  const { cost, sign, nCols, u, v, pathCost, pathRow, colToRow, rowVisited, colVisited, unvisitedCols } = s;
  rowVisited.fill(0);
  colVisited.fill(0);
  pathCost.fill(Infinity);
  let count = nCols;
  // Reverse order mirrors SciPy, so ties resolve the same way.
  for (let k = 0; k < nCols; k++) unvisitedCols[k] = nCols - k - 1;

  let minCost = 0;
  let row = startRow;
  for (;;) {
    rowVisited[row] = 1;
    const rowOffset = row * nCols;
    const base = minCost - u[row];
    let lowest = Infinity;
    let lowestAt = -1;
    for (let k = 0; k < count; k++) {
      const j = unvisitedCols[k];
      const reduced = base + sign * cost[rowOffset + j] - v[j];
      if (reduced < pathCost[j]) {
        pathRow[j] = row;
        pathCost[j] = reduced;
      }
      const d = pathCost[j];
      // On ties prefer a free column: it ends the search one step earlier.
      if (d < lowest || (d === lowest && colToRow[j] === -1)) {
        lowest = d;
        lowestAt = k;
      }
    }
    if (lowest === Infinity) return -1;
    minCost = lowest;
    const col = unvisitedCols[lowestAt];
    colVisited[col] = 1;
    unvisitedCols[lowestAt] = unvisitedCols[--count];
    if (colToRow[col] === -1) {
      s.lastMinCost = minCost;
      return col;
    }
    row = colToRow[col];
  }
}

/** Keeps the duals feasible and the matched edges tight after a search from `startRow`. */
function updatePotentials(s: SolverState, startRow: number, nRows: number): void {
  const { u, v, pathCost, rowToCol, rowVisited, colVisited, nCols, lastMinCost } = s;
  u[startRow] += lastMinCost;
  for (let i = 0; i < nRows; i++) {
    if (rowVisited[i] && i !== startRow) u[i] += lastMinCost - pathCost[rowToCol[i]];
  }
  for (let j = 0; j < nCols; j++) {
    if (colVisited[j]) v[j] -= lastMinCost - pathCost[j];
  }
}

/** Flips matched/unmatched edges along the path from `sink` back to `startRow`. */
function augment(s: SolverState, startRow: number, sink: number): void {
  const { pathRow, rowToCol, colToRow } = s;
  let col = sink;
  for (;;) {
    const row = pathRow[col];
    colToRow[col] = row;
    const previous = rowToCol[row];
    rowToCol[row] = col;
    if (row === startRow) return;
    col = previous;
  }
}
