/**
 * An SAE's parameters as plain typed arrays, in SAELens layout (row-major):
 * - W_enc [d_in, d_sae]: column j is feature j's encoder vector;
 * - b_enc [d_sae];
 * - W_dec [d_sae, d_in]: row j is feature j's decoder direction;
 * - b_dec [d_in].
 * This is what leaves the core (snapshots, files, the UI): never live tensors.
 */
export interface SaeWeights {
  d_in: number;
  d_sae: number;
  W_enc: Float32Array;
  b_enc: Float32Array;
  W_dec: Float32Array;
  b_dec: Float32Array;
}

export function checkWeightShapes(w: SaeWeights): void {
  const expect = (name: string, got: number, want: number) => {
    if (got !== want) throw new Error(`SAE weight ${name} has ${got} values, expected ${want} for d_in=${w.d_in}, d_sae=${w.d_sae}`);
  };
  expect('W_enc', w.W_enc.length, w.d_in * w.d_sae);
  expect('b_enc', w.b_enc.length, w.d_sae);
  expect('W_dec', w.W_dec.length, w.d_sae * w.d_in);
  expect('b_dec', w.b_dec.length, w.d_in);
}
