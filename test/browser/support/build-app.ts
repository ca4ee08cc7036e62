/** Builds the app once with Vite's JS API into a fresh temporary folder (other test runs may share dist/). */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export async function buildApp(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'sae-lab-build-'));
  await build({
    root: REPO_ROOT,
    configFile: join(REPO_ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
