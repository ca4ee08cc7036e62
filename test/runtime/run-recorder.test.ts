import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { teachingDemoConfig } from '../../src/core/presets';
import type { PersistSpec } from '../../src/runtime/protocol/run-records';
import { RunRecorder } from '../../src/runtime/worker/run-recorder';
import { RunStore } from '../../src/runtime/storage/run-store';

const spec: PersistSpec = { runId: 'r', comparisonId: 'c', side: 0, link: '', name: 'run', data: { kind: 'mnist', trainLimit: null }, checkpointEveryMs: 5000 };

describe('RunRecorder', () => {
  test('a resumed run counts checkpoint intervals on the new loop’s clock and keeps its total training time', async () => {
    const store = await RunStore.open('recorder-1');
    const first = new RunRecorder(store, spec, teachingDemoConfig(), [0]);
    await first.save('stopped', { step: 40, totalSteps: 300, elapsedMs: 20_000 }, { any: 'checkpoint' });
    const record = (await store.get('r'))!;
    expect(record).toMatchObject({ elapsedMs: 20_000, checkpointStep: 40 });

    const resumed = new RunRecorder(store, { ...spec, checkpointEveryMs: record.checkpointEveryMs }, record.config, record.seeds, { record, perSeed: [] });
    expect(resumed.saved.checkpointStep).toBe(40);
    expect(resumed.due(1_000)).toBe(false);
    expect(resumed.due(6_000)).toBe(true);
    await resumed.save('training', { step: 55, totalSteps: 300, elapsedMs: 6_000 }, { any: 'checkpoint' });
    expect(await store.get('r')).toMatchObject({ elapsedMs: 26_000, checkpointStep: 55 });
    expect(resumed.due(8_000)).toBe(false);
  });

  test('a refused save is reported, and the checkpoint step shown stays the stored one', async () => {
    const store = await RunStore.open('recorder-2');
    const recorder = new RunRecorder(store, spec, teachingDemoConfig(), [0]);
    await recorder.save('training', { step: 10, totalSteps: 300, elapsedMs: 5_000 }, {});
    (store as unknown as { save: () => never }).save = () => {
      throw Object.assign(new Error('full'), { name: 'StorageFullError' });
    };
    await recorder.save('training', { step: 20, totalSteps: 300, elapsedMs: 10_000 }, {});
    expect(recorder.saved).toEqual({ checkpointStep: 10, problem: 'the run could not be saved (full)' });
  });

  test('a rename is kept by the saves already queued and by later ones; an empty name is refused', async () => {
    const store = await RunStore.open('recorder-3');
    const recorder = new RunRecorder(store, spec, teachingDemoConfig(), [0]);
    await recorder.save('training', { step: 10, totalSteps: 300, elapsedMs: 5_000 }, {});
    const queued = recorder.save('training', { step: 20, totalSteps: 300, elapsedMs: 10_000 }, {});
    await recorder.rename('  my run ');
    await queued;
    await recorder.save('training', { step: 30, totalSteps: 300, elapsedMs: 15_000 }, {});
    expect(await store.get('r')).toMatchObject({ name: 'my run', checkpointStep: 30 });
    await expect(recorder.rename('  ')).rejects.toThrow('a run needs a name');
    await recorder.save('done', { step: 300, totalSteps: 300, elapsedMs: 150_000 }, {});
    expect(await store.get('r')).toMatchObject({ name: 'my run', status: 'done' });
  });
});
