/**
 * The lab's runs in IndexedDB (through idb): each configuration's run — its settings, seeds, data,
 * status, metrics history, latest weight checkpoint and alignment — so that a run survives a reload,
 * a browser restart or a crashed worker. The worker that trains a run writes it; the page lists,
 * renames and deletes. Works in a worker and on the page alike.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { savedTrainConfig } from '../../core/train/saved-config';
import { parseTrainConfig } from '../../core/train/schema';
import type { SeedMetrics } from '../../core/train/metrics';
import type { ComparisonRecord, RunRecord } from '../protocol/run-records';

interface LabDb extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { createdAt: number } };
  metrics: { key: string; value: { runId: string; perSeed: SeedMetrics[] } };
  checkpoints: { key: string; value: { runId: string; step: number; checkpoint: unknown } };
}

export const RUN_DB_NAME = 'sae-stability-lab';
const VERSION = 1;

/** A write refused because the browser's storage for this site is full. */
export class StorageFullError extends Error {
  constructor(what: string) {
    super(`storage is full: ${what} could not be saved. The run goes on in memory; free space (delete old runs) or export it.`);
    this.name = 'StorageFullError';
  }
}

export class RunStore {
  private constructor(private readonly db: IDBPDatabase<LabDb>) {}

  static async open(name = RUN_DB_NAME): Promise<RunStore> {
    const db = await openDB<LabDb>(name, VERSION, {
      upgrade(db) {
        db.createObjectStore('runs', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
        db.createObjectStore('metrics', { keyPath: 'runId' });
        db.createObjectStore('checkpoints', { keyPath: 'runId' });
      },
    });
    return new RunStore(db);
  }

  /**
   * Newest first. A record whose configuration does not parse is still listed, so it can be deleted,
   * with `message` saying what is wrong; `get` refuses it.
   */
  async list(): Promise<RunRecord[]> {
    return (await this.db.getAllFromIndex('runs', 'createdAt')).reverse().map((record) => {
      try {
        return withSavedConfig(record);
      } catch (e) {
        return { ...record, message: (e as Error).message };
      }
    });
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const record = await this.db.get('runs', id);
    return record && withSavedConfig(record);
  }

  async metrics(id: string): Promise<SeedMetrics[]> {
    return (await this.db.get('metrics', id))?.perSeed ?? [];
  }

  /** The saved checkpoint (as the trainer wrote it) and its step, if any. */
  async checkpoint(id: string): Promise<{ step: number; checkpoint: unknown } | null> {
    const saved = await this.db.get('checkpoints', id);
    return saved ? { step: saved.step, checkpoint: saved.checkpoint } : null;
  }

  /**
   * Writes a run's record, metrics and (when given) checkpoint in one transaction: after a crash the
   * three always belong together.
   */
  async save(record: RunRecord, perSeed: SeedMetrics[], checkpoint?: { step: number; checkpoint: unknown }): Promise<void> {
    await this.write(`run "${record.name}"`, async () => {
      const tx = this.db.transaction(['runs', 'metrics', 'checkpoints'], 'readwrite');
      const writes: Promise<unknown>[] = [
        tx.objectStore('runs').put({ ...record, updatedAt: Date.now() }),
        tx.objectStore('metrics').put({ runId: record.id, perSeed }),
      ];
      if (checkpoint) writes.push(tx.objectStore('checkpoints').put({ runId: record.id, ...checkpoint }));
      await Promise.all([...writes, tx.done]);
    });
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) throw new Error('a run needs a name');
    await this.patch(id, { name: trimmed });
  }

  async patch(id: string, patch: Partial<Omit<RunRecord, 'id'>>): Promise<void> {
    await this.write('the run', async () => {
      const tx = this.db.transaction('runs', 'readwrite');
      const record = await tx.store.get(id);
      if (!record) throw new Error(`no saved run with id ${id}`);
      await Promise.all([tx.store.put({ ...record, ...patch, updatedAt: Date.now() }), tx.done]);
    });
  }

  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'metrics', 'checkpoints'], 'readwrite');
    await Promise.all([tx.objectStore('runs').delete(id), tx.objectStore('metrics').delete(id), tx.objectStore('checkpoints').delete(id), tx.done]);
  }

  close(): void {
    this.db.close();
  }

  private async write(what: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      if (isQuotaError(error)) throw new StorageFullError(what);
      throw error;
    }
  }
}

/**
 * The record with its configuration parsed by the schema: first completed with the fields it was saved
 * without (read with the semantics it trained with), then checked, so an unknown key or a bad value is
 * named instead of reaching a trainer.
 */
function withSavedConfig(record: RunRecord): RunRecord {
  const config = parseTrainConfig(savedTrainConfig(record.config), `saved run "${record.name}": its configuration`);
  return config === record.config ? record : { ...record, config };
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || (error as { inner?: { name?: string } } | null)?.inner?.name === 'QuotaExceededError';
}

/** A fresh id for a run: time-ordered and unique enough for one browser's runs. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Runs a page finds "training" or "paused" with no worker of its own: left behind by a reload or a crash. */
export function markInterrupted(records: RunRecord[], liveIds: ReadonlySet<string>): RunRecord[] {
  return records.map((r) => ((r.status === 'training' || r.status === 'paused') && !liveIds.has(r.id) ? { ...r, status: 'interrupted' } : r));
}

/** Bytes used and available to this site, where the browser says. */
export async function storageUsage(): Promise<{ usage: number; quota: number } | null> {
  const estimate = await globalThis.navigator?.storage?.estimate?.();
  return estimate && estimate.usage !== undefined && estimate.quota !== undefined ? { usage: estimate.usage, quota: estimate.quota } : null;
}

/** A comparison: the runs started together, A first. */

/** Runs grouped by comparison, newest comparison first. */
export function groupComparisons(records: readonly RunRecord[]): ComparisonRecord[] {
  const groups = new Map<string, RunRecord[]>();
  for (const record of [...records].sort((a, b) => b.createdAt - a.createdAt)) {
    const group = groups.get(record.comparisonId) ?? [];
    group.push(record);
    groups.set(record.comparisonId, group);
  }
  return [...groups].map(([id, runs]) => ({ id, runs: runs.sort((a, b) => a.side - b.side) }));
}
