import { describe, expect, it } from 'vitest';
import { decoderNorms, decoderRow, encoderColumn, exportMnistSae, MNIST_HOOK_NAME } from '../../../src/core/analysis';
import { readSaeLens } from '../../../src/core/formats/saelens';
import { mnistPaperConfig } from '../../../src/core/presets';
import { randomSae, seededRandom } from '../align/helpers';

describe('weights views', () => {
  const w = randomSae(5, 4, seededRandom(8));

  it('reads feature j as row j of W_dec and column j of W_enc, as copies', () => {
    for (let j = 0; j < 4; j++) {
      const row = decoderRow(w, j);
      const column = encoderColumn(w, j);
      for (let i = 0; i < 5; i++) {
        expect(row[i]).toBe(w.W_dec[j * 5 + i]);
        expect(column[i]).toBe(w.W_enc[i * 4 + j]);
      }
      expect(row.buffer).not.toBe(w.W_dec.buffer);
      expect(decoderNorms(w)[j]).toBeCloseTo(Math.hypot(...row), 5);
    }
  });

  it('exports in SAELens layout that reads back to the same weights, with the seed in the settings', () => {
    const config = mnistPaperConfig({ d_in: 5, d_sae: 4, seed: 2 });
    const files = exportMnistSae(w, config);
    const loaded = readSaeLens(files);
    expect(loaded.weights.W_enc).toEqual(w.W_enc);
    expect(loaded.weights.W_dec).toEqual(w.W_dec);
    expect(loaded.hookName).toBe(MNIST_HOOK_NAME);
    expect(loaded.architecture).toEqual({ kind: 'relu' });
    expect((loaded.training as { seed: number }).seed).toBe(2);
  });
});
