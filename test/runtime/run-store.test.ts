import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { teachingDemoConfig } from '../../src/core/presets';
import { groupComparisons, markInterrupted, newRunId, RunStore, StorageFullError } from '../../src/runtime/storage/run-store';
import type { RunRecord } from '../../src/runtime/protocol/run-records';

let dbCount = 0;
const freshStore = () => RunStore.open(`test-${++dbCount}`);

function record(patch: Partial<RunRecord> = {}): RunRecord {
  return {
    id: newRunId(),
    comparisonId: 'c1',
    side: 0,
    link: 'width=16',
    name: 'A · L2 off',
    createdAt: Date.now(),
    updatedAt: 0,
    status: 'training',
    message: null,
    config: teachingDemoConfig(),
    seeds: [0, 1, 2],
    data: { kind: 'mnist', trainLimit: 1000 },
    step: 10,
    totalSteps: 300,
    elapsedMs: 1234,
    checkpointStep: 10,
    checkpointEveryMs: 5000,
    alignment: null,
    ...patch,
  };
}

describe('RunStore', () => {
  test('saves a run with its metrics and checkpoint together, and reads them back intact', async () => {
    const store = await freshStore();
    const run = record();
    const checkpoint = { steps: [10, 10], weights: new Float32Array([1, 2, 3]) };
    await store.save(run, [{ seed: 0, metrics: [{ step: 10, loss: 0.5 } as never] }], { step: 10, checkpoint });
    expect(await store.get(run.id)).toMatchObject({ ...run, updatedAt: expect.any(Number) });
    expect(await store.metrics(run.id)).toEqual([{ seed: 0, metrics: [{ step: 10, loss: 0.5 }] }]);
    const saved = await store.checkpoint(run.id);
    expect(saved?.step).toBe(10);
    expect((saved?.checkpoint as typeof checkpoint).weights).toEqual(new Float32Array([1, 2, 3]));
    // A later save without a checkpoint keeps the previous one.
    await store.save({ ...run, step: 20 }, []);
    expect((await store.get(run.id))?.step).toBe(20);
    expect((await store.checkpoint(run.id))?.step).toBe(10);
  });

  test('reads a run saved before the parallel-gradient switch existed with the removal it trained with', async () => {
    const store = await freshStore();
    const config = (unitNormDecoder: boolean) => {
      const c = teachingDemoConfig({ init: { unitNormDecoder } });
      delete (c.init as Partial<typeof c.init>).removeParallelGrad;
      return c;
    };
    const constrained = record({ config: config(true) });
    const free = record({ config: config(false) });
    const current = record({ config: teachingDemoConfig() });
    for (const run of [constrained, free, current]) await store.save(run, []);
    expect((await store.get(constrained.id))?.config.init.removeParallelGrad).toBe(true);
    expect((await store.get(free.id))?.config.init.removeParallelGrad).toBe(false);
    expect((await store.get(current.id))?.config).toEqual(teachingDemoConfig());
    const listed = new Map((await store.list()).map((r) => [r.id, r.config.init.removeParallelGrad]));
    expect(listed).toEqual(new Map([[constrained.id, true], [free.id, false], [current.id, false]]));
  });

  test('refuses a saved configuration with a misspelt key or a bad value, naming it, but still lists the run', async () => {
    const store = await freshStore();
    const typo = record({ name: 'typo', config: { ...teachingDemoConfig(), optim: { ...teachingDemoConfig().optim, warmupStep: 3 } as never } });
    const bad = record({ name: 'bad', config: teachingDemoConfig({ batchSize: -2 }) });
    for (const run of [typo, bad]) await store.save(run, []);
    await expect(store.get(typo.id)).rejects.toThrow('saved run "typo": its configuration: optim.warmupStep is not a setting (did you mean optim.warmupSteps?)');
    await expect(store.get(bad.id)).rejects.toThrow('batchSize: batch size must be a positive integer (got -2)');
    const listed = new Map((await store.list()).map((r) => [r.name, r.message]));
    expect(listed.get('typo')).toMatch(/optim\.warmupStep is not a setting/);
  });

  test('lists newest first, renames and deletes every part of a run', async () => {
    const store = await freshStore();
    const older = record({ createdAt: 1000, name: 'old' });
    const newer = record({ createdAt: 2000, name: 'new' });
    await store.save(older, [], { step: 1, checkpoint: {} });
    await store.save(newer, []);
    expect((await store.list()).map((r) => r.name)).toEqual(['new', 'old']);
    await store.rename(older.id, '  baseline  ');
    expect((await store.get(older.id))?.name).toBe('baseline');
    await expect(store.rename(older.id, ' ')).rejects.toThrow(/needs a name/);
    await expect(store.rename('nope', 'x')).rejects.toThrow(/no saved run with id nope/);
    await store.delete(older.id);
    expect(await store.get(older.id)).toBeUndefined();
    expect(await store.checkpoint(older.id)).toBeNull();
    expect(await store.metrics(older.id)).toEqual([]);
  });

  test('a write refused for quota becomes a StorageFullError that says the run goes on in memory', async () => {
    const store = await freshStore();
    const db = (store as unknown as { db: { transaction: () => never } }).db;
    db.transaction = () => {
      throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    };
    const error = await store.save(record({ name: 'big' }), []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFullError);
    expect((error as Error).message).toMatch(/storage is full: run "big" could not be saved.*in memory/);
  });

  test('runs left training or paused without a live worker are interrupted; others keep their status', () => {
    const runs = [record({ id: 'a', status: 'training' }), record({ id: 'b', status: 'paused' }), record({ id: 'c', status: 'done' }), record({ id: 'd', status: 'training' })];
    expect(markInterrupted(runs, new Set(['d'])).map((r) => r.status)).toEqual(['interrupted', 'interrupted', 'done', 'training']);
  });

  test('groups runs into comparisons, newest first, A before B', () => {
    const runs = [
      record({ id: 'b1', comparisonId: 'one', side: 1, createdAt: 10 }),
      record({ id: 'a2', comparisonId: 'two', side: 0, createdAt: 20 }),
      record({ id: 'a1', comparisonId: 'one', side: 0, createdAt: 10 }),
    ];
    expect(groupComparisons(runs).map((c) => [c.id, c.runs.map((r) => r.id)])).toEqual([
      ['two', ['a2']],
      ['one', ['a1', 'b1']],
    ]);
  });
});
