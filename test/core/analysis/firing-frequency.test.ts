import { describe, expect, it } from 'vitest';
import { firingFrequency } from '../../../src/core/analysis/firing-frequency';
import { tensorSource } from '../../../src/core/train/source';
import { gaussian, randomSae, seededRandom } from '../align/helpers';

describe('firingFrequency', () => {
  it('counts, per feature, the first rows on which its ReLU fires, as a float64 loop does, whatever the batch size', async () => {
    const random = seededRandom(61);
    const [dIn, dSae, rows, maxRows] = [6, 40, 90, 77];
    const sae = randomSae(dIn, dSae, random);
    sae.b_enc.forEach((_, j) => (sae.b_enc[j] = gaussian(random)));
    sae.b_dec.forEach((_, t) => (sae.b_dec[t] = gaussian(random)));
    const data = Float32Array.from({ length: rows * dIn }, () => gaussian(random));
    const source = tensorSource(data, dIn);

    const expected = new Float64Array(dSae);
    for (let r = 0; r < maxRows; r++) {
      for (let j = 0; j < dSae; j++) {
        let z = sae.b_enc[j];
        for (let t = 0; t < dIn; t++) z += sae.W_enc[t * dSae + j] * (data[r * dIn + t] - sae.b_dec[t]);
        // No input sits on a feature's threshold closely enough for float32 to disagree.
        expect(Math.abs(z)).toBeGreaterThan(1e-4);
        if (z > 0) expected[j] += 1 / maxRows;
      }
    }
    const relu = { kind: 'relu' as const, l1Coeff: 0 };
    // The default batch for 40 latents is 512 rows (all 77 at once); 7 does not divide 77.
    for (const frequency of [await firingFrequency(sae, relu, source, maxRows), await firingFrequency(sae, relu, source, maxRows, 7)]) {
      expect(Array.from(frequency, (f) => Math.round(f * maxRows))).toEqual(Array.from(expected, (f) => Math.round(f * maxRows)));
    }
    source.dispose();
  });
});
