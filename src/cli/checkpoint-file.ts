/**
 * The runner's checkpoint of one configuration, `DIR/<name>/checkpoint.safetensors`: one safetensors
 * file whose tensors are every typed array of the MultiSeedCheckpoint (named by their path in it) and
 * whose metadata holds the rest as JSON, with each array replaced by a reference to its tensor. One
 * file, written to a temporary name and renamed over the old one, so a run killed mid-write leaves the
 * previous checkpoint whole.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openSafetensors, writeSafetensors, type TensorToWrite } from '../core/formats/safetensors';
import type { StepMetrics } from '../core/train/metrics';
import type { MultiSeedCheckpoint } from '../runtime/worker/multi-seed';
import type { AlignmentSummary } from '../core/align';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';

/** What a configuration's alignment table row needs. */
export interface TrainedEntry {
  name: string;
  alignment: AlignmentSummary | null;
  stepsPerSecond: number;
}

/** A configuration still training: its state, the metrics read so far per seed (in seed order) and its training time. */
export interface TrainingState {
  status: 'training';
  checkpoint: MultiSeedCheckpoint;
  metrics: StepMetrics[][];
  elapsedMs: number;
}

/** A finished configuration: its files are written and its table row is kept for a resumed run's table. */
export interface FinishedState {
  status: 'done';
  result: TrainedEntry;
}

export type SavedState = TrainingState | FinishedState;

const REF = '$f32';

export function encodeCheckpoint(state: SavedState): Uint8Array {
  const tensors: Record<string, TensorToWrite> = {};
  const json = JSON.stringify({ version: 1, ...state }, function (this: unknown, key: string, value: unknown) {
    if (ArrayBuffer.isView(value)) {
      if (!(value instanceof Float32Array)) throw new Error(`checkpoint field ${key}: only Float32Array is stored (got ${value.constructor.name})`);
      const name = `t${Object.keys(tensors).length}`;
      tensors[name] = { dtype: 'F32', shape: [value.length], data: value };
      return { [REF]: name };
    }
    return value;
  });
  return writeSafetensors(tensors, { metadata: { checkpoint: json }, fileName: CHECKPOINT_FILE });
}

export function decodeCheckpoint(bytes: Uint8Array, fileName: string): SavedState {
  const reader = openSafetensors(bytes, fileName);
  const json = reader.metadata.checkpoint;
  if (json === undefined) throw new Error(`${fileName}: not a runner checkpoint (no "checkpoint" metadata)`);
  const parsed = JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && REF in value) return reader.readFloat32(String((value as Record<string, unknown>)[REF])).data;
    return value;
  }) as SavedState & { version: number };
  if (parsed.version !== 1) throw new Error(`${fileName}: checkpoint version ${parsed.version}, this runner reads version 1`);
  return parsed;
}

/** Writes `state` as `dir`'s checkpoint: to a temporary file first, then renamed over the old one (atomic on one file system). */
export async function writeCheckpoint(dir: string, state: SavedState): Promise<void> {
  const path = join(dir, CHECKPOINT_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, encodeCheckpoint(state), { flush: true });
  await rename(temporary, path);
}

/** `dir`'s checkpoint, or null when it has none. */
export async function readCheckpoint(dir: string): Promise<SavedState | null> {
  const path = join(dir, CHECKPOINT_FILE);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return decodeCheckpoint(bytes, path);
}
