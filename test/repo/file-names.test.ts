/** File names use one case: kebab-case, components and Python scripts included (`align-seeds.ts`, `config-table.tsx`). */
import { execSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)+$/;

test('every file in src, workers, test, scripts and build has a kebab-case name', () => {
  const root = path.resolve(__dirname, '../..');
  const files = execSync('git ls-files src workers test scripts build', { cwd: root }).toString().trim().split('\n');
  expect(files.length).toBeGreaterThan(100);
  expect(['alignSeeds.ts', 'ConfigTable.tsx', 'torch_save.py'].filter((name) => KEBAB.test(name))).toEqual([]);
  expect(files.filter((file) => !KEBAB.test(path.basename(file)))).toEqual([]);
});
