import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEERING_SUCCESS_DEFINITION } from '../../src/core/analysis';
import { readSaeLens } from '../../src/core/formats/saelens';
import { teachingDemoConfig } from '../../src/core/presets';
import { loadMnistNode } from '../../src/io/mnist-node';
import type { LabMetricsUpdate, LabSnapshot, RunSpec } from '../../src/runtime/protocol/lab-api';
import type { LabSession } from '../../src/runtime/worker/lab-session';
import { milestoneEvery } from '../../src/runtime/worker/milestones';
import type { MnistAnalysis } from '../../src/runtime/worker/mnist-analysis';
import { createMnistSession, type MnistSession } from '../../src/runtime/worker/mnist-session';
import { splitRows, useWasmBackend } from '../core/analysis/helpers';

const SEEDS = [0, 1, 2];
const tinyRun = (steps: number, seeds = SEEDS): RunSpec => ({
  config: teachingDemoConfig({ d_sae: 16, batchSize: 50, length: { unit: 'steps', value: steps }, metricsEvery: 4 }),
  seeds,
});

let mnistSession: MnistSession;
let session: LabSession<MnistAnalysis>;
const analysis = () => session.latest();

beforeAll(async () => {
  await useWasmBackend();
  const mnist = await loadMnistNode();
  mnistSession = await createMnistSession(splitRows(mnist.train, 0, 1000), splitRows(mnist.test, 0, 300), {
    classifier: { hidden: 16, epochs: 1, batchSize: 50, lr: 5e-3, seed: 0 },
    // Snapshot at every metrics batch, so even a short run has several.
    pacing: { minIntervalMs: 0, maxShare: 1 },
  });
  session = mnistSession.session;
});

afterAll(() => session?.stop());

async function record(spec: RunSpec) {
  const updates: LabMetricsUpdate[] = [];
  const snapshots: LabSnapshot[] = [];
  const end = await session.start(spec, (u) => updates.push(u), (s) => snapshots.push(s));
  return { end, updates, snapshots };
}

describe('LabSession', () => {
  it('trains every seed to the end, streaming metrics per seed and snapshots with the final weights last', async () => {
    expect(mnistSession.classifierAccuracy).toBeGreaterThan(0.5);
    expect(mnistSession.testSize).toBe(300);
    const { end, updates, snapshots } = await record(tinyRun(24));
    expect(end).toMatchObject({ reason: 'done', step: 24 });
    for (const seed of SEEDS) {
      const steps = updates.flatMap((u) => u.perSeed.find((p) => p.seed === seed)!.metrics.map((m) => m.step));
      expect(steps).toEqual([4, 8, 12, 16, 20, 24]);
    }
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    const last = snapshots.at(-1)!;
    expect(last).toMatchObject({ step: 24, d_in: 784, d_sae: 16, seeds: SEEDS });
    expect(last.alignment?.pairs).toHaveLength(3);
    last.decoders.forEach((decoder, s) => {
      expect(decoder).toHaveLength(16 * 784);
      last.decoderNorms[s].forEach((norm, j) => expect(norm).toBeCloseTo(Math.hypot(...decoder.subarray(j * 784, (j + 1) * 784)), 4));
      expect(last.firingFrequency[s].every((f) => f >= 0 && f <= 1)).toBe(true);
      expect(last.firingFrequency[s].some((f) => f > 0)).toBe(true);
      last.stability[s].forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
    });
    // The export is the final weights the last snapshot shows.
    const exported = readSaeLens(await (await analysis()).exportSaeLens(1));
    expect(exported.weights.W_dec).toEqual(last.decoders[1]);
    expect((exported.training as { seed: number }).seed).toBe(1);
  });

  it('aligns the seeds at every milestone step, with the weights of exactly that step', async () => {
    const every = milestoneEvery(24);
    const { updates } = await record(tinyRun(24));
    const milestones = updates.flatMap((u) => u.alignments ?? []);
    expect(milestones.map((m) => m.step)).toEqual(Array.from({ length: 24 / every }, (_, i) => (i + 1) * every));
    // Independently: a run stopped at step 8 (no warm-up or decay, so its first 8 steps are the same) and its final snapshot.
    const { snapshots } = await record(tinyRun(8));
    const final = snapshots.at(-1)!;
    expect(final.step).toBe(8);
    expect(milestones.find((m) => m.step === 8)!.alignment).toEqual(final.alignment);
    expect(milestones.find((m) => m.step === 8)!.alignment).not.toEqual(milestones.find((m) => m.step === 24)!.alignment);
  });

  it("inspects a feature consistently with the snapshot, the heatmap's matching and the stability", async () => {
    const { snapshots } = await record(tinyRun(8));
    const last = snapshots.at(-1)!;
    const feature = 5;
    const details = await (await analysis()).inspect(0, feature);
    expect(details.decoder).toEqual(last.decoders[0].slice(feature * 784, (feature + 1) * 784));
    expect(details.classProfile).toHaveLength(10);
    expect(details.histogram.counts.reduce((a, b) => a + b, 0)).toBe(Math.round(details.frequency * 300));
    details.topDigits.forEach((d, k) => {
      expect(d.image).toHaveLength(784);
      if (k > 0) expect(d.activation).toBeLessThanOrEqual(details.topDigits[k - 1].activation);
    });
    expect(details.partners.map((p) => p.seed)).toEqual([1, 2]);
    for (const partner of details.partners) {
      const heatmap = await (await analysis()).pairHeatmap(0, partner.seed, null, 16);
      const row = heatmap.rowOrder.indexOf(feature);
      expect(heatmap.colOrder[row]).toBe(partner.feature);
      expect(heatmap.matched[row]).toBeCloseTo(partner.cosine, 5);
      expect(partner.decoder).toEqual(last.decoders[SEEDS.indexOf(partner.seed)].slice(partner.feature * 784, (partner.feature + 1) * 784));
    }
    const mean = details.partners.reduce((s, p) => s + p.cosine, 0) / details.partners.length;
    expect(last.stability[0][feature]).toBeCloseTo(mean, 5);
  });

  it('steers a digit along a feature and measures the steering success rate', async () => {
    await record(tinyRun(8));
    const strip = await (await analysis()).steer(2, 3, 7, [0, 2, 5]);
    expect(strip).toMatchObject({ digitIndex: 7, alphas: [0, 2, 5] });
    expect(strip.images).toHaveLength(3);
    expect(strip.images[0]).toEqual(strip.reconstruction);
    expect(strip.images[2]).not.toEqual(strip.reconstruction);
    strip.probabilities.forEach((p) => expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5));

    const success = await (await analysis()).steeringSuccess(2);
    expect(success.definition).toBe(STEERING_SUCCESS_DEFINITION);
    expect(success.trials).toBeGreaterThan(0);
    expect(success.rate).toBeCloseTo(success.successes / success.trials, 10);
    expect(success.ci95[0]).toBeLessThanOrEqual(success.rate);
    expect(success.ci95[1]).toBeGreaterThanOrEqual(success.rate);
    await expect((await analysis()).steer(7, 0, 0, [1])).rejects.toThrow(/seed 7/);
  });

  it('pauses at once, resumes, and stops early', async () => {
    let steps = 0;
    let pausedAt = -1;
    const running = session.start(
      tinyRun(100_000),
      (u) => {
        steps = u.step;
        if (pausedAt < 0 && u.step > 0) {
          session.pause();
          pausedAt = u.step;
        }
      },
      () => undefined,
    );
    while (pausedAt < 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const whilePaused = steps;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(steps).toBe(whilePaused);
    // A paused run can be inspected: pausing took a snapshot.
    expect((await (await analysis()).inspect(0, 0)).feature).toBe(0);
    session.resume();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(steps).toBeGreaterThan(whilePaused);
    session.stop();
    const end = await running;
    expect(end.reason).toBe('stopped');
    expect(end.step).toBeLessThan(100_000);
  });

  it('with a single seed, has no alignment and no partners', async () => {
    const { snapshots } = await record(tinyRun(4, [5]));
    const last = snapshots.at(-1)!;
    expect(last.alignment).toBeNull();
    expect(last.stability[0].every((v) => v === 0)).toBe(true);
    expect((await (await analysis()).inspect(5, 0)).partners).toEqual([]);
  });
});

describe('LabSession judging classifier', () => {
  it('learns from the classifier digits it is given, not only from the SAE training images', async () => {
    const mnist = await loadMnistNode();
    const classifier = { hidden: 16, epochs: 1, batchSize: 50, lr: 5e-3, seed: 0 };
    const train = splitRows(mnist.train, 0, 100);
    const test = splitRows(mnist.test, 5000, 1000);
    const few = await createMnistSession(train, test, { classifier });
    const many = await createMnistSession(train, test, { classifier, classifierTrain: splitRows(mnist.train, 0, 5000) });
    expect(many.classifierAccuracy).toBeGreaterThan(few.classifierAccuracy + 0.1);
    expect(many.classifierAccuracy).toBeGreaterThan(0.85);
    few.session.stop();
    many.session.stop();
  });
});
