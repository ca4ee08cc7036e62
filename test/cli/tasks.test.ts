import { describe, expect, it } from 'vitest';
import { sliceUnits, splitWork, taskSlot } from '../../src/cli/tasks';
import type { SweepEntry } from '../../src/core/sweeps';
import { mnistPaperConfig } from '../../src/core/presets';

const entries: SweepEntry[] = ['a', 'b', 'c'].map((name) => ({ name, config: mnistPaperConfig() }));
const pairs = (work: ReturnType<typeof sliceUnits>) => work.flatMap(({ entry, seeds }) => seeds.map((s) => `${entry.name}/${s}`));

describe('the split of a run into tasks and jobs', () => {
  it.each([1, 2, 3, 4, 9, 10])('%i tasks hold every (configuration, seed) pair exactly once, in order', (count) => {
    const all = [...Array(count).keys()].flatMap((i) => pairs(sliceUnits(entries, [0, 1, 2], i, count)));
    expect(all).toEqual(['a/0', 'a/1', 'a/2', 'b/0', 'b/1', 'b/2', 'c/0', 'c/1', 'c/2']);
  });

  it('keeps whole configurations together when the counts allow, and leaves out empty jobs', () => {
    expect(sliceUnits(entries, [0, 1, 2], 1, 3).map((w) => [w.entry.name, w.seeds])).toEqual([['b', [0, 1, 2]]]);
    const jobs = splitWork(sliceUnits(entries, [0, 1], 0, 3), 4);
    expect(jobs.map((j) => pairs(j))).toEqual([['a/0'], ['a/1']]);
  });

  it('reads --task, then Slurm\'s array variables, then Kubernetes\' index with its count', () => {
    expect(taskSlot('2/5', undefined, {})).toEqual({ index: 2, count: 5 });
    expect(taskSlot(undefined, undefined, {})).toBeNull();
    expect(taskSlot(undefined, undefined, { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '6' })).toEqual({ index: 5, count: 6 });
    expect(taskSlot(undefined, undefined, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '6' })).toEqual({ index: 0, count: 6 });
    expect(taskSlot(undefined, 4, { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(taskSlot(undefined, undefined, { JOB_COMPLETION_INDEX: '3', LAB_TASK_COUNT: '4' })).toEqual({ index: 3, count: 4 });
    expect(() => taskSlot(undefined, undefined, { JOB_COMPLETION_INDEX: '3' })).toThrow(/--task-count N or LAB_TASK_COUNT/);
    expect(() => taskSlot('1-3', undefined, {})).toThrow(/--task must be INDEX\/COUNT with a 0-based index/);
    expect(() => taskSlot('3/3', undefined, {})).toThrow(/task index 3 is outside 0…2/);
    expect(() => taskSlot(undefined, undefined, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '3' })).toThrow(/SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN: task index 7/);
  });
});
