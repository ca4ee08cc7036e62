/**
 * Saved runs through the LabSession, on the cpu backend (bitwise reproducible): a run stopped
 * midway and resumed from its saved checkpoint ends with exactly the weights of an uninterrupted
 * run, its record and metrics follow it, and a diverging run keeps its last good checkpoint.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { teachingDemoConfig } from '../../src/core/presets';
import { tensorSource } from '../../src/core/train/source';
import type { LabMetricsUpdate, RunSpec } from '../../src/runtime/protocol/lab-api';
import { LabSession } from '../../src/runtime/worker/lab-session';
import type { LabState } from '../../src/runtime/worker/lab-snapshot';
import type { PersistSpec } from '../../src/runtime/protocol/run-records';
import { RunStore } from '../../src/runtime/storage/run-store';
import { lcg } from '../helpers/configs';

const D_IN = 12;
const data = (() => {
  const random = lcg(7);
  return Float32Array.from({ length: 400 * D_IN }, () => random());
})();

let stores = 0;
function session(store: Promise<RunStore>) {
  return new LabSession(tensorSource(data, D_IN), (state: LabState) => state, { pacing: { minIntervalMs: 0, maxShare: 1 }, runs: () => store });
}

const persist = (runId: string): PersistSpec => ({ runId, comparisonId: 'c', side: 0, link: '', name: 'test run', data: { kind: 'mnist', trainLimit: null }, checkpointEveryMs: 0 });
const spec = (steps: number, overrides: Parameters<typeof teachingDemoConfig>[0] = {}): RunSpec => ({
  config: teachingDemoConfig({ d_in: D_IN, d_sae: 8, batchSize: 40, length: { unit: 'steps', value: steps }, metricsEvery: 2, ...overrides }),
  seeds: [0, 1],
});

describe('saved runs', () => {
  it('a run stopped midway and resumed from its checkpoint ends exactly where an uninterrupted run does', async () => {
    const store = RunStore.open(`persist-${++stores}`);
    const whole = session(store);
    await whole.start({ ...spec(30), persist: persist('whole') }, () => undefined, () => undefined);
    const expected = (await whole.latest()).weights;

    const interrupted = session(store);
    let stopped = false;
    const first = await interrupted.start(
      { ...spec(30), persist: persist('split') },
      (update: LabMetricsUpdate) => {
        if (!stopped && update.step >= 12) {
          stopped = true;
          interrupted.stop();
        }
      },
      () => undefined,
    );
    expect(first.reason).toBe('stopped');
    const saved = await (await store).get('split');
    expect(saved).toMatchObject({ status: 'stopped', checkpointStep: first.step });
    expect(first.step).toBeLessThan(30);

    // A fresh session, as after a reload: only the store remains.
    const resumed = session(store);
    const updates: LabMetricsUpdate[] = [];
    const end = await resumed.resumeSaved('split', (u) => updates.push(u), () => undefined);
    expect(end).toMatchObject({ reason: 'done', step: 30 });
    const actual = (await resumed.latest()).weights;
    for (let s = 0; s < 2; s++) {
      expect(actual[s].W_enc).toEqual(expected[s].W_enc);
      expect(actual[s].W_dec).toEqual(expected[s].W_dec);
      expect(actual[s].b_dec).toEqual(expected[s].b_dec);
    }
    const record = await (await store).get('split');
    expect(record).toMatchObject({ status: 'done', step: 30, checkpointStep: 30 });
    // Each metrics step appears once, before and after the interruption.
    for (const { metrics } of await (await store).metrics('split')) {
      const steps = metrics.map((m) => m.step);
      expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
      expect(steps.at(-1)).toBe(30);
    }
    expect(updates.every((u) => u.saved !== undefined)).toBe(true);
  });

  it('a diverging run is saved as diverged with a message, keeping its last good checkpoint', async () => {
    const store = RunStore.open(`persist-${++stores}`);
    const s = session(store);
    const end = await s.start({ ...spec(200, { optim: { lr: 1e30 } }), persist: persist('wild') }, () => undefined, () => undefined);
    expect(end.reason).toBe('diverged');
    expect(end.message).toMatch(/step \d+/);
    const record = await (await store).get('wild');
    expect(record?.status).toBe('diverged');
    expect(record?.message).toBe(end.message);
    const checkpoint = await (await store).checkpoint('wild');
    if (checkpoint) expect(checkpoint.step).toBeLessThanOrEqual(end.finiteThrough ?? end.step);
  });

  it('a run renamed while it trains keeps the new name through its later checkpoints', async () => {
    const store = RunStore.open(`persist-${++stores}`);
    const s = session(store);
    let renamed: Promise<boolean> | null = null;
    let renamedAt = 0;
    // checkpointEveryMs 0 (persist()): a checkpoint at every metrics read, each rewriting the record.
    const end = await s.start(
      { ...spec(40), persist: persist('named') },
      (update) => {
        if (renamed || update.step < 10) return;
        renamedAt = update.step;
        // What the page does through the worker (lab.worker.ts → LabSession.renameRun).
        renamed = s.renameRun('named', 'renamed mid-run');
      },
      () => undefined,
    );
    expect(end).toMatchObject({ reason: 'done', step: 40 });
    expect(await renamed).toBe(true);
    const record = await (await store).get('named');
    expect(record?.checkpointStep).toBeGreaterThan(renamedAt);
    expect(record?.name).toBe('renamed mid-run');
    // Once the run is over the session no longer holds it: the page renames it in the store.
    expect(await s.renameRun('named', 'later')).toBe(false);
    expect(await s.renameRun('unknown', 'x')).toBe(false);
  });

  it('a stop or pause that arrives while a run is still being set up is not lost', async () => {
    const store = RunStore.open(`persist-${++stores}`);
    const first = session(store);
    let stopAt = true;
    await first.start({ ...spec(30), persist: persist('early') }, (u) => stopAt && u.step >= 6 && ((stopAt = false), first.stop()), () => undefined);
    const saved = (await (await store).get('early'))?.checkpointStep ?? -1;

    // Stop sent right after Resume, while the session is still reading the checkpoint.
    const resumed = session(store);
    const stepsSeen: number[] = [];
    const resuming = resumed.resumeSaved('early', (u) => stepsSeen.push(u.step), () => undefined);
    resumed.stop();
    expect(await resuming).toMatchObject({ reason: 'stopped', step: saved });
    expect(stepsSeen.every((step) => step <= saved)).toBe(true);
    expect(await (await store).get('early')).toMatchObject({ status: 'stopped', checkpointStep: saved });

    // Pause sent right after Start: no step is trained until Resume, and then the run finishes.
    const paused = session(store);
    const trained: number[] = [];
    const starting = paused.start({ ...spec(20), persist: persist('paused') }, (u) => trained.push(u.step), () => undefined);
    paused.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(trained.filter((step) => step > 0)).toEqual([]);
    expect(paused.training).toBe(true);
    paused.resume();
    expect(await starting).toMatchObject({ reason: 'done', step: 20 });
  });

  it('resuming a run that was never saved says so', async () => {
    const s = session(RunStore.open(`persist-${++stores}`));
    await expect(s.resumeSaved('nope', () => undefined, () => undefined)).rejects.toThrow(/no saved run with id nope/);
  });
});
