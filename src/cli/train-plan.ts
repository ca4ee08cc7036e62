/**
 * Runs a plan: this task's share of its (configuration, seed) pairs (all of them without a task), in one
 * thread or in --jobs worker threads, then the alignment of each configuration whose seeds all trained
 * here. Seeds trained by other tasks are merged later by `npm run lab -- align DIR`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tensorSource } from '../core/train/source';
import { validateTrainConfig } from '../core/train/validate';
import { readCheckpoint, type TrainedEntry } from './checkpoint-file';
import { runJobs } from './jobs';
import { initNodeBackend } from './node-backend';
import { alignmentTable } from './report';
import { loadData, UsageError, type RunPlan } from './run-plan';
import { sliceUnits, splitWork, type TaskSlot } from './tasks';
import { alignEntry, trainEntry, type EntryResult } from './train-entry';

const PLAN_FILE = 'runner.json';

export interface Parallelism {
  /** This process's slice of the run; null: the whole run. */
  task: TaskSlot | null;
  /** Worker threads; 1 trains in this thread. */
  jobs: number;
}

export async function resumeRun(out: string, ckpt: number | undefined): Promise<void> {
  let plan: RunPlan;
  try {
    plan = JSON.parse(await readFile(join(out, PLAN_FILE), 'utf8'));
  } catch (e) {
    throw new Error(`${join(out, PLAN_FILE)}: cannot resume (${(e as Error).message}); only runs started with --ckpt can be resumed`);
  }
  if (plan.version !== 1) throw new Error(`${join(out, PLAN_FILE)}: version ${plan.version}, this runner resumes version 1`);
  await trainPlan({ ...plan, ckpt: ckpt ?? plan.ckpt }, out, { task: null, jobs: 1 }, true);
}

export async function trainPlan(plan: RunPlan, out: string, { task, jobs }: Parallelism, resuming = false): Promise<void> {
  // A checkpoint is one file per configuration holding all its seeds: one process must train them all.
  if (plan.ckpt !== undefined && (task || jobs > 1)) throw new UsageError(`--ckpt checkpoints whole configurations in one thread: leave out ${task ? '--task (and the job array variables)' : '--jobs'} or --ckpt`);
  console.log(`backend: ${await initNodeBackend(plan.backend)}`);
  const data = await loadData(plan.data);
  const source = tensorSource(data.rows, data.d_in);
  // The data's width is the SAE's input width.
  const entries = plan.entries.map((e) => ({ ...e, config: { ...e.config, d_in: data.d_in } }));
  for (const e of entries) validateTrainConfig(e.config, source);
  console.log(`seeds: ${plan.seeds.join(', ')}`);
  for (const e of entries) console.log(`${e.name}: ${JSON.stringify(e.config)}`);
  const work = sliceUnits(entries, plan.seeds, task?.index ?? 0, task?.count ?? 1);
  if (task) console.log(`task ${task.index} of ${task.count} (0-based): ${work.length ? work.map((w) => `${w.entry.name} seeds ${w.seeds.join(', ')}`).join('; ') : 'nothing (more tasks than pairs)'}`);
  if (plan.ckpt !== undefined && !resuming) {
    await mkdir(out, { recursive: true });
    await writeFile(join(out, PLAN_FILE), JSON.stringify(plan, null, 2) + '\n');
  }

  const partial = (seeds: number[]) => seeds.length < plan.seeds.length;
  let results: EntryResult[];
  const shares = jobs > 1 ? splitWork(work, jobs) : [work];
  if (shares.length > 1) {
    console.log(`jobs: ${shares.length} worker threads`);
    results = mergeParts(await runJobs(plan, out, data, shares));
    // Configurations split between jobs are whole again here when this process holds all their seeds.
    for (const r of results) if (r.weights && !partial(r.seeds)) r.alignment = await alignEntry(join(out, r.name), r.name, r.weights);
  } else {
    results = [];
    for (const { entry, seeds } of work) {
      const saved = resuming ? await readCheckpoint(join(out, entry.name)) : null;
      if (saved?.status === 'done') {
        console.log(`${entry.name}: finished before, left as is`);
        results.push({ ...saved.result, seeds });
        continue;
      }
      if (saved) console.log(`${entry.name}: resumed from step ${saved.checkpoint.step} (checkpoint of ${(saved.elapsedMs / 1000).toFixed(1)} s of training)`);
      else if (resuming) console.log(`${entry.name}: no checkpoint, training from step 0`);
      results.push(await trainEntry(entry, seeds, source, out, data.on, { checkpointEverySeconds: plan.ckpt, partial: partial(seeds), ...(saved ? { resume: saved } : {}) }));
    }
  }
  source.dispose();
  const whole: TrainedEntry[] = results.filter((r) => !partial(r.seeds));
  const parts = results.filter((r) => partial(r.seeds));
  if (whole.length) console.log(`\n${alignmentTable(whole)}`);
  if (parts.length) console.log(`\nTrained here: ${parts.map((r) => `${r.name} seeds ${r.seeds.join(', ')}`).join('; ')} of seeds ${plan.seeds.join(', ')}; once every task is done, npm run lab -- align ${out} aligns them.`);
  console.log(`Written to ${out}`);
}

/** The jobs' parts of one configuration joined, seeds in the plan's order (the jobs' slices are contiguous and in order). */
function mergeParts(parts: EntryResult[]): EntryResult[] {
  const byName = new Map<string, EntryResult>();
  for (const p of parts) {
    const seen = byName.get(p.name);
    if (!seen) byName.set(p.name, { ...p });
    else {
      // Steps per second of the whole: every seed's steps over the summed training times.
      const seconds = seen.seeds.length / seen.stepsPerSecond + p.seeds.length / p.stepsPerSecond;
      byName.set(p.name, { ...seen, seeds: [...seen.seeds, ...p.seeds], weights: [...seen.weights!, ...p.weights!], stepsPerSecond: (seen.seeds.length + p.seeds.length) / seconds });
    }
  }
  return [...byName.values()];
}
