import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lab, labWithEnv } from '../helpers/lab-cli';

/** Every file below `dir`, as paths relative to it, sorted. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

async function expectSameSaes(a: string, b: string): Promise<void> {
  const saeFiles = (await filesBelow(a)).filter((f) => /seed-\d+/.test(f));
  expect(saeFiles).toHaveLength(2 * 2 * 3); // 2 configurations × 2 seeds × cfg.json, weights, metrics
  expect((await filesBelow(b)).filter((f) => /seed-\d+/.test(f))).toEqual(saeFiles);
  for (const f of saeFiles) expect((await readFile(join(b, f))).equals(await readFile(join(a, f))), f).toBe(true);
}

describe('the runner at scale: command line, tasks and jobs', () => {
  it('prints its usage and a command\'s, and names a bad flag with its valid values', async () => {
    const help = await lab('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run lab -- \[options\] \[command\]/);
    for (const command of ['train', 'sweep', 'resume', 'bench', 'export-activations', 'make-sample', 'align']) expect(help.stdout).toContain(command);
    const sweep = await lab('sweep', '--help');
    expect(sweep.code).toBe(0);
    expect(sweep.stdout).toMatch(/--task <i\/n>/);
    expect(sweep.stdout).toMatch(/--jobs <n>/);

    const backend = await lab('sweep', '--preset', 'mnist-quick', '--out', join(tmpdir(), 'never'), '--backend', 'gpu');
    expect(backend.code).not.toBe(0);
    expect(backend.stderr).toMatch(/--backend <name>' argument 'gpu' is invalid\. Allowed choices are wasm, cpu, webgpu/);
    const preset = await lab('sweep', '--preset', 'nope', '--out', join(tmpdir(), 'never'));
    expect(preset.stderr).toMatch(/--preset <name>' argument 'nope' is invalid\. Allowed choices are mnist-demo, mnist-quick, /);
    const task = await lab('sweep', '--preset', 'mnist-quick', '--out', join(tmpdir(), 'never'), '--task', '3/3');
    expect(task.stderr).toMatch(/--task: task index 3 is outside 0…2/);
  }, 600_000);

  it('three tasks into one folder, merged by align, give a one-process run\'s SAEs and figures; --jobs 2 gives --jobs 1\'s bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lab-tasks-'));
    // 2 configurations × 2 seeds: the three tasks split l2-off's seeds between them.
    const sweep = (out: string, ...more: string[]) => ['sweep', '--preset', 'mnist-quick', '--epochs', '1', '--width', '16', '--seeds', '2', '--images', '1024', '--out', join(dir, out), ...more];
    const one = await lab(...sweep('one', '--jobs', '1'));
    expect(one.stderr).not.toMatch(/error:/);
    expect(one.code).toBe(0);

    const tasks = [
      await lab(...sweep('tasks', '--task', '0/3', '--jobs', '1')),
      // Slurm's --array=1-3: the index is SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN.
      await labWithEnv({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' }, ...sweep('tasks', '--jobs', '1')),
      await labWithEnv({ JOB_COMPLETION_INDEX: '2', LAB_TASK_COUNT: '3' }, ...sweep('tasks', '--jobs', '1')),
    ];
    for (const t of tasks) expect(t.code, t.stderr).toBe(0);
    expect(tasks[1].stdout).toMatch(/task 1 of 3 \(0-based\): l2-off seeds 1/);
    await expectSameSaes(join(dir, 'one'), join(dir, 'tasks'));
    const [alignedOne, alignedTasks] = [await lab('align', join(dir, 'one')), await lab('align', join(dir, 'tasks'))];
    expect(alignedOne.code).toBe(0);
    expect(alignedTasks.stdout).toBe(alignedOne.stdout);
    expect(alignedOne.stdout).toMatch(/l2-on\s+2\s+0\.\d{3}/); // labelled by the configuration's folder

    const jobs = await lab(...sweep('jobs', '--jobs', '2'));
    expect(jobs.code, jobs.stderr).toBe(0);
    expect(jobs.stdout).toMatch(/jobs: 2 worker threads/);
    await expectSameSaes(join(dir, 'one'), join(dir, 'jobs'));
    for (const name of ['l2-off', 'l2-on']) expect(await readFile(join(dir, 'jobs', name, 'alignment.json'), 'utf8')).toBe(await readFile(join(dir, 'one', name, 'alignment.json'), 'utf8'));
  }, 600_000);
});
