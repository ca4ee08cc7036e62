/**
 * Workers and assets are referenced as `new URL('./relative', import.meta.url)`, which neither tsc nor
 * ESLint resolves: a moved file breaks only the production build. Each such URL must name a file.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

test('every new URL(relative path, import.meta.url) in src/ and workers/ points at a file', () => {
  const files = execSync('git ls-files "src/*.ts" "src/*.tsx" "workers/*.ts"', { cwd: ROOT }).toString().trim().split('\n');
  const references = files.flatMap((file) =>
    [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/new URL\('(\.{1,2}\/[^']*\.[a-z]+)',\s*import\.meta\.url\)/g)].map((m) => ({ file, target: m[1] })),
  );
  expect(references.length).toBeGreaterThan(3);
  const missing = references.filter(({ file, target }) => !existsSync(path.resolve(ROOT, path.dirname(file), target)));
  expect(missing).toEqual([]);
});
