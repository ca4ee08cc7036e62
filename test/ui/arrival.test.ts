import { describe, expect, it } from 'vitest';
import { SaeTrainer } from '../../src/core/train/trainer';
import { tensorSource } from '../../src/core/train/source';
import { trainConfigProblems } from '../../src/core/train/validate';
import { plantedDictionary } from '../../src/core/data/planted';
import type { RunRecord } from '../../src/runtime/protocol/run-records';
import { groupComparisons } from '../../src/runtime/storage/run-store';
import { finishedTwin, interruptedComparison } from '../../src/ui/arrival';
import { equalSparsityK, withTopK } from '../../src/ui/store/equal-sparsity';
import { tinyConfig } from '../helpers/configs';

let clock = 0;
function run(comparisonId: string, side: 0 | 1, patch: Partial<RunRecord> = {}): RunRecord {
  clock += 1;
  return {
    id: `${comparisonId}-${side}`,
    comparisonId,
    side,
    link: '?width=16',
    name: `run ${comparisonId}`,
    createdAt: clock,
    updatedAt: clock,
    status: 'done',
    message: null,
    config: tinyConfig(),
    seeds: [0, 1, 2],
    data: { kind: 'mnist', trainLimit: null },
    step: 300,
    totalSteps: 300,
    elapsedMs: 1000,
    checkpointStep: 300,
    checkpointEveryMs: 10_000,
    alignment: null,
    ...patch,
  };
}

describe('what a visit comes back to', () => {
  it('offers the newest comparison for Resume when a reload interrupted it, at its sides’ common checkpoint', () => {
    const older = [run('old', 0, { status: 'interrupted' })];
    const newest = [run('new', 0, { status: 'interrupted', checkpointStep: 120 }), run('new', 1, { status: 'interrupted', checkpointStep: 110 })];
    expect(interruptedComparison(groupComparisons([...older, ...newest]))).toEqual({ kind: 'interrupted', comparisonId: 'new', name: 'run new', checkpointStep: 110 });
    // An old interrupted run under a newer finished one does not hold a demo link back.
    expect(interruptedComparison(groupComparisons([...older, run('done', 0), run('done', 1)]))).toBeNull();
    expect(interruptedComparison(groupComparisons([run('early', 0, { status: 'interrupted', checkpointStep: null })]))).toMatchObject({ kind: 'interrupted', checkpointStep: null });
  });

  it('opens a finished run of exactly this link instead of training it again, and only then', () => {
    const finished = [run('a', 0), run('a', 1)];
    expect(finishedTwin(groupComparisons(finished), '?width=16', 2)).toMatchObject({ kind: 'reopened', comparisonId: 'a' });
    expect(finishedTwin(groupComparisons(finished), '?width=32', 2)).toBeNull();
    // A single run is no twin of a comparison, a stopped one is not finished, and one without a checkpoint cannot be opened.
    expect(finishedTwin(groupComparisons(finished), '?width=16', 1)).toBeNull();
    expect(finishedTwin(groupComparisons([run('b', 0), run('b', 1, { status: 'stopped' })]), '?width=16', 2)).toBeNull();
    expect(finishedTwin(groupComparisons([run('c', 0), run('c', 1, { checkpointStep: null })]), '?width=16', 2)).toBeNull();
  });

  it('a run saved with the short keys of older links is the twin of the same experiment written with the paths', () => {
    const old = [run('d', 0, { link: 'width=16&pc=0,0.002' }), run('d', 1, { link: 'width=16&pc=0,0.002' })];
    expect(finishedTwin(groupComparisons(old), 'd_sae=16&penalty.coeff=,0.002', 2)).toMatchObject({ kind: 'reopened', comparisonId: 'd' });
    expect(finishedTwin(groupComparisons(old), 'd_sae=32&penalty.coeff=,0.002', 2)).toBeNull();
  });
});

describe('equal sparsity', () => {
  it('sets both sides to a valid TopK with the sparser side’s L0 as k, and they then train at that L0', async () => {
    expect(equalSparsityK(10.6, 18)).toBe(11);
    expect(equalSparsityK(0.2, 3)).toBe(1);
    const planted = plantedDictionary({ nFeatures: 12, d: 8, n: 256, activePerSample: 3, seed: 1 });
    const source = tensorSource(planted.data, 8);
    const base = tinyConfig({ metricsEvery: 1 });
    const sides = [withTopK(base, 3), withTopK({ ...base, penalty: { kind: 'l2-unsquared', coeff: 1e-3, on: 'both' } }, 3)];
    for (const config of sides) {
      expect(trainConfigProblems(config)).toEqual([]);
      expect(config.activation).toMatchObject({ kind: 'topk', k: 3 });
      const trainer = SaeTrainer.create(config, source);
      try {
        const metrics = await trainer.trainStep()!;
        expect(metrics.l0).toBeLessThanOrEqual(3);
        expect(metrics.l0).toBeGreaterThan(2);
      } finally {
        trainer.dispose();
      }
    }
    source.dispose();
    // Everything but the activation is left as it was.
    expect({ ...sides[1], activation: null }).toEqual({ ...base, penalty: sides[1].penalty, activation: null });
  });
});
