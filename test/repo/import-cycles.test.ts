/**
 * No module in src/ or workers/ reaches itself through its imports, type imports included: a cycle
 * means two files own one thing (the protocol's types lived in a worker module once, and the page
 * imported the worker to get them).
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

function sourceFiles(): string[] {
  return execSync('git ls-files "src/*.ts" "src/*.tsx" "workers/*.ts"', { cwd: ROOT }).toString().trim().split('\n').map((f) => path.join(ROOT, f));
}

function resolveImport(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

function importGraph(files: readonly string[], read: (file: string) => string): Map<string, string[]> {
  return new Map(
    files.map((file) => [file, [...read(file).matchAll(/\bfrom\s+'(\.[^']+)'/g)].flatMap((m) => resolveImport(file, m[1]) ?? [])]),
  );
}

/** Every cycle's first closing path, found by depth-first search. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('import cycles', () => {
  test('the search finds a planted cycle, through a type import too', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  test('src/ and workers/ have none', () => {
    const files = sourceFiles();
    const cycles = findCycles(importGraph(files, (f) => readFileSync(f, 'utf8')));
    expect(cycles.map((c) => c.map((f) => path.relative(ROOT, f)).join(' → '))).toEqual([]);
  });
});
