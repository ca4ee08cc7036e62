/** Small readers every SAE layout needs: a config file's JSON object, and a row-major matrix turned around. */

/** The JSON object in `text`, or an error naming `fileName` and what is wrong. */
export function jsonObject(text: string, fileName: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${fileName}: is not a JSON object`);
  return json as Record<string, unknown>;
}

/** [rows, cols] row-major → [cols, rows] row-major: nn.Linear's [out, in] weights into the lab's [in, out]. */
export function transpose(matrix: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(matrix.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = matrix[r * cols + c];
  return out;
}
