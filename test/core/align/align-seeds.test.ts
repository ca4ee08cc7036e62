import { describe, expect, it } from 'vitest';
import { alignSeeds } from '../../../src/core/align/align-seeds';
import { linearSumAssignment } from '../../../src/core/align/assignment';
import { decoderCosine, LOCAL_COSINE, type CosineEngine } from '../../../src/core/align/cosine';
import { combine, orthonormalDirections, randomSae, saeFromFeatures, seededRandom, shuffled } from './helpers';

describe('alignSeeds on three constructed seeds', () => {
  // Seed 0's feature f is direction q[f]. Each row says what seeds 1 and 2 hold for it:
  // 'same' = q[f] (any scale/sign), 'fresh' = a direction orthogonal to everything else,
  // 'tiltUp'/'tiltDown' = 0.75 q[f] ± 0.66 q[extra]: |cos| 0.75 with seed 0's feature in both
  // seeds, but only ≈ 0.13 between seeds 1 and 2.
  type Role = 'same' | 'fresh' | 'tiltUp' | 'tiltDown';
  const plan: Array<[Role, Role]> = [
    ['same', 'same'], // 0: always, shared in all three pairs
    ['same', 'same'], // 1: always, shared in all three pairs
    ['same', 'fresh'], // 2: sometimes
    ['fresh', 'same'], // 3: sometimes
    ['fresh', 'fresh'], // 4: never
    ['tiltUp', 'tiltDown'], // 5: always with seed 0, but its partners are not shared with each other
  ];
  const expected = { always: 3, sometimes: 2, never: 1, sharedInAllPairs: 2 };
  const dSae = plan.length;
  const dIn = 32;

  function build(seed: number) {
    const random = seededRandom(seed);
    const q = orthonormalDirections(dIn, dIn, random);
    const sign = () => (random() < 0.5 ? -1 : 1) * (0.5 + random());
    let nextFresh = dSae;
    const direction = (role: Role, f: number) => {
      const extra = q[dIn - 1];
      if (role === 'same') return combine([[sign(), q[f]]]);
      if (role === 'fresh') return combine([[sign(), q[nextFresh++]]]);
      return combine([
        [0.75, q[f]],
        [role === 'tiltUp' ? 0.66 : -0.66, extra],
      ]);
    };
    const seed0 = saeFromFeatures(
      plan.map((_, f) => combine([[sign(), q[f]]])),
      plan.map((_, f) => combine([[sign(), q[f]]])),
    );
    const permutations = [shuffled(dSae, random), shuffled(dSae, random)];
    const others = permutations.map((pi, s) => {
      const decoder = new Array<Float64Array>(dSae);
      const encoder = new Array<Float64Array>(dSae);
      plan.forEach((roles, f) => {
        decoder[pi[f]] = direction(roles[s], f);
        encoder[pi[f]] = direction(roles[s], f);
      });
      return saeFromFeatures(decoder, encoder);
    });
    return { weights: [seed0, ...others], permutations };
  }

  it('counts always / sometimes / never and shared-in-all-pairs as constructed', async () => {
    const { weights } = build(31);
    const report = await alignSeeds(weights);
    const across = report.summary.acrossSeeds;
    expect(across).toMatchObject({ referenceSeed: 0, features: dSae, ...expected });
    expect(across.sharedWithAllFrac).toBeCloseTo(expected.always / dSae, 9);
    expect(across.sharedInAllPairsFrac).toBeCloseTo(expected.sharedInAllPairs / dSae, 9);
  });

  it('reports each pair, with shared counts that follow the plan', async () => {
    const { weights } = build(32);
    const report = await alignSeeds(weights, { histogramBins: 10 });
    const sharedIn = (s: number) => plan.filter((roles) => roles[s] !== 'fresh').length;
    // Between seeds 1 and 2 only features that are 'same' in both survive (the tilts diverge).
    const sharedBetweenOthers = plan.filter(([r1, r2]) => r1 === 'same' && r2 === 'same').length;
    expect(report.summary.pairs.map((p) => [p.seedA, p.seedB, p.sharedCount])).toEqual([
      [0, 1, sharedIn(0)],
      [0, 2, sharedIn(1)],
      [1, 2, sharedBetweenOthers],
    ]);
    for (const p of report.summary.pairs) {
      expect(p.matchedHistogram).toHaveLength(10);
      expect(p.matchedHistogram.reduce((x, y) => x + y, 0)).toBe(dSae);
      expect(p.sharedFrac).toBeCloseTo(p.sharedCount / dSae, 9);
    }
    const meanShared = report.summary.pairs.reduce((x, p) => x + p.sharedFrac, 0) / 3;
    expect(report.summary.meanOverPairs.sharedFrac).toBeCloseTo(meanShared, 9);
  });

  it('per-feature stability agrees with the planted partners', async () => {
    const { weights, permutations } = build(33);
    const { features } = await alignSeeds(weights);
    const seed0 = features[0];
    expect(seed0.otherSeeds).toEqual([1, 2]);
    plan.forEach((roles, f) => {
      roles.forEach((role, k) => {
        const expectedCosine = role === 'same' ? 1 : role === 'fresh' ? 0 : 0.75 / Math.hypot(0.75, 0.66);
        expect(seed0.matchedCosine[k][f]).toBeCloseTo(expectedCosine, 5);
        if (role !== 'fresh') expect(seed0.partner[k][f]).toBe(permutations[k][f]);
      });
      expect(seed0.sharedCount[f]).toBe(roles.filter((r) => r !== 'fresh').length);
    });
  });

  it('summary survives a JSON round trip unchanged', async () => {
    const { weights } = build(34);
    const { summary } = await alignSeeds(weights);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});

describe('alignSeeds: matched-|cos| histograms of the decoder and the encoder', () => {
  // Two seeds with the same decoder directions (decoder |cos| 1 for every partner) but encoders
  // tilted by a planted amount: B's encoder for A's feature f is c_f·q[f] + √(1−c_f²)·q[extra_f],
  // with every extra direction orthogonal to everything else. The encoder's optimal matching then
  // pairs f with its own partner at |cos| c_f exactly, so its histogram is known without the code.
  const encoderCosines = [0.97, 0.91, 0.62, 0.55, 0.34, 0.08];
  const dSae = encoderCosines.length;
  const dIn = 2 * dSae + 2;

  function build(seed: number) {
    const random = seededRandom(seed);
    const q = orthonormalDirections(dIn, dIn, random);
    const a = saeFromFeatures(q.slice(0, dSae), q.slice(0, dSae));
    const pi = shuffled(dSae, random);
    const decoder = new Array<Float64Array>(dSae);
    const encoder = new Array<Float64Array>(dSae);
    encoderCosines.forEach((c, f) => {
      decoder[pi[f]] = combine([[-1.3, q[f]]]);
      encoder[pi[f]] = combine([
        [2 * c, q[f]],
        [2 * Math.sqrt(1 - c * c), q[dSae + f]],
      ]);
    });
    return [a, saeFromFeatures(decoder, encoder)];
  }

  it('bins the encoder matching’s |cos| as planted, and the decoder’s all at 1', async () => {
    const { summary } = await alignSeeds(build(51), { histogramBins: 10 });
    const [pair] = summary.pairs;
    const expected = new Array<number>(10).fill(0);
    for (const c of encoderCosines) expected[Math.floor(c * 10)]++;
    expect(pair.encoderMatchedHistogram).toEqual(expected);
    expect(pair.matchedHistogram).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, dSae]);
  });

  it('counts matched rows only when the widths differ', async () => {
    const random = seededRandom(52);
    const { summary } = await alignSeeds([randomSae(8, 7, random), randomSae(8, 4, random)], { histogramBins: 5 });
    const total = (h: number[]) => h.reduce((x, y) => x + y, 0);
    expect(total(summary.pairs[0].encoderMatchedHistogram)).toBe(4);
    expect(total(summary.pairs[0].matchedHistogram)).toBe(4);
  });
});

describe('alignSeeds on random SAEs', () => {
  it('per-feature stability is the decoder assignment read from both sides, and its summaries match', async () => {
    const random = seededRandom(41);
    const widths = [12, 9, 12];
    const weights = widths.map((w) => randomSae(10, w, random));
    const progress: number[] = [];
    const { summary, features } = await alignSeeds(weights, { onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([1, 2, 3]);
    expect(summary.dSae).toEqual(widths);

    for (let s = 0; s < weights.length; s++) {
      const stability = features[s];
      expect(stability.otherSeeds).toEqual([0, 1, 2].filter((t) => t !== s));
      stability.otherSeeds.forEach((t, k) => {
        const reverse = features[t].otherSeeds.indexOf(s);
        for (let i = 0; i < widths[s]; i++) {
          const j = stability.partner[k][i];
          if (j < 0) {
            expect(stability.matchedCosine[k][i]).toBe(0);
            continue;
          }
          // Partners are mutual and agree on the cosine; shared implies partnered.
          expect(features[t].partner[reverse][j]).toBe(i);
          expect(features[t].matchedCosine[reverse][j]).toBe(stability.matchedCosine[k][i]);
          if (stability.sharedPartner[k][i] >= 0) expect(stability.sharedPartner[k][i]).toBe(j);
        }
        const matchedCount = stability.partner[k].filter((j) => j >= 0).length;
        expect(matchedCount).toBe(Math.min(widths[s], widths[t]));
      });
      for (let i = 0; i < widths[s]; i++) {
        const cosines = stability.matchedCosine.map((c) => c[i]);
        expect(stability.meanMatched[i]).toBeCloseTo(cosines.reduce((x, y) => x + y, 0) / cosines.length, 6);
        expect(stability.minMatched[i]).toBe(Math.min(...cosines));
      }
    }
  });

  it('matched cosines are the optimum of an independent assignment on the decoder similarity', async () => {
    const random = seededRandom(42);
    const weights = [randomSae(16, 20, random), randomSae(16, 14, random)];
    const { summary, features } = await alignSeeds(weights);
    const s = await decoderCosine(weights[0], weights[1]);
    const independent = linearSumAssignment(Float64Array.from(s.values), s.rows, s.cols, { maximize: true });
    let optimum = 0;
    independent.rowToCol.forEach((j, i) => j >= 0 && (optimum += s.values[i * s.cols + j]));
    const total = features[0].matchedCosine[0].reduce((x, y) => x + y, 0);
    expect(total).toBeCloseTo(optimum, 4);
    expect(summary.pairs[0].meanMatched).toBeCloseTo(optimum / 14, 5);
    features[0].partner[0].forEach((j, i) => {
      if (j >= 0) expect(features[0].matchedCosine[0][i]).toBe(s.values[i * s.cols + j]);
    });
  });

  it('builds every pair in one matrix buffer from its engine (a new one only when the widths change), with the same results', async () => {
    const random = seededRandom(43);
    const counting = (lengths: number[]): CosineEngine => ({ ...LOCAL_COSINE, newMatrix: (length) => (lengths.push(length), new Float32Array(length)) });
    const equal = [0, 1, 2, 3].map(() => randomSae(10, 12, random));
    const lengths: number[] = [];
    const shared = await alignSeeds(equal, { cosine: counting(lengths) });
    expect(lengths).toEqual([144]);
    expect(shared.summary).toEqual((await alignSeeds(equal)).summary);
    // Pairs in order (0,1) (0,2) (1,2): 12·9, 12·12, 9·12.
    const unequal = [12, 9, 12].map((w) => randomSae(10, w, random));
    const unequalLengths: number[] = [];
    await alignSeeds(unequal, { cosine: counting(unequalLengths) });
    expect(unequalLengths).toEqual([108, 144, 108]);
  });

  it('ends between two pairs when its signal is aborted (an import\'s Cancel), with the signal\'s reason', async () => {
    const random = seededRandom(44);
    const weights = [0, 1, 2].map(() => randomSae(10, 12, random));
    const controller = new AbortController();
    const progress: number[] = [];
    const onProgress = (done: number) => {
      progress.push(done);
      controller.abort(new Error('import cancelled'));
    };
    await expect(alignSeeds(weights, { signal: controller.signal, onProgress })).rejects.toThrow('import cancelled');
    expect(progress).toEqual([1]);
  });

  it('lets an abort that arrives as a task (a Cancel message to a worker) end it between pairs', async () => {
    const random = seededRandom(45);
    const weights = [0, 1, 2, 3].map(() => randomSae(32, 64, random));
    const controller = new AbortController();
    const progress: number[] = [];
    const aligning = alignSeeds(weights, { signal: controller.signal, onProgress: (done) => progress.push(done) });
    // A timer's task, as a worker's message is: it runs only if the pairs' loop yields to tasks.
    setTimeout(() => controller.abort(new Error('import cancelled')), 0);
    await expect(aligning).rejects.toThrow('import cancelled');
    expect(progress.length).toBeLessThan(6);
  });

  it('validates its inputs', async () => {
    const random = seededRandom(43);
    await expect(alignSeeds([randomSae(4, 3, random)])).rejects.toThrow(/at least 2/);
    await expect(alignSeeds([randomSae(4, 3, random), randomSae(5, 3, random)])).rejects.toThrow(/d_in/);
    await expect(alignSeeds([randomSae(4, 3, random), randomSae(4, 3, random)], { referenceSeed: 2 })).rejects.toThrow(/reference/);
  });
});
