import { describe, expect, it } from 'vitest';
import { foldInputScale, foldInputScaleInPlace, meanRowNorm, normaliseRows } from '../../../src/core/shards/normalise';
import type { SaeWeights } from '../../../src/core/sae/weights';

describe('row scale', () => {
  it('scales rows to mean squared norm d_model, and measures their mean length', () => {
    // Rows of known lengths: (3, 4) is 5 long, (0, 1) is 1, (6, 8) is 10.
    const rows = Float32Array.from([3, 4, 0, 1, 6, 8]);
    expect(meanRowNorm(rows, 2)).toBeCloseTo((5 + 1 + 10) / 3, 6);
    const scale = normaliseRows(rows, 2);
    expect(scale).toBeCloseTo(Math.sqrt(2 / ((25 + 1 + 100) / 3)), 6);
    expect((rows[0] ** 2 + rows[1] ** 2 + rows[2] ** 2 + rows[3] ** 2 + rows[4] ** 2 + rows[5] ** 2) / 3).toBeCloseTo(2, 5);
    expect(meanRowNorm(rows, 2)).toBeCloseTo((scale * 16) / 3, 5);
    expect(() => normaliseRows(new Float32Array(4), 2)).toThrow(/only zero rows/);
  });
});

describe('folding the input scale into an SAE', () => {
  // An SAE that reads scale·x; folded, it reads x and gives the same latents and x̂ / scale.
  const [dIn, dSae, scale] = [3, 2, 4];
  const weights = (): SaeWeights => ({
    d_in: dIn,
    d_sae: dSae,
    W_enc: Float32Array.from([0.5, -1, 2, 0.25, -0.75, 1.5]),
    b_enc: Float32Array.from([0.1, -0.2]),
    W_dec: Float32Array.from([1, 2, -1, 0.5, -0.5, 3]),
    b_dec: Float32Array.from([0.2, -0.4, 0.8]),
  });
  const latents = (w: SaeWeights, x: number[]) =>
    Array.from({ length: dSae }, (_, j) => w.b_enc[j] + x.reduce((sum, xt, t) => sum + w.W_enc[t * dSae + j] * (xt - w.b_dec[t]), 0));
  const decode = (w: SaeWeights, f: number[]) => Array.from({ length: dIn }, (_, t) => w.b_dec[t] + f.reduce((sum, fj, j) => sum + w.W_dec[j * dIn + t] * fj, 0));
  const x = [0.3, -1.2, 0.7];

  it('gives the latents of the scaled input and its reconstruction unscaled; the in-place form rewrites the same arrays', () => {
    const original = weights();
    const folded = foldInputScale(original, scale);
    expect(original.W_enc).toEqual(weights().W_enc);
    const f = latents(original, x.map((v) => v * scale));
    latents(folded, x).forEach((v, j) => expect(v).toBeCloseTo(f[j], 5));
    decode(folded, f).forEach((v, t) => expect(v).toBeCloseTo(decode(original, f)[t] / scale, 5));

    const inPlace = weights();
    const arrays = [inPlace.W_enc, inPlace.W_dec, inPlace.b_dec];
    const result = foldInputScaleInPlace(inPlace, scale);
    expect([result.W_enc, result.W_dec, result.b_dec]).toEqual(arrays);
    expect(result.W_enc).toBe(arrays[0]);
    expect(result).toEqual(folded);
  });
});
