import { describe, expect, it } from 'vitest';
import { loadActivationShards, rowBudget } from '../../../src/core/shards';
import { RowReservoir } from '../../../src/core/shards/reservoir';
import { inputs, plantedShards, plantedStream, WINDOW } from './planted';

describe('the row budget and the reservoir sample', () => {
  it('states the budget as whole float32 rows of d_model', () => {
    expect(rowBudget(512)).toBe(131072); // 256 MiB / 2 kB
    expect(rowBudget(6, 6 * 4 * 50 + 23)).toBe(50);
    expect(rowBudget(6, 23)).toBe(0);
  });

  it('keeps exactly maxRows whole rows, each with its own token, position and context', async () => {
    const stream = plantedStream([40, 40, 40, 40, 40, 40, 3], 6, 5); // 236 rows
    const { files, manifest } = plantedShards(stream, [100, 36, 100], 'F32');
    const maxBytes = 4 * 6 * 50; // room for 50 rows of 6 floats
    for (const seed of [0, 1, 2]) {
      const loaded = await loadActivationShards({ manifest, inputs: inputs(files, 13) }, { maxBytes, seed });
      expect(loaded).toMatchObject({ count: 50, totalTokens: stream.n, sampled: true });
      expect(loaded.rows.length).toBe(50 * 6);
      const sources = new Set<number>();
      for (let slot = 0; slot < 50; slot++) {
        const source = loaded.rows[slot * 6]; // planted: row i starts with i
        expect(Number.isInteger(source) && source >= 0 && source < stream.n).toBe(true);
        sources.add(source);
        // Not torn: the whole row, and its labels, are those of one input row.
        expect(loaded.rows.subarray(slot * 6, slot * 6 + 6)).toEqual(stream.rows.subarray(source * 6, source * 6 + 6));
        expect(loaded.tokens[slot]).toBe(stream.tokens[source]);
        expect(loaded.positions[slot]).toBe(stream.positions[source]);
        expect(loaded.contexts.subarray(slot * WINDOW, (slot + 1) * WINDOW)).toEqual(stream.contexts.subarray(source * WINDOW, (source + 1) * WINDOW));
      }
      expect(sources.size).toBe(50);
    }
  });

  it('is reproducible for a seed and differs between seeds', async () => {
    const stream = plantedStream([60, 60], 4, 2);
    const { files } = plantedShards(stream, [50, 68]);
    const load = (seed: number) => loadActivationShards({ inputs: inputs(files) }, { maxBytes: 4 * 4 * 20, seed });
    expect(await load(3)).toEqual(await load(3));
    expect((await load(3)).rows).not.toEqual((await load(4)).rows);
  });

  it('includes every row with probability maxRows / n (Algorithm R is uniform)', () => {
    const [n, maxRows, seeds] = [60, 15, 4000];
    const kept = new Float64Array(n);
    const row = new Float32Array(1);
    for (let seed = 0; seed < seeds; seed++) {
      const reservoir = new RowReservoir(1, maxRows, seed);
      for (let i = 0; i < n; i++) {
        row[0] = i;
        reservoir.offer(row);
      }
      reservoir.finishFile(0, null, null);
      const { rows, count } = reservoir.contents();
      expect(count).toBe(maxRows);
      for (const source of rows) kept[source]++;
    }
    // Each frequency is Binomial(4000, 0.25) / 4000: standard deviation 0.0068; 0.03 is 4.4 of them.
    const p = maxRows / n;
    for (let i = 0; i < n; i++) expect(Math.abs(kept[i] / seeds - p)).toBeLessThan(0.03);
    // And no drift with the position in the stream: the first and last thirds are kept alike.
    const third = (from: number) => kept.slice(from, from + n / 3).reduce((a, b) => a + b, 0) / (seeds * (n / 3));
    expect(Math.abs(third(0) - third((2 * n) / 3))).toBeLessThan(0.01);
  });

  it('allocates only for the rows it has when the stream is shorter than the budget', async () => {
    const stream = plantedStream([10], 3);
    const { files } = plantedShards(stream, [9]);
    const loaded = await loadActivationShards({ inputs: inputs(files) }, { maxBytes: 2 ** 30 });
    expect(loaded.rows.length).toBe(9 * 3);
    expect(loaded.contexts.length).toBe(9 * WINDOW);
    expect(loaded.sampled).toBe(false);
  });
});
