/**
 * Reorders the rows and columns of a square matrix where it lies. At 16,384 features the decoder
 * |cos| matrix is 1 GiB; a reordered copy would be a second one, so the only extra memory here is one
 * row and one flag per row.
 */

/**
 * Makes `values` ([n, n] row-major) hold out[r·n + c] = in[rowOrder[r]·n + colOrder[c]].
 * Both orders must be permutations of 0…n−1.
 */
export function permuteSquareInPlace(values: Float32Array, n: number, rowOrder: ArrayLike<number>, colOrder: ArrayLike<number>): void {
  if (values.length !== n * n) throw new Error(`a square permutation needs ${n}×${n} values, got ${values.length}`);
  // A repeated index would send the cycle walk below round forever.
  checkPermutation(rowOrder, n, 'rowOrder');
  checkPermutation(colOrder, n, 'colOrder');
  const spare = new Float32Array(n);
  // Columns: each row gathered through colOrder into the spare row, then copied back.
  for (let r = 0; r < n; r++) {
    const row = values.subarray(r * n, (r + 1) * n);
    for (let c = 0; c < n; c++) spare[c] = row[colOrder[c]];
    row.set(spare);
  }
  // Rows: row r takes row rowOrder[r]. Along a cycle s → rowOrder[s] → … → s each row is overwritten
  // by the next one, and the last takes the first, which was set aside in the spare row.
  const placed = new Uint8Array(n);
  for (let start = 0; start < n; start++) {
    if (placed[start]) continue;
    placed[start] = 1;
    if (rowOrder[start] === start) continue;
    spare.set(values.subarray(start * n, (start + 1) * n));
    let r = start;
    for (let source = rowOrder[r]; source !== start; source = rowOrder[r]) {
      values.copyWithin(r * n, source * n, (source + 1) * n);
      r = source;
      placed[r] = 1;
    }
    values.set(spare, r * n);
  }
}

function checkPermutation(order: ArrayLike<number>, n: number, name: string): void {
  if (order.length !== n) throw new Error(`${name} has ${order.length} entries, expected ${n}`);
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = order[i];
    if (!Number.isInteger(v) || v < 0 || v >= n || seen[v]) throw new Error(`${name} is not a permutation of 0…${n - 1} (entry ${i} is ${v})`);
    seen[v] = 1;
  }
}
