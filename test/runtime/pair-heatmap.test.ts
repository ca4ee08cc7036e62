/**
 * The heatmap as the worker answers it: one block of the pair's ordered matrix pooled to the canvas,
 * with the pair's orders, never the n×n matrix; the matrix of the last pair asked for is kept, so a
 * zoom only pools again.
 */
import { describe, expect, it, vi } from 'vitest';
import { decoderCosine, linearSumAssignment } from '../../src/core/align';
import { maxPoolRange, wholeRange, type ZoomRange } from '../../src/core/analysis';
import type { SaeLensFiles } from '../../src/core/formats/saelens';
import type { TrainConfig } from '../../src/core/train/config';
import type { PairHeatmap, SteeringSuccess } from '../../src/runtime/protocol/lab-api';
import { SeedAnalysis } from '../../src/runtime/worker/seed-analysis';
import { ownedBuffers } from '../../src/runtime/worker/transfer';
import { randomSae, seededRandom } from '../core/align/helpers';

// Counts the ordered matrices built, to see the cache at work.
const built = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/core/analysis', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/core/analysis')>();
  return {
    ...actual,
    orderedPairMatrix: (...args: Parameters<typeof actual.orderedPairMatrix>) => {
      built.count++;
      return actual.orderedPairMatrix(...args);
    },
  };
});

/** The pair-matrix part of an analysis; the rest is MNIST's or the language model's. */
class PairOnly extends SeedAnalysis {
  steeringSuccess(): Promise<SteeringSuccess> {
    throw new Error('not used here');
  }
  exportSaeLens(): SaeLensFiles {
    throw new Error('not used here');
  }
}

const N = 64;
const SEEDS = [3, 5, 9];

function analysis(spareMatrix?: Float32Array): PairOnly {
  const random = seededRandom(42);
  const weights = SEEDS.map(() => randomSae(8, N, random));
  return new PairOnly({ step: 0, config: {} as TrainConfig, seeds: SEEDS, weights, alignment: null, firingFrequency: [], spareMatrix });
}

/** The ordered matrix by brute force: a fresh similarity matrix copied through the reply's orders. */
async function orderedByCopy(lab: PairOnly, reply: PairHeatmap): Promise<Float32Array> {
  const [a, b] = [reply.seedA, reply.seedB].map((seed) => lab.state.weights[SEEDS.indexOf(seed)]);
  const similarity = (await decoderCosine(a, b)).values;
  const out = new Float32Array(N * N);
  for (let r = 0; r < N; r++) for (let c = 0; c < N; c++) out[r * N + c] = similarity[reply.rowOrder[r] * N + reply.colOrder[c]];
  return out;
}

/** Lengths of every array in a reply, however deep. */
function arrayLengths(value: unknown): number[] {
  if (ArrayBuffer.isView(value)) return [(value as unknown as ArrayLike<number>).length];
  if (Array.isArray(value)) return [value.length, ...value.flatMap(arrayLengths)];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(arrayLengths);
  return [];
}

function expectPooledAs(reply: PairHeatmap, ordered: Float32Array, range: ZoomRange, size: number) {
  const expected = maxPoolRange(ordered, N, range, size);
  expect(reply.pooled).toMatchObject({ n: N, range, size: expected.size });
  expect(Array.from(reply.pooled.values)).toEqual(Array.from(expected.values));
  expect(Array.from(reply.pooled.argmax)).toEqual(Array.from(expected.argmax));
}

describe('SeedAnalysis.pairHeatmap', () => {
  it('pools the whole ordered matrix to the size asked for, with orders of an optimal matching and no n×n array', async () => {
    const lab = analysis();
    const reply = await lab.pairHeatmap(3, 9, null, 16);
    expect(reply).toMatchObject({ seedA: 3, seedB: 9, n: N });
    const ordered = await orderedByCopy(lab, reply);
    expectPooledAs(reply, ordered, wholeRange(N), 16);
    expect(reply.pooled.size).toBe(16);

    // The diagonal is the matching, best first, and as good as the dense solver's.
    const similarity = (await decoderCosine(lab.state.weights[0], lab.state.weights[2])).values;
    const dense = linearSumAssignment(similarity, N, N, { maximize: true });
    const denseTotal = dense.rowToCol.reduce((sum, j, i) => sum + similarity[i * N + j], 0);
    expect(reply.matched.reduce((sum, v) => sum + v, 0)).toBeCloseTo(denseTotal, 4);
    reply.matched.forEach((v, r) => {
      expect(v).toBe(ordered[r * N + r]);
      if (r > 0) expect(v).toBeLessThanOrEqual(reply.matched[r - 1]);
    });

    const lengths = arrayLengths(reply);
    expect(lengths).not.toContain(N * N);
    expect(Math.max(...lengths)).toBe(16 * 16);
  });

  it('pools a zoomed block from the kept matrix, building it once per pair and for the last pair only', async () => {
    const lab = analysis();
    const before = built.count;
    const whole = await lab.pairHeatmap(5, 3, null, 16);
    const ordered = await orderedByCopy(lab, whole);
    for (const [range, size] of [
      [{ row0: 8, col0: 20, side: 24 }, 16],
      [{ row0: 60, col0: 0, side: 4 }, 16],
      [wholeRange(N), 7],
    ] as const) {
      const zoomed = await lab.pairHeatmap(5, 3, range, size);
      expectPooledAs(zoomed, ordered, range, size);
      expect(Array.from(zoomed.rowOrder)).toEqual(Array.from(whole.rowOrder));
    }
    expect(built.count - before).toBe(1);
    await lab.pairHeatmap(3, 9, null, 16);
    await lab.pairHeatmap(5, 3, null, 16);
    expect(built.count - before).toBe(3);
  });

  it('keeps its own orders when the reply\'s buffers are transferred away', async () => {
    const lab = analysis();
    const first = await lab.pairHeatmap(3, 5, null, 16);
    const orders = Array.from(first.rowOrder);
    const buffers = ownedBuffers(first);
    // Everything in the reply can travel by transfer: the orders, the diagonal and the pooled pixels.
    expect(buffers).toHaveLength(5);
    structuredClone(first, { transfer: buffers });
    expect(first.rowOrder).toHaveLength(0);
    const again = await lab.pairHeatmap(3, 5, { row0: 0, col0: 0, side: 32 }, 16);
    expect(Array.from(again.rowOrder)).toEqual(orders);
  });

  it('refuses a block outside the matrix, an empty canvas and a seed the run does not have', async () => {
    const lab = analysis();
    await expect(lab.pairHeatmap(3, 5, { row0: 40, col0: 0, side: 32 }, 16)).rejects.toThrow(/not a block of the 64×64 matrix/);
    await expect(lab.pairHeatmap(3, 5, null, 0)).rejects.toThrow(/at least one pixel/);
    await expect(lab.pairHeatmap(3, 4, null, 16)).rejects.toThrow(/seed 4 is not in this run/);
  });

  it("builds its first matrix in the alignment's finished buffer (filled with NaN here, so any cell left unwritten would show), once, and only at the right length", async () => {
    const spare = new Float32Array(N * N).fill(NaN);
    const lab = analysis(spare);
    const reply = await lab.pairHeatmap(3, 9, null, N);
    expect(lab.state.spareMatrix).toBeUndefined();
    expect(spare.some(Number.isNaN)).toBe(false);
    expect(Array.from(spare)).toEqual(Array.from(await orderedByCopy(lab, reply)));
    expectPooledAs(reply, spare, wholeRange(N), N);
    const wrongLength = new Float32Array(N * N - 1);
    const other = analysis(wrongLength);
    await other.pairHeatmap(3, 5, null, 16);
    expect(other.state.spareMatrix).toBe(wrongLength);
  });
});
