// Candidate pairs of the sparse assignment (sparse-assignment.ts): each row's and each column's
// top-K entries, taken in one pass over the dense matrix, and the pairs added later.

import type { DenseMatrix } from './assignment';

/** Candidate pairs per row, each with its cost (sign · entry) cached so searches never touch the matrix. */
export class CandidateGraph {
  cols: Int32Array[];
  costs: Float64Array[];

  constructor(n: number) {
    this.cols = new Array<Int32Array>(n);
    this.costs = new Array<Float64Array>(n);
  }

  edgeCount(): number {
    return this.cols.reduce((sum, c) => sum + c.length, 0);
  }

  /** Appends pairs (row, cols[t]) not already present. */
  addRow(row: number, extra: { cols: Int32Array; costs: Float64Array }): number {
    const have = new Set(this.cols[row]);
    const keep: number[] = [];
    for (let t = 0; t < extra.cols.length; t++) if (!have.has(extra.cols[t])) keep.push(t);
    if (keep.length === 0) return 0;
    const old = this.cols[row].length;
    const cols = new Int32Array(old + keep.length);
    const costs = new Float64Array(old + keep.length);
    cols.set(this.cols[row]);
    costs.set(this.costs[row]);
    keep.forEach((t, q) => {
      cols[old + q] = extra.cols[t];
      costs[old + q] = extra.costs[t];
    });
    this.cols[row] = cols;
    this.costs[row] = costs;
    return keep.length;
  }
}

/**
 * One pass over the matrix keeping each row's and each column's k cheapest entries (bounded sorted
 * inserts: an entry worse than the kth so far costs one comparison per side).
 */
export function topKCandidates(matrix: DenseMatrix, n: number, k: number, sign: number): CandidateGraph {
  const rowCost = new Float64Array(k);
  const rowCol = new Int32Array(k);
  const colCost = new Float64Array(n * k).fill(Infinity);
  const colRow = new Int32Array(n * k).fill(-1);
  const colWorst = new Float64Array(n).fill(Infinity); // k-th cheapest of each column so far
  const rowCosts = new Float64Array(n * k);
  const rowCols = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    rowCost.fill(Infinity);
    let rowWorst = Infinity;
    const offset = i * n;
    for (let j = 0; j < n; j++) {
      const c = sign * matrix[offset + j];
      if (c < rowWorst) rowWorst = insertSorted(rowCost, rowCol, 0, k, c, j);
      if (c < colWorst[j]) colWorst[j] = insertSorted(colCost, colRow, j * k, k, c, i);
    }
    rowCosts.set(rowCost, i * k);
    rowCols.set(rowCol, i * k);
  }
  // Merge: row i's own top-k plus every column whose top-k holds row i, as typed arrays (building
  // them from JS arrays with Float64Array.from(list, fn) took as long as the scan itself).
  const fromStart = new Int32Array(n + 1);
  for (let t = 0; t < n * k; t++) fromStart[colRow[t] + 1]++;
  for (let i = 0; i < n; i++) fromStart[i + 1] += fromStart[i];
  const fromCol = new Int32Array(n * k);
  const fromCost = new Float64Array(n * k);
  const fill = fromStart.slice(0, n);
  for (let t = 0; t < n * k; t++) {
    const q = fill[colRow[t]]++;
    fromCol[q] = Math.floor(t / k);
    fromCost[q] = colCost[t];
  }
  const graph = new CandidateGraph(n);
  const seen = new Uint8Array(n);
  let most = 0; // a row can be in many columns' top-k (a feature many others resemble)
  for (let i = 0; i < n; i++) most = Math.max(most, fromStart[i + 1] - fromStart[i]);
  const cols = new Int32Array(k + most);
  const costs = new Float64Array(k + most);
  for (let i = 0; i < n; i++) {
    let count = 0;
    const take = (j: number, c: number) => {
      if (seen[j]) return;
      seen[j] = 1;
      cols[count] = j;
      costs[count++] = c;
    };
    for (let t = i * k; t < (i + 1) * k; t++) take(rowCols[t], rowCosts[t]);
    for (let q = fromStart[i]; q < fromStart[i + 1]; q++) take(fromCol[q], fromCost[q]);
    graph.cols[i] = cols.slice(0, count);
    graph.costs[i] = costs.slice(0, count);
    for (let t = 0; t < count; t++) seen[cols[t]] = 0;
  }
  return graph;
}

/** Inserts (c, index) into the ascending list at keys[start, start + k); returns the new k-th key. */
function insertSorted(keys: Float64Array, indices: Int32Array, start: number, k: number, c: number, index: number): number {
  let p = start + k - 1;
  while (p > start && keys[p - 1] > c) {
    keys[p] = keys[p - 1];
    indices[p] = indices[p - 1];
    p--;
  }
  keys[p] = c;
  indices[p] = index;
  return keys[start + k - 1];
}

export function denseRow(matrix: DenseMatrix, n: number, row: number, sign: number) {
  const cols = new Int32Array(n);
  const costs = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    cols[j] = j;
    costs[j] = sign * matrix[row * n + j];
  }
  return { cols, costs };
}
