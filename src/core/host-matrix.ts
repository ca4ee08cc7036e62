/** Row-major matrices in plain arrays, turned around on the host (CPU) rather than on a backend. */

/**
 * [rows, cols] row-major → [cols, rows] row-major: nn.Linear's [out, in] weights into the lab's
 * [in, out], tied encoder weights from the decoder's, an SAE's encoder columns as feature rows. In
 * tiles, so that both the rows read and the columns written stay in cache (at 16,384 × 512 a plain
 * double loop misses on every write).
 */
export function transpose(matrix: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  const tile = 32;
  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = Math.min(r0 + tile, rows);
    for (let c0 = 0; c0 < cols; c0 += tile) {
      const c1 = Math.min(c0 + tile, cols);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = matrix[r * cols + c];
    }
  }
  return out;
}
