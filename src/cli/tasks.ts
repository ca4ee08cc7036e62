/**
 * A run split into tasks (the processes of a Slurm job array or a Kubernetes Indexed Job) and each task's
 * share split into jobs (worker threads). Both cut the same list: every (configuration, seed) of the plan,
 * configuration by configuration, seeds in order. Slice i of n is a contiguous run of that list, so every
 * pair lands in exactly one slice and a slice holds whole configurations whenever the counts allow.
 */
import type { SweepEntry } from '../core/sweeps';
import { UsageError } from './run-plan';

/** Task `index` of `count`, 0-based. */
export interface TaskSlot {
  index: number;
  count: number;
}

/** Some seeds of one configuration: what a task or a job trains of it. */
export interface EntrySeeds {
  entry: SweepEntry;
  seeds: number[];
}

/** Slice `index` of `count` of the plan's (configuration, seed) list, grouped back by configuration. */
export function sliceUnits(entries: readonly SweepEntry[], seeds: readonly number[], index: number, count: number): EntrySeeds[] {
  const units = entries.flatMap((entry) => seeds.map((seed) => ({ entry, seed })));
  return groupUnits(units.slice(Math.floor((index * units.length) / count), Math.floor(((index + 1) * units.length) / count)));
}

/** `parts` slices of `work` (jobs of a task), leaving out the empty ones. */
export function splitWork(work: readonly EntrySeeds[], parts: number): EntrySeeds[][] {
  const units = work.flatMap(({ entry, seeds }) => seeds.map((seed) => ({ entry, seed })));
  const slices = [...Array(parts).keys()].map((i) => groupUnits(units.slice(Math.floor((i * units.length) / parts), Math.floor(((i + 1) * units.length) / parts))));
  return slices.filter((s) => s.length > 0);
}

function groupUnits(units: { entry: SweepEntry; seed: number }[]): EntrySeeds[] {
  const out: EntrySeeds[] = [];
  for (const { entry, seed } of units) {
    if (out.at(-1)?.entry === entry) out.at(-1)!.seeds.push(seed);
    else out.push({ entry, seeds: [seed] });
  }
  return out;
}

/** The environment variable that gives a Kubernetes Indexed Job's task count (Kubernetes sets only the index). */
export const TASK_COUNT_ENV = 'LAB_TASK_COUNT';

/**
 * This process's task: `--task i/n` (0-based); else Slurm's array variables (any --array range: the index
 * is SLURM_ARRAY_TASK_ID minus SLURM_ARRAY_TASK_MIN, so --array=1-6 works like --array=0-5); else
 * Kubernetes' JOB_COMPLETION_INDEX with the count from --task-count or LAB_TASK_COUNT. None: the whole run.
 */
export function taskSlot(flag: string | undefined, taskCount: number | undefined, env: NodeJS.ProcessEnv = process.env): TaskSlot | null {
  if (flag !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(flag);
    if (!m) throw new UsageError(`--task must be INDEX/COUNT with a 0-based index, e.g. 0/3 (got '${flag}')`);
    return checked(Number(m[1]), Number(m[2]), '--task');
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = wholeEnv(env, 'SLURM_ARRAY_TASK_ID');
    const count = env.SLURM_ARRAY_TASK_COUNT === undefined ? undefined : wholeEnv(env, 'SLURM_ARRAY_TASK_COUNT');
    if (count === undefined) throw new UsageError('SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: give --task INDEX/COUNT');
    const min = env.SLURM_ARRAY_TASK_MIN === undefined ? 0 : wholeEnv(env, 'SLURM_ARRAY_TASK_MIN');
    return checked(id - min, count, 'SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN');
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const count = taskCount ?? (env[TASK_COUNT_ENV] === undefined ? undefined : wholeEnv(env, TASK_COUNT_ENV));
    if (count === undefined) throw new UsageError(`JOB_COMPLETION_INDEX is set: give the number of tasks with --task-count N or ${TASK_COUNT_ENV}`);
    return checked(wholeEnv(env, 'JOB_COMPLETION_INDEX'), count, 'JOB_COMPLETION_INDEX');
  }
  if (taskCount !== undefined) throw new UsageError('--task-count goes with JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); give --task INDEX/COUNT instead');
  return null;
}

function checked(index: number, count: number, what: string): TaskSlot {
  if (!(count >= 1)) throw new UsageError(`${what}: the task count must be at least 1 (got ${count})`);
  if (!(index >= 0 && index < count)) throw new UsageError(`${what}: task index ${index} is outside 0…${count - 1} (indices are 0-based)`);
  return { index, count };
}

function wholeEnv(env: NodeJS.ProcessEnv, name: string): number {
  const value = env[name]!;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number (got '${value}')`);
  return Number(value);
}
