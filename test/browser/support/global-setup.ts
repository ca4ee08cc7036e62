/**
 * Vitest globalSetup: builds the app once for every browser test file and hands its folder to them
 * (inject('labBuildDir')). A run limited to other folders (e.g. `vitest run test/ui`) skips the build.
 */
import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { buildApp } from '../../../src/cli/browser/build-app';

declare module 'vitest' {
  export interface ProvidedContext {
    labBuildDir: string | null;
  }
}

/** File filters on the command line (`vitest run test/ui`); empty when the whole suite runs. */
function cliFilters(): string[] {
  const args = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  return args.filter((arg) => !['run', 'watch', 'dev', 'related'].includes(arg));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const filters = cliFilters();
  const wanted = filters.length === 0 || filters.some((f) => f.includes('browser'));
  const dir = wanted ? await buildApp() : null;
  project.provide('labBuildDir', dir);
  return async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
